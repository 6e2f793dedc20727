// Settings card "Sync rules": which Shopify events reach the ERP, whether a
// cancellation cancels the ERP order, which orders are left out (test, high
// risk, tags, channels, payment status) and how long a failing order is retried.
import { BlockStack, Card, Checkbox, FormLayout, Layout, Text, TextField } from "@shopify/polaris";
import { formatDuration } from "../../components/format";
import type { SyncRules } from "../../sync/order/sync-rules";
import type { FormSectionProps } from "./settings-form";

const EVENTS = [
  ["create", "created"],
  ["update", "changed"],
  ["cancel", "cancelled"],
  ["refund", "refunded"],
] as const;

const LISTS = [
  ["includeTags", "Only orders with one of these tags", "Comma-separated. Empty: all orders."],
  ["excludeTags", "Leave out orders with any of these tags", "Comma-separated, e.g. wholesale, no-erp"],
  ["salesChannels", "Only these sales channels", "Comma-separated, e.g. web, pos. Empty: all channels."],
  ["financialStatuses", "Only these payment statuses", "Comma-separated, e.g. paid, partially_refunded. Empty: all."],
] as const;

export function SyncRulesCard({ form, setForm, error }: FormSectionProps) {
  const setRules = (change: (r: SyncRules) => SyncRules) => setForm((f) => ({ ...f, rules: change(f.rules) }));
  return (
    <Layout.AnnotatedSection id="rules" title="Sync rules" description="Which Shopify events are sent to the ERP, and which orders are left out.">
      <Card>
        <FormLayout>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Send to the ERP when an order is…
            </Text>
            {EVENTS.map(([key, label]) => (
              <Checkbox
                key={key}
                label={label}
                checked={form.rules.events[key]}
                onChange={(v) => setRules((r) => ({ ...r, events: { ...r.events, [key]: v } }))}
              />
            ))}
          </BlockStack>
          <Checkbox
            label="Cancel the ERP order when the order is cancelled in Shopify"
            helpText="Otherwise the cancellation is shown as needing attention, and you cancel in the ERP yourself."
            checked={form.rules.cancelInErp}
            onChange={(v) => setRules((r) => ({ ...r, cancelInErp: v }))}
          />
          <Checkbox
            label="Leave out test orders"
            checked={form.rules.filters.skipTestOrders}
            onChange={(v) => setRules((r) => ({ ...r, filters: { ...r.filters, skipTestOrders: v } }))}
          />
          <Checkbox
            label="Leave out orders Shopify recommends cancelling (high fraud risk)"
            checked={form.rules.filters.skipHighRisk}
            onChange={(v) => setRules((r) => ({ ...r, filters: { ...r.filters, skipHighRisk: v } }))}
          />
          {LISTS.map(([key, label, help]) => (
            <TextField
              key={key}
              label={label}
              helpText={help}
              value={form.lists[key]}
              onChange={(v) => setForm((f) => ({ ...f, lists: { ...f.lists, [key]: v } }))}
              error={error(`syncRules.filters.${key}`)}
              autoComplete="off"
            />
          ))}
          <TextField
            label="Keep retrying for (hours)"
            helpText={`When your ERP does not answer, each order is tried again, at most ${formatDuration(
              form.rules.retry.maxDelayMs,
            )} apart, for this long before it is marked failed. While your ERP is down for all orders, none is marked failed.`}
            type="number"
            min={1}
            max={720}
            value={String(form.rules.retry.maxAgeHours)}
            onChange={(v) => setRules((r) => ({ ...r, retry: { ...r.retry, maxAgeHours: Number(v) } }))}
            error={error("syncRules.retry.maxAgeHours")}
            autoComplete="off"
          />
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
