// Settings card "Order references and log": the external id prefix orders
// carry in the ERP (a change must be confirmed: it names new orders
// differently) and how long the sync log is kept.
import { Card, Checkbox, FormLayout, Layout, TextField } from "@shopify/polaris";
import type { FormSectionProps } from "./settings-form";

export function GeneralCard({ form, setForm, error }: FormSectionProps) {
  const prefixNeedsConfirm = Boolean(error("general.externalIdPrefix")?.includes("Confirm the change"));
  return (
    <Layout.AnnotatedSection id="general" title="Order references and log" description="How orders are named in the ERP, and how long the sync log is kept.">
      <Card>
        <FormLayout>
          <TextField
            label="External id prefix"
            value={form.externalIdPrefix}
            onChange={(v) => setForm((f) => ({ ...f, externalIdPrefix: v }))}
            helpText={`Orders are stored in the ERP as ${form.externalIdPrefix || "…"}<order id>, so they are never created twice.`}
            error={error("general.externalIdPrefix")}
            autoComplete="off"
          />
          {prefixNeedsConfirm ? (
            <Checkbox
              label="Yes, use the new prefix for new orders"
              checked={form.confirmPrefixChange}
              onChange={(v) => setForm((f) => ({ ...f, confirmPrefixChange: v }))}
            />
          ) : null}
          <TextField
            label="Keep the sync log for (days)"
            type="number"
            min={1}
            max={730}
            value={form.logRetentionDays}
            onChange={(v) => setForm((f) => ({ ...f, logRetentionDays: v }))}
            error={error("general.logRetentionDays")}
            autoComplete="off"
          />
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
}
