// The ERP item-number field of a SKU fix. When the shop's ERP can list items
// (`searchable`), typing two or more characters searches it: after a pause
// of 300 ms, one request at a time (a query typed meanwhile goes next), and
// the matches are offered as "number — name"; choosing one fills the field.
// Typing a number by hand always works, and a search the ERP fails says so
// under the field. Without a search it is a plain text field.
import { useEffect, useMemo, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Autocomplete, Text, TextField } from "@shopify/polaris";
import type { ErpItemSearchAnswer } from "../models/erp-items.server";

export const ITEM_SEARCH_URL = "/app/erp-items";
const MIN_QUERY = 2;
const PAUSE_MS = 300;

export interface ErpItemFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  searchable: boolean;
  /** Form field name, when the value is posted with a form. */
  name?: string;
  helpText?: string;
  error?: string;
}

export function ErpItemField({ searchable, ...field }: ErpItemFieldProps) {
  if (!searchable) return <TextField {...field} autoComplete="off" />;
  return <SearchingItemField {...field} />;
}

function SearchingItemField({ label, value, onChange, name, helpText, error }: Omit<ErpItemFieldProps, "searchable">) {
  const search = useFetcher<ErpItemSearchAnswer>();
  // The query that should be answered next, once the pause after typing is over.
  const [wanted, setWanted] = useState<string | null>(null);
  const asked = useRef<string | null>(null);
  // The number just chosen from the list: it is not searched again.
  const [chosen, setChosen] = useState<string | null>(null);
  const query = value.trim();

  useEffect(() => {
    if (query.length < MIN_QUERY || query === chosen) {
      // Typed again from scratch, the same query is asked again (the ERP may answer now).
      if (query.length < MIN_QUERY) asked.current = null;
      setWanted(null);
      return;
    }
    const timer = setTimeout(() => setWanted(query), PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, chosen]);

  useEffect(() => {
    if (wanted === null || wanted === asked.current || search.state !== "idle") return;
    asked.current = wanted;
    search.load(`${ITEM_SEARCH_URL}?q=${encodeURIComponent(wanted)}`);
  }, [wanted, search]);

  const answer = query.length >= MIN_QUERY && query !== chosen ? search.data : undefined;
  const options = useMemo(() => (answer?.items ?? []).map((item) => ({ value: item.number, label: item.name ? `${item.number} — ${item.name}` : item.number })), [answer]);
  const searching = search.state !== "idle" || (wanted !== null && wanted !== asked.current);

  return (
    <>
      <Autocomplete
        options={options}
        selected={[]}
        loading={searching && options.length === 0}
        emptyState={
          answer && !answer.error && !searching && answer.query === query ? (
            <Text as="p" tone="subdued">
              {`No ERP item matches "${answer.query}". Type the item number.`}
            </Text>
          ) : undefined
        }
        onSelect={([number]) => {
          if (number === undefined) return;
          setChosen(number);
          onChange(number);
        }}
        textField={<Autocomplete.TextField label={label} name={name} value={value} onChange={onChange} autoComplete="off" helpText={helpText} error={error} />}
      />
      {answer?.error ? (
        <Text as="p" tone="caution">
          {answer.error}
        </Text>
      ) : null}
    </>
  );
}
