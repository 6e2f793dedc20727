// Settings: which ERP and how to reach it (form generated from the connector's
// describe().fields; secrets masked and never sent to the browser), "Test
// connection", order references and log retention, sync rules, and the SKU
// mapping table with CSV import. Unsaved changes raise App Bridge's save bar.
import { useEffect, useMemo, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  Pagination,
  ProgressBar,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import { SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { loadSettingsPage, saveAllSettings, saveBodySchema, testSavedConnection } from "../../models/settings-page.server";
import { deleteSkuMapping, importSkuMappingsCsv, upsertSkuMapping, type CsvRowError } from "../../settings/sku-mapping.server";
import { NO_CONNECTOR } from "../../settings/shop-settings.server";
import type { ConnectorConfigField } from "../../connectors/port";
import type { SyncRules } from "../../sync/order/sync-rules";
import { actorFromSessionToken } from "../../models/order-actions.server";
import { RouteError } from "../../components/RouteError";
import { formatDateTime, formatDuration } from "../../components/format";
import type { BackfillPanel, BackfillView } from "../../models/reconciliation.server";
import type { AlertsCardData } from "../../models/alerts.server";
import type { action as backfillAction, loader as backfillLoader } from "../app.settings.backfill";
import type { action as alertsAction, loader as alertsLoader } from "../app.settings.alerts";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // The "no ERP" value comes from the server module (it cannot be imported into browser code).
  // The import and alerts cards load their own data (resource routes), so
  // this loader, revalidated after every save, stays as quick as before.
  return { ...(await loadSettingsPage(db, session.shop, new URL(request.url).searchParams)), noConnector: NO_CONNECTOR };
};

type ActionResult =
  | { intent: "save"; ok: boolean; message: string; fieldErrors: Record<string, string> }
  | { intent: "test"; ok: boolean; message: string }
  | { intent: "sku_upsert"; ok: boolean; message: string; fieldErrors: Record<string, string> }
  | { intent: "sku_delete"; ok: boolean; message: string }
  | { intent: "sku_import"; ok: boolean; message: string; errors: CsvRowError[] };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult | Response> => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = session.shop;
  const by = { actor: actorFromSessionToken(sessionToken, shop) };
  const body = (await request.json().catch(() => null)) as { intent?: string; [k: string]: unknown } | null;
  switch (body?.intent) {
    case "save": {
      const parsed = saveBodySchema.safeParse(body);
      if (!parsed.success) return Response.json({ ok: false, message: "The form could not be read. Reload the page." }, { status: 400 });
      return { intent: "save", ...(await saveAllSettings(db, shop, parsed.data)) };
    }
    case "test":
      return { intent: "test", ...(await testSavedConnection(db, shop)) };
    case "sku_upsert": {
      const result = await upsertSkuMapping(db, shop, { sku: body.sku, itemNumber: body.itemNumber }, by);
      return result.ok
        ? { intent: "sku_upsert", ok: true, message: `Mapping ${result.mapping.sku} → ${result.mapping.itemNumber} ${result.outcome}`, fieldErrors: {} }
        : { intent: "sku_upsert", ok: false, message: "Correct the marked fields.", fieldErrors: result.fieldErrors };
    }
    case "sku_delete": {
      const result = await deleteSkuMapping(db, shop, String(body.sku ?? ""), by);
      return { intent: "sku_delete", ok: result.deleted, message: result.deleted ? `Mapping for ${String(body.sku)} deleted` : "That mapping no longer exists." };
    }
    case "sku_import": {
      const result = await importSkuMappingsCsv(db, shop, String(body.csv ?? ""), by);
      return result.ok
        ? { intent: "sku_import", ok: true, message: `Imported: ${result.created} new, ${result.updated} changed, ${result.unchanged} unchanged`, errors: [] }
        : { intent: "sku_import", ok: false, message: "Nothing was imported. Correct the file and import it again.", errors: result.errors };
    }
    default:
      return Response.json({ ok: false, message: "Unknown action." }, { status: 400 });
  }
};

interface FormState {
  connectorType: string;
  values: Record<string, string>;
  externalIdPrefix: string;
  logRetentionDays: string;
  confirmPrefixChange: boolean;
  rules: SyncRules;
  /** Tag / channel / status lists as the comma-separated text the merchant types. */
  lists: { includeTags: string; excludeTags: string; salesChannels: string; financialStatuses: string };
}

function initialState(data: ReturnType<typeof useLoaderData<typeof loader>>): FormState {
  const s = data.settings;
  const secretValues = Object.fromEntries(Object.keys(s.secrets).map((k) => [k, ""]));
  return {
    connectorType: s.connectorType,
    values: { ...s.values, ...secretValues },
    externalIdPrefix: s.externalIdPrefix,
    logRetentionDays: String(s.logRetentionDays),
    confirmPrefixChange: false,
    rules: s.syncRules,
    lists: {
      includeTags: s.syncRules.filters.includeTags.join(", "),
      excludeTags: s.syncRules.filters.excludeTags.join(", "),
      salesChannels: s.syncRules.filters.salesChannels.join(", "),
      financialStatuses: s.syncRules.filters.financialStatuses.join(", "),
    },
  };
}

const splitList = (text: string) =>
  text
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

function isVisible(field: ConnectorConfigField, values: Record<string, string>): boolean {
  return !field.visibleWhen || field.visibleWhen.values.includes(values[field.visibleWhen.key] ?? "");
}

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [, setParams] = useSearchParams();

  // Keyed by content: revalidation after a SKU change must not wipe unsaved edits.
  const initialJson = JSON.stringify(initialState(data));
  const initial = useMemo(() => JSON.parse(initialJson) as FormState, [initialJson]);
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // After a failed save the merchant's input stays (with its messages); otherwise show what is stored.
  const lastSaveFailed = result?.intent === "save" && !result.ok;
  useEffect(() => {
    if (!lastSaveFailed) setForm(initial);
  }, [initial, lastSaveFailed]);

  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const submittingIntent = navigation.state === "submitting" ? (navigation.json as { intent?: string } | undefined)?.intent : undefined;

  useEffect(() => {
    if (!result) return;
    if (result.intent === "save") setErrors(result.fieldErrors);
    if (result.intent !== "test") shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);

  const NO_CONNECTOR = data.noConnector;
  const description = data.settings.availableConnectors.find((c) => c.type === form.connectorType) ?? null;
  const fields = description?.fields ?? [];
  const secretInfo = form.connectorType === data.settings.connectorType ? data.settings.secrets : {};

  const save = () =>
    submit(
      {
        intent: "save",
        connector: { connectorType: form.connectorType, values: form.values },
        general: { externalIdPrefix: form.externalIdPrefix, logRetentionDays: form.logRetentionDays, confirmPrefixChange: form.confirmPrefixChange },
        syncRules: {
          ...form.rules,
          filters: {
            ...form.rules.filters,
            includeTags: splitList(form.lists.includeTags),
            excludeTags: splitList(form.lists.excludeTags),
            salesChannels: splitList(form.lists.salesChannels),
            financialStatuses: splitList(form.lists.financialStatuses),
          },
        },
      },
      { method: "post", encType: "application/json" },
    );
  const discard = () => {
    setForm(initial);
    setErrors({});
  };

  const setValue = (key: string, value: string) => setForm((f) => ({ ...f, values: { ...f.values, [key]: value } }));
  const setRules = (change: (r: SyncRules) => SyncRules) => setForm((f) => ({ ...f, rules: change(f.rules) }));
  const err = (key: string) => errors[key];
  const prefixNeedsConfirm = Boolean(err("general.externalIdPrefix")?.includes("Confirm the change"));
  const testResult = result?.intent === "test" ? result : null;

  return (
    <Page
      title="Settings"
      primaryAction={{ content: "Save", onAction: save, disabled: !dirty, loading: submittingIntent === "save" }}
    >
      <TitleBar title="Settings" />
      <SaveBar id="settings-save-bar" open={dirty}>
        <button variant="primary" onClick={save} disabled={submittingIntent === "save"}>
          Save
        </button>
        <button onClick={discard}>Discard</button>
      </SaveBar>
      <Layout>
        {result?.intent === "save" && !result.ok ? (
          <Layout.Section>
            <Banner tone="critical" title="Some settings were not saved">
              <Text as="p">{result.message}</Text>
            </Banner>
          </Layout.Section>
        ) : null}

        <Layout.AnnotatedSection id="erp" title="ERP connection" description="Where orders are sent. Passwords and keys are stored encrypted and never shown again.">
          <Card>
            <FormLayout>
              <Select
                label="ERP"
                options={[{ label: "No ERP yet", value: NO_CONNECTOR }, ...data.settings.availableConnectors.map((c) => ({ label: c.name, value: c.type }))]}
                value={form.connectorType}
                onChange={(v) => setForm((f) => ({ ...f, connectorType: v }))}
                error={err("connector.connectorType")}
                helpText={description?.description}
              />
              {data.settings.secretsProblem ? <Banner tone="warning">{data.settings.secretsProblem}</Banner> : null}
              {fields
                .filter((field) => isVisible(field, form.values))
                .map((field) =>
                  field.type === "select" ? (
                    <Select
                      key={field.key}
                      label={field.label}
                      options={field.options ?? []}
                      value={form.values[field.key] ?? field.defaultValue ?? ""}
                      onChange={(v) => setValue(field.key, v)}
                      helpText={field.helpText}
                      error={err(`connector.${field.key}`)}
                    />
                  ) : (
                    <TextField
                      key={field.key}
                      label={field.label}
                      type={field.secret ? "password" : field.type === "number" ? "number" : field.type === "url" ? "url" : "text"}
                      value={form.values[field.key] ?? ""}
                      onChange={(v) => setValue(field.key, v)}
                      placeholder={field.secret && secretInfo[field.key]?.isSet ? "Saved: leave empty to keep it" : field.defaultValue}
                      helpText={field.helpText}
                      requiredIndicator={field.required}
                      error={err(`connector.${field.key}`)}
                      autoComplete={field.secret ? "new-password" : "off"}
                    />
                  ),
                )}
              <InlineStack gap="300" blockAlign="center">
                <Button
                  onClick={() => submit({ intent: "test" }, { method: "post", encType: "application/json" })}
                  loading={submittingIntent === "test"}
                  disabled={data.settings.connectorType === NO_CONNECTOR}
                >
                  Test connection
                </Button>
                <Text as="span" tone="subdued" variant="bodySm">
                  Tests the saved settings{dirty ? ": save your changes first" : ""}.
                </Text>
              </InlineStack>
              {testResult ? (
                <Banner tone={testResult.ok ? "success" : "critical"} title={testResult.ok ? "Connection works" : "Connection failed"}>
                  <Text as="p">{testResult.message}</Text>
                </Banner>
              ) : null}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="general" title="Order references and log" description="How orders are named in the ERP, and how long the sync log is kept.">
          <Card>
            <FormLayout>
              <TextField
                label="External id prefix"
                value={form.externalIdPrefix}
                onChange={(v) => setForm((f) => ({ ...f, externalIdPrefix: v }))}
                helpText={`Orders are stored in the ERP as ${form.externalIdPrefix || "…"}<order id>, so they are never created twice.`}
                error={err("general.externalIdPrefix")}
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
                error={err("general.logRetentionDays")}
                autoComplete="off"
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="rules" title="Sync rules" description="Which Shopify events are sent to the ERP, and which orders are left out.">
          <Card>
            <FormLayout>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  Send to the ERP when an order is…
                </Text>
                {(
                  [
                    ["create", "created"],
                    ["update", "changed"],
                    ["cancel", "cancelled"],
                    ["refund", "refunded"],
                  ] as const
                ).map(([key, label]) => (
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
              {(
                [
                  ["includeTags", "Only orders with one of these tags", "Comma-separated. Empty: all orders."],
                  ["excludeTags", "Leave out orders with any of these tags", "Comma-separated, e.g. wholesale, no-erp"],
                  ["salesChannels", "Only these sales channels", "Comma-separated, e.g. web, pos. Empty: all channels."],
                  ["financialStatuses", "Only these payment statuses", "Comma-separated, e.g. paid, partially_refunded. Empty: all."],
                ] as const
              ).map(([key, label, help]) => (
                <TextField
                  key={key}
                  label={label}
                  helpText={help}
                  value={form.lists[key]}
                  onChange={(v) => setForm((f) => ({ ...f, lists: { ...f.lists, [key]: v } }))}
                  error={err(`syncRules.filters.${key}`)}
                  autoComplete="off"
                />
              ))}
              <TextField
                label="Keep retrying for (hours)"
                helpText={`When your ERP does not answer, each order is tried again, at most ${formatDuration(form.rules.retry.maxDelayMs)} apart, for this long before it is marked failed. While your ERP is down for all orders, none is marked failed.`}
                type="number"
                min={1}
                max={720}
                value={String(form.rules.retry.maxAgeHours)}
                onChange={(v) => setRules((r) => ({ ...r, retry: { ...r.retry, maxAgeHours: Number(v) } }))}
                error={err("syncRules.retry.maxAgeHours")}
                autoComplete="off"
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="sku"
          title="SKU mapping"
          description="When your ERP knows a product by another number than its Shopify SKU. Unmapped SKUs are sent as they are if your ERP allows it."
        >
          <SkuMappingCard data={data} result={result} submitting={submittingIntent} setParams={setParams} />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="backfill"
          title="Import past orders"
          description="Send orders from before the app was installed, or from a time the app was not running, to your ERP. Orders already sent are not sent twice."
        >
          <BackfillCard />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="alerts"
          title="Alerts"
          description="Tell your team when orders need a person or stop reaching the ERP. At most one message an hour for a problem that lasts."
        >
          <AlertsCard />
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

function SkuMappingCard({
  data,
  result,
  submitting,
  setParams,
}: {
  data: ReturnType<typeof useLoaderData<typeof loader>>;
  result: ActionResult | undefined;
  submitting: string | undefined;
  setParams: ReturnType<typeof useSearchParams>[1];
}) {
  const submit = useSubmit();
  const [sku, setSku] = useState("");
  const [itemNumber, setItemNumber] = useState("");
  const [search, setSearch] = useState(data.skuSearch);
  const fileInput = useRef<HTMLInputElement>(null);
  const upsertErrors = result?.intent === "sku_upsert" ? result.fieldErrors : {};
  const importErrors = result?.intent === "sku_import" && !result.ok ? result.errors : [];
  const m = data.skuMappings;

  useEffect(() => {
    if (result?.intent === "sku_upsert" && result.ok) {
      setSku("");
      setItemNumber("");
    }
  }, [result]);

  const send = (body: Record<string, string>) => submit(body, { method: "post", encType: "application/json" });
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    send({ intent: "sku_import", csv: await file.text() });
    if (fileInput.current) fileInput.current.value = "";
  };
  const go = (change: (p: URLSearchParams) => void) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        change(next);
        return next;
      },
      { preventScrollReset: true },
    );

  return (
    <Card>
      <BlockStack gap="400">
        <FormLayout>
          <FormLayout.Group condensed>
            <TextField label="Shopify SKU" value={sku} onChange={setSku} error={upsertErrors.sku} autoComplete="off" />
            <TextField label="ERP item number" value={itemNumber} onChange={setItemNumber} error={upsertErrors.itemNumber} autoComplete="off" />
          </FormLayout.Group>
          <InlineStack gap="200">
            <Button onClick={() => send({ intent: "sku_upsert", sku, itemNumber })} loading={submitting === "sku_upsert"}>
              Add or change mapping
            </Button>
            <Button onClick={() => fileInput.current?.click()} loading={submitting === "sku_import"}>
              Import CSV
            </Button>
            <input
              ref={fileInput}
              type="file"
              accept=".csv,text/csv"
              aria-label="CSV file with sku,item_number lines"
              style={{ display: "none" }}
              onChange={(e) => void importFile(e.currentTarget.files?.[0])}
            />
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            CSV: first line sku,item_number, then one line per SKU. All lines are imported, or none if any has a problem.
          </Text>
        </FormLayout>
        {importErrors.length > 0 ? (
          <Banner tone="critical" title="Nothing was imported">
            <List>
              {importErrors.map((e, i) => (
                <List.Item key={i}>{e.line ? `Line ${e.line}: ${e.message}` : e.message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <TextField
          label="Search mappings"
          labelHidden
          placeholder="Search SKU or item number"
          value={search}
          onChange={setSearch}
          onBlur={() => go((p) => (search ? p.set("sku", search) : p.delete("sku")))}
          connectedRight={<Button onClick={() => go((p) => (search ? p.set("sku", search) : p.delete("sku")))}>Search</Button>}
          autoComplete="off"
        />
        {m.items.length === 0 ? (
          <Text as="p" tone="subdued">
            {data.skuSearch ? "No mapping matches this search." : "No mappings yet: every SKU is sent as it is."}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={["SKU", "ERP item number", "Last change", ""]}
            rows={m.items.map((item) => [
              item.sku,
              item.itemNumber,
              `${formatDateTime(item.updatedAt)} by ${item.updatedBy}`,
              <Button key={item.sku} variant="plain" tone="critical" onClick={() => send({ intent: "sku_delete", sku: item.sku })} accessibilityLabel={`Delete mapping for ${item.sku}`}>
                Delete
              </Button>,
            ])}
          />
        )}
        {m.pageCount > 1 ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={m.page > 1}
              hasNext={m.page < m.pageCount}
              onPrevious={() => go((p) => p.set("skuPage", String(m.page - 1)))}
              onNext={() => go((p) => p.set("skuPage", String(m.page + 1)))}
              label={`Page ${m.page} of ${m.pageCount} (${m.total} mappings)`}
            />
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

const BACKFILL_STATUS_WORDS: Record<BackfillView["status"], string> = {
  pending: "Waiting to start",
  running: "Importing",
  completed: "Finished",
  failed: "Stopped with a problem",
  cancelled: "Cancelled",
};

function backfillLine(job: BackfillView): string {
  const total = job.estimatedTotal !== null ? ` of about ${job.estimatedTotal}` : "";
  return `${job.from} to ${job.to}: ${BACKFILL_STATUS_WORDS[job.status]}, ${job.processed}${total} orders imported.`;
}

/**
 * Start an import for a date range, follow its progress (polled every few
 * seconds while it runs; the state is in the database, so leaving the page
 * changes nothing), and cancel it. The worker does the import.
 */
function BackfillCard() {
  const shopify = useAppBridge();
  const command = useFetcher<typeof backfillAction>();
  const poll = useFetcher<typeof backfillLoader>();
  const [panel, setPanel] = useState<BackfillPanel | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const { load } = poll;
  useEffect(() => {
    void load("/app/settings/backfill");
  }, [load]);
  const commandResult = command.data as { panel?: BackfillPanel; message?: string; ok?: boolean; fieldErrors?: Record<string, string> } | undefined;
  useEffect(() => {
    if (!commandResult?.panel) return;
    setPanel(commandResult.panel);
    shopify.toast.show(commandResult.message ?? "", { isError: !commandResult.ok });
  }, [commandResult, shopify]);
  useEffect(() => {
    if (poll.data?.panel) setPanel(poll.data.panel);
  }, [poll.data]);
  const active = panel?.active ?? null;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => load("/app/settings/backfill"), 3000);
    return () => clearInterval(timer);
  }, [active, load]);

  const fieldErrors = commandResult?.fieldErrors ?? {};
  const send = (body: Record<string, string>) => command.submit(body, { method: "post", action: "/app/settings/backfill", encType: "application/json" });
  if (!panel) {
    return (
      <Card>
        <SkeletonBodyText lines={3} />
      </Card>
    );
  }
  const needsReadAll = !panel.readAllOrders && from !== "" && from < panel.recentFrom;

  return (
    <Card>
      <BlockStack gap="400">
        {active ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {BACKFILL_STATUS_WORDS[active.status]}: orders from {active.from} to {active.to}
            </Text>
            <ProgressBar progress={active.percent ?? 0} size="small" tone="primary" ariaLabelledBy="backfill-progress" />
            <Text as="p" id="backfill-progress">
              {active.processed}
              {active.estimatedTotal !== null ? ` of about ${active.estimatedTotal}` : ""} orders imported
              {active.percent !== null ? ` (${active.percent}%)` : ""}
              {active.remainingMs !== null ? `, about ${formatDuration(active.remainingMs)} left` : ""}.
            </Text>
            <InlineStack gap="200" blockAlign="center">
              <Button
                tone="critical"
                onClick={() => send({ intent: "cancel", id: active.id })}
                loading={command.state !== "idle"}
                disabled={active.cancelRequested}
              >
                {active.cancelRequested ? "Stopping…" : "Cancel import"}
              </Button>
              <Text as="span" tone="subdued" variant="bodySm">
                You can leave this page: the import goes on and its progress is kept.
              </Text>
            </InlineStack>
          </BlockStack>
        ) : (
          <FormLayout>
            <FormLayout.Group condensed>
              <TextField label="First day" type="date" value={from} onChange={setFrom} error={fieldErrors.from} autoComplete="off" />
              <TextField label="Last day" type="date" value={to} onChange={setTo} error={fieldErrors.to} autoComplete="off" />
            </FormLayout.Group>
            {needsReadAll ? (
              <Banner tone="warning" title="Orders older than 60 days need an extra permission">
                <Text as="p">
                  Shopify only lets the app read orders from the last 60 days (since {panel.recentFrom}). To import older orders, the app needs the
                  &quot;Read all orders&quot; permission: ask the app&apos;s support to request it and approve it in your Shopify admin. You can import orders
                  from {panel.recentFrom} onwards right now.
                </Text>
              </Banner>
            ) : null}
            <InlineStack gap="200" blockAlign="center">
              <Button onClick={() => send({ intent: "start", from, to })} loading={command.state !== "idle"} disabled={!from || !to}>
                Start import
              </Button>
              <Text as="span" tone="subdued" variant="bodySm">
                Large ranges use a Shopify export and may take a while to start.
              </Text>
            </InlineStack>
          </FormLayout>
        )}
        {panel.recent.length > 0 ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Earlier imports
            </Text>
            {panel.recent.map((job) => (
              <Text as="p" key={job.id} tone={job.status === "failed" ? "critical" : "subdued"}>
                {backfillLine(job)}
                {job.error ? ` ${job.error}` : ""}
              </Text>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/** Who is told (chat webhook, e-mail) and when; saved on its own, not with the page's Save. */
const alertsForm = (c: AlertsCardData) => ({
  emails: c.settings.emails,
  webhookUrl: "",
  removeWebhook: false,
  attentionThreshold: String(c.settings.attentionThreshold),
  noSyncMinutes: c.settings.noSyncMinutes === null ? "" : String(c.settings.noSyncMinutes),
});

function AlertsCard() {
  const loaded = useFetcher<typeof alertsLoader>();
  const { load } = loaded;
  useEffect(() => {
    void load("/app/settings/alerts");
  }, [load]);
  // Mounted once with the first data: later revalidations must not wipe what the merchant is typing.
  return loaded.data ? (
    <AlertsForm initial={loaded.data} />
  ) : (
    <Card>
      <SkeletonBodyText lines={4} />
    </Card>
  );
}

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
          helpText={card.emailAvailable ? "Separate several addresses with commas." : "E-mail alerts are not set up on this app's server yet: use a chat webhook."}
          disabled={!card.emailAvailable && !form.emails}
          error={errors.emails}
          autoComplete="off"
        />
        <FormLayout.Group>
          <TextField
            label="Alert when this many orders need attention"
            type="number"
            min={0}
            value={form.attentionThreshold}
            onChange={set("attentionThreshold")}
            helpText="Orders needing attention or failed. 0 turns this alert off."
            error={errors.attentionThreshold}
            autoComplete="off"
          />
          <TextField
            label="Alert when nothing reached the ERP for (minutes)"
            type="number"
            min={10}
            value={form.noSyncMinutes}
            onChange={set("noSyncMinutes")}
            helpText="Only while orders are waiting. Empty turns this alert off."
            error={errors.noSyncMinutes}
            autoComplete="off"
          />
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

export function ErrorBoundary() {
  return <RouteError title="Settings" />;
}
