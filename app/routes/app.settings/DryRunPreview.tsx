// "Preview" before saving a settings change (sync rules, filters, order
// reference prefix, ERP choice, one SKU mapping, a SKU mapping CSV): the
// stored orders of the last days are replayed through the proposed settings
// on the server (intent=preview, app/models/dry-run.server.ts), nothing is
// written, and this modal shows which orders would start or stop syncing,
// what changes in each ERP document, and the money affected. The merchant
// saves from here, with that in front of them.
import { useCallback, useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, DataTable, InlineStack, List, Modal, Select, Text } from "@shopify/polaris";
import type { DryRunResult, OrderChange } from "../../dry-run/dry-run";
import type { CsvRowError } from "../../settings/sku-mapping.server";
import type { SettingsChange } from "../../models/dry-run.server";

type PreviewAnswer =
  | { intent: "preview"; ok: true; message: string; preview: DryRunResult }
  | { intent: "preview"; ok: false; message: string; errors: CsvRowError[] };

const DAY_OPTIONS = ["7", "14", "30", "90"].map((d) => ({ label: `Last ${d} days`, value: d }));

/** Ask the server for a dry run of `change`; `open` shows the modal with the answer. */
export function usePreview() {
  const fetcher = useFetcher<PreviewAnswer>();
  const [change, setChange] = useState<SettingsChange | null>(null);
  const [days, setDays] = useState("14");
  const { submit } = fetcher;
  const run = useCallback(
    (next: SettingsChange, forDays = days) => {
      setChange(next);
      submit({ intent: "preview", days: forDays, change: next } as never, { method: "post", action: "/app/settings", encType: "application/json" });
    },
    [submit, days],
  );
  // The answer is plain JSON of the types above (strings, numbers, arrays): no serialization changes it.
  const data = fetcher.data as unknown as PreviewAnswer | undefined;
  const answer = data && data.intent === "preview" ? data : null;
  return {
    change,
    days,
    setDays: (d: string) => {
      setDays(d);
      if (change) run(change, d);
    },
    run,
    close: () => setChange(null),
    loading: fetcher.state !== "idle",
    answer,
  };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "–";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function OrderList({ title, tone, group }: { title: string; tone: "success" | "critical"; group: { count: number; orders: OrderChange[] } }) {
  if (group.count === 0) return null;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <Badge tone={tone}>{String(group.count)}</Badge>
      </InlineStack>
      <List>
        {group.orders.map((o) => (
          <List.Item key={o.id}>
            <Text as="span" fontWeight="semibold">
              {o.orderName}
            </Text>{" "}
            ({o.total} {o.currency}): {o.before} → {o.after}. {o.reason}
          </List.Item>
        ))}
      </List>
      {group.count > group.orders.length ? (
        <Text as="p" tone="subdued">
          …and {group.count - group.orders.length} more.
        </Text>
      ) : null}
    </BlockStack>
  );
}

function ChangedDocuments({ group }: { group: DryRunResult["changed"] }) {
  if (group.count === 0) return null;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          Sent differently
        </Text>
        <Badge tone="attention">{String(group.count)}</Badge>
      </InlineStack>
      {group.orders.slice(0, 20).map((o) => (
        <BlockStack key={o.id} gap="100">
          <Text as="p" fontWeight="semibold">
            {o.orderName}
            {o.inErp ? " (already in the ERP: with its next update)" : ""}
          </Text>
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={["Field of the ERP document", "Now", "After saving"]}
            rows={(o.changes ?? []).map((c) => [c.path, show(c.before), show(c.after)])}
          />
        </BlockStack>
      ))}
      {group.count > 20 ? <Text as="p" tone="subdued">…and {group.count - 20} more orders changed the same way or similarly.</Text> : null}
    </BlockStack>
  );
}

export function DryRunModal({ preview, saveLabel, onSave }: { preview: ReturnType<typeof usePreview>; saveLabel: string; onSave(): void }) {
  const { answer, change, loading } = preview;
  const [shown, setShown] = useState(false);
  useEffect(() => setShown(change !== null), [change]);
  const close = () => {
    setShown(false);
    preview.close();
  };
  const p = answer?.ok ? answer.preview : null;
  return (
    <Modal
      open={shown}
      onClose={close}
      title="Preview: what this change would do"
      loading={loading}
      size="large"
      primaryAction={{
        content: saveLabel,
        disabled: loading || !answer?.ok,
        onAction: () => {
          close();
          onSave();
        },
      }}
      secondaryActions={[{ content: "Cancel", onAction: close }]}
    >
      <Modal.Section>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="end">
            <Text as="p">{answer ? answer.message : "Replaying your stored orders…"}</Text>
            <Select label="Orders placed in" labelInline options={DAY_OPTIONS} value={preview.days} onChange={preview.setDays} />
          </InlineStack>
          {answer && !answer.ok && answer.errors.length > 0 ? (
            <Banner tone="critical" title="The file has problems">
              <List>
                {answer.errors.map((e, i) => (
                  <List.Item key={i}>{e.line ? `Line ${e.line}: ${e.message}` : e.message}</List.Item>
                ))}
              </List>
            </Banner>
          ) : null}
          {p ? (
            <>
              {p.money.length > 0 ? (
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                  headings={["Currency", "Would start reaching the ERP", "Would stop reaching the ERP", "Change in document totals"]}
                  rows={p.money.map((m) => [m.currency, m.starting, m.stopping, m.changedBy])}
                />
              ) : null}
              <OrderList title="Would start syncing" tone="success" group={p.start} />
              <OrderList title="Would stop syncing" tone="critical" group={p.stop} />
              <ChangedDocuments group={p.changed} />
              <Text as="p" tone="subdued" variant="bodySm">
                {p.ordersReplayed} stored orders replayed in {p.durationMs} ms; {p.unchanged} unchanged
                {p.unreadable > 0 ? `; ${p.unreadable} could not be read (no order yet, or an unreadable copy)` : ""}. The preview covers the
                order the app hands the ERP connection; how your ERP books it (accounts, customers) is not part of it.
              </Text>
            </>
          ) : null}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
