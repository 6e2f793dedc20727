// The order log's filter bar: search, sync state, ERP write and last-activity
// dates, with the applied filters shown as removable tags.
import { BlockStack, ChoiceList, Filters, TextField } from "@shopify/polaris";
import { OPERATION_LABELS, stateLabel } from "../../components/format";
import { SYNC_OPERATIONS, SYNC_STATES } from "../../sync/ledger/states";
import { FILTER_KEYS, type LogParams } from "./use-log-params";

/** The filters that pick from a list: sync state and the next ERP write. */
const CHOICES = [
  { key: "state", label: "Sync state", values: SYNC_STATES, labelOf: stateLabel },
  { key: "operation", label: "ERP write", values: SYNC_OPERATIONS, labelOf: (o: string) => OPERATION_LABELS[o] ?? o },
] as const;

export function LogFilters({ log, loading }: { log: LogParams; loading: boolean }) {
  const { states, operations, from, to, update, setList, setValue } = log;
  const appliedFilters = [
    ...(states.length ? [{ key: "state", label: `State: ${states.map(stateLabel).join(", ")}`, onRemove: () => setList("state", []) }] : []),
    ...(operations.length
      ? [{ key: "operation", label: `ERP write: ${operations.map((o) => OPERATION_LABELS[o] ?? o).join(", ")}`, onRemove: () => setList("operation", []) }]
      : []),
    ...(from || to
      ? [
          {
            key: "dates",
            label: `Last activity ${from ? `from ${from}` : ""} ${to ? `to ${to}` : ""}`.trim(),
            onRemove: () =>
              update((p) => {
                p.delete("from");
                p.delete("to");
              }),
          },
        ]
      : []),
  ];

  return (
    <Filters
      queryValue={log.query}
      queryPlaceholder="Search order, external id, SKU or error"
      onQueryChange={log.setQuery}
      onQueryClear={() => log.setQuery("")}
      onClearAll={() => {
        log.setQuery("");
        update((p) => {
          for (const k of FILTER_KEYS) p.delete(k);
        });
      }}
      appliedFilters={appliedFilters}
      filters={[
        ...CHOICES.map(({ key, label, values, labelOf }) => ({
          key,
          label,
          shortcut: true,
          filter: (
            <ChoiceList
              title={label}
              titleHidden
              allowMultiple
              choices={values.map((value) => ({ label: labelOf(value), value }))}
              selected={key === "state" ? states : operations}
              onChange={(v: string[]) => setList(key, v)}
            />
          ),
        })),
        {
          key: "dates",
          label: "Last activity",
          shortcut: true,
          filter: (
            <BlockStack gap="200">
              <TextField label="From" type="date" value={from} onChange={(v) => setValue("from", v)} autoComplete="off" />
              <TextField label="To" type="date" value={to} onChange={(v) => setValue("to", v)} autoComplete="off" />
            </BlockStack>
          ),
        },
      ]}
      loading={loading}
    />
  );
}
