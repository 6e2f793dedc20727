// Settings card "Alerts": who is told (chat webhook, e-mail) when orders need
// a person or stop reaching the ERP. Loaded and saved through its own
// resource route (app.settings.alerts.tsx), not with the page's Save.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Button, Card, Checkbox, FormLayout, InlineStack, Layout, SkeletonBodyText, Text, TextField } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { formatDateTime } from "../../components/format";
import type { AlertsCardData } from "../../models/alerts.server";
import type { action as alertsAction, loader as alertsLoader } from "../app.settings.alerts";

/** Who is told (chat webhook, e-mail) and when; saved on its own, not with the page's Save. */
const alertsForm = (c: AlertsCardData) => ({
  emails: c.settings.emails,
  webhookUrl: "",
  removeWebhook: false,
  attentionThreshold: String(c.settings.attentionThreshold),
  noSyncMinutes: c.settings.noSyncMinutes === null ? "" : String(c.settings.noSyncMinutes),
  lostWebhookPercent: c.settings.lostWebhookPercent === null ? "" : String(c.settings.lostWebhookPercent),
  lagMinutes: c.settings.lagMinutes === null ? "" : String(c.settings.lagMinutes),
  backlogMinutes: c.settings.backlogMinutes === null ? "" : String(c.settings.backlogMinutes),
});

export function AlertsCard() {
  const loaded = useFetcher<typeof alertsLoader>();
  const { load } = loaded;
  useEffect(() => {
    void load("/app/settings/alerts");
  }, [load]);
  // Mounted once with the first data: later revalidations must not wipe what the merchant is typing.
  return (
    <Layout.AnnotatedSection
      id="alerts"
      title="Alerts"
      description="Tell your team when orders need a person or stop reaching the ERP. At most one message an hour for a problem that lasts."
    >
      {loaded.data ? (
        <AlertsForm initial={loaded.data} />
      ) : (
        <Card>
          <SkeletonBodyText lines={4} />
        </Card>
      )}
    </Layout.AnnotatedSection>
  );
}

/** The two alert thresholds, as number fields. */
const THRESHOLDS = [
  {
    key: "attentionThreshold",
    label: "Alert when this many orders need attention",
    min: 0,
    helpText: "Orders needing attention or failed. 0 turns this alert off.",
  },
  {
    key: "noSyncMinutes",
    label: "Alert when nothing reached the ERP for (minutes)",
    min: 10,
    helpText: "Only while orders are waiting. Empty turns this alert off.",
  },
] as const;

/** Delivery health limits (dashboard card "Delivery health"): one message when crossed, one when back within. */
const HEALTH_THRESHOLDS = [
  {
    key: "lostWebhookPercent",
    label: "Lost webhooks above (%)",
    min: 1,
    helpText: "Share of the last 24 hours' orders found only by reconciliation. Empty: off.",
  },
  {
    key: "lagMinutes",
    label: "Placed → in the ERP above (minutes)",
    min: 1,
    helpText: "99 % of the last 24 hours' orders. Empty: off.",
  },
  {
    key: "backlogMinutes",
    label: "An order waiting longer than (minutes)",
    min: 5,
    helpText: "The oldest order not yet in the ERP. Empty: off.",
  },
] as const;

function AlertsForm({ initial }: { initial: AlertsCardData }) {
  const shopify = useAppBridge();
  const save = useFetcher<typeof alertsAction>();
  const [card, setCard] = useState(initial);
  const [form, setForm] = useState(() => alertsForm(initial));
  useEffect(() => {
    const data = save.data;
    if (!data) return;
    shopify.toast.show(data.message, { isError: !data.ok });
    if (data.ok) {
      setCard(data.card);
      setForm(alertsForm(data.card));
    }
  }, [save.data, shopify]);
  const errors = save.data && !save.data.ok ? save.data.fieldErrors : {};
  const s = card.settings;
  const set = (key: keyof typeof form) => (value: string | boolean) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <Card>
      <FormLayout>
        <TextField
          label="Chat webhook (Slack or compatible)"
          type="url"
          value={form.webhookUrl}
          onChange={set("webhookUrl")}
          placeholder={s.webhookSet ? `Saved (${s.webhookHost ?? "unreadable"}): leave empty to keep it` : "https://hooks.slack.com/services/…"}
          helpText="The incoming-webhook address from your chat tool. It is stored encrypted."
          error={errors.webhookUrl ?? (s.webhookUnreadable ? "The saved webhook can no longer be read. Enter it again." : undefined)}
          autoComplete="off"
        />
        {s.webhookSet ? <Checkbox label="Stop sending to the saved webhook" checked={form.removeWebhook} onChange={set("removeWebhook")} /> : null}
        <TextField
          label="E-mail addresses"
          value={form.emails}
          onChange={set("emails")}
          helpText={
            card.emailAvailable ? "Separate several addresses with commas." : "E-mail alerts are not set up on this app's server yet: use a chat webhook."
          }
          disabled={!card.emailAvailable && !form.emails}
          error={errors.emails}
          autoComplete="off"
        />
        <FormLayout.Group>
          {THRESHOLDS.map(({ key, label, min, helpText }) => (
            <TextField
              key={key}
              label={label}
              type="number"
              min={min}
              value={form[key]}
              onChange={set(key)}
              helpText={helpText}
              error={errors[key]}
              autoComplete="off"
            />
          ))}
        </FormLayout.Group>
        <FormLayout.Group condensed>
          {HEALTH_THRESHOLDS.map(({ key, label, min, helpText }) => (
            <TextField
              key={key}
              label={label}
              type="number"
              min={min}
              value={form[key]}
              onChange={set(key)}
              helpText={helpText}
              error={errors[key]}
              autoComplete="off"
            />
          ))}
        </FormLayout.Group>
        <InlineStack gap="300" blockAlign="center">
          <Button
            onClick={() => save.submit(form, { method: "post", action: "/app/settings/alerts", encType: "application/json" })}
            loading={save.state !== "idle"}
          >
            Save alert settings
          </Button>
          <Text as="span" tone="subdued" variant="bodySm">
            {s.lastAlertAt ? `Last alert sent ${formatDateTime(s.lastAlertAt)}.` : "No alert sent yet."}
          </Text>
        </InlineStack>
      </FormLayout>
    </Card>
  );
}
