// The order log's filter bar: search, sync state, ERP write and last-activity
// dates, with the applied filters shown as removable tags.
import { BlockStack, ChoiceList, Filters, TextField } from "@shopify/polaris";
import { OPERATION_LABELS, stateLabel } from "../../components/format";
import { SYNC_OPERATIONS, SYNC_STATES } from "../../sync/ledger/states";
import { FILTER_KEYS, type LogParams } from "./use-log-params";

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
        {
          key: "state",
          label: "Sync state",
          shortcut: true,
          filter: (
            <ChoiceList
              title="Sync state"
              titleHidden
              allowMultiple
              choices={SYNC_STATES.map((s) => ({ label: stateLabel(s), value: s }))}
              selected={states}
              onChange={(v) => setList("state", v)}
            />
          ),
        },
        {
          key: "operation",
          label: "ERP write",
          shortcut: true,
          filter: (
            <ChoiceList
              title="ERP write"
              titleHidden
              allowMultiple
              choices={SYNC_OPERATIONS.map((o) => ({ label: OPERATION_LABELS[o] ?? o, value: o }))}
              selected={operations}
              onChange={(v) => setList("operation", v)}
            />
          ),
        },
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
