// Settings (/app/settings): the page and its one form's server side. Each
// card is its own file beside this one: ERP connection, order references and
// log, sync rules, SKU mapping, import of past orders, alerts. The form's
// cards are saved together (Save; unsaved changes raise App Bridge's save
// bar); SKU mapping acts at once; import and alerts load and save through
// their own resource routes.
import { useEffect, useMemo, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, Layout, Page, Text } from "@shopify/polaris";
import { SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { loadSettingsPage, saveAllSettings, saveBodySchema, testSavedConnection } from "../../models/settings-page.server";
import { canSearchErpItems } from "../../models/erp-items.server";
import { deleteSkuMapping, importSkuMappingsCsv, upsertSkuMapping, type CsvRowError } from "../../settings/sku-mapping.server";
import { NO_CONNECTOR } from "../../settings/shop-settings.server";
import { actorFromSessionToken } from "../../models/order-actions.server";
import { countOrdersWaitingOnSku, retryOrdersWaitingOnSku } from "../../models/sku-waiting.server";
import { RouteError } from "../../components/RouteError";
import { PageHeading } from "../../components/PageHeading";
import { AlertsCard } from "./AlertsCard";
import { ConnectorCard } from "./ConnectorCard";
import { GeneralCard } from "./GeneralCard";
import { ImportCard } from "./ImportCard";
import { OwnershipCard } from "./OwnershipCard";
import { initialState, saveBody, withStoredChanges, type FormState } from "./settings-form";
import { SkuMappingCard } from "./SkuMappingCard";
import { SyncRulesCard } from "./SyncRulesCard";
import { DryRunModal, usePreview } from "./DryRunPreview";
import { previewBodySchema, previewSettingsChange, type PreviewResult } from "../../models/dry-run.server";

export const meta: MetaFunction = () => [{ title: "Settings · ERP Order Sync" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // The "no ERP" value comes from the server module (it cannot be imported into browser code).
  // The import and alerts cards load their own data (resource routes), so
  // this loader, revalidated after every save, stays as quick as before.
  const [page, itemSearch] = await Promise.all([loadSettingsPage(db, session.shop, new URL(request.url).searchParams), canSearchErpItems(db, session.shop)]);
  return { ...page, noConnector: NO_CONNECTOR, itemSearch };
};

export type ActionResult =
  | { intent: "save"; ok: boolean; message: string; fieldErrors: Record<string, string> }
  | { intent: "test"; ok: boolean; message: string }
  | { intent: "sku_upsert"; ok: boolean; message: string; fieldErrors: Record<string, string>; sku?: string; waiting?: number }
  | { intent: "sku_retry_waiting"; ok: boolean; message: string }
  | { intent: "sku_delete"; ok: boolean; message: string }
  | { intent: "sku_import"; ok: boolean; message: string; errors: CsvRowError[] }
  | ({ intent: "preview" } & PreviewResult);

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
        ? {
            intent: "sku_upsert",
            ok: true,
            message: `Mapping ${result.mapping.sku} → ${result.mapping.itemNumber} ${result.outcome}`,
            fieldErrors: {},
            sku: result.mapping.sku,
            // The card then offers "Retry the N orders waiting on <SKU>".
            waiting: await countOrdersWaitingOnSku(db, shop, result.mapping.sku),
          }
        : { intent: "sku_upsert", ok: false, message: "Correct the marked fields.", fieldErrors: result.fieldErrors };
    }
    case "sku_retry_waiting": {
      const result = await retryOrdersWaitingOnSku(db, shop, String(body.sku ?? ""), by);
      return { intent: "sku_retry_waiting", ok: result.retried > 0, message: result.message };
    }
    case "sku_delete": {
      const result = await deleteSkuMapping(db, shop, String(body.sku ?? ""), by);
      return {
        intent: "sku_delete",
        ok: result.deleted,
        message: result.deleted ? `Mapping for ${String(body.sku)} deleted` : "That mapping no longer exists.",
      };
    }
    case "sku_import": {
      const result = await importSkuMappingsCsv(db, shop, String(body.csv ?? ""), by);
      return result.ok
        ? { intent: "sku_import", ok: true, message: `Imported: ${result.created} new, ${result.updated} changed, ${result.unchanged} unchanged`, errors: [] }
        : { intent: "sku_import", ok: false, message: "Nothing was imported. Correct the file and import it again.", errors: result.errors };
    }
    case "preview": {
      // Dry run of a change before it is saved: reads only (app/dry-run/).
      const parsed = previewBodySchema.safeParse(body);
      if (!parsed.success) return Response.json({ ok: false, message: "The change to preview could not be read. Reload the page." }, { status: 400 });
      return { intent: "preview", ...(await previewSettingsChange(db, shop, parsed.data)) };
    }
    default:
      return Response.json({ ok: false, message: "Unknown action." }, { status: 400 });
  }
};

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();

  // Keyed by content: revalidation after a SKU change must not wipe unsaved edits.
  const initialJson = JSON.stringify(initialState(data));
  const initial = useMemo(() => JSON.parse(initialJson) as FormState, [initialJson]);
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // After a failed save the merchant's input stays (with its messages); otherwise what is stored
  // now flows into every part of the form they have not edited since it last changed.
  const lastSaveFailed = result?.intent === "save" && !result.ok;
  const shownStored = useRef(initial);
  useEffect(() => {
    const before = shownStored.current;
    if (before === initial) return;
    shownStored.current = initial;
    if (!lastSaveFailed) setForm((current) => withStoredChanges(before, initial, current));
  }, [initial, lastSaveFailed]);

  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const submittingIntent = navigation.state === "submitting" ? (navigation.json as { intent?: string } | undefined)?.intent : undefined;

  useEffect(() => {
    if (!result) return;
    if (result.intent === "save") setErrors(result.fieldErrors);
    if (result.intent !== "test") shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);

  const save = () => submit(saveBody(form), { method: "post", encType: "application/json" });
  const preview = usePreview();
  const { intent: _save, ...proposed } = saveBody(form);
  const discard = () => {
    setForm(initial);
    setErrors({});
  };
  const section = { form, setForm, error: (key: string) => errors[key] };

  return (
    <Page
      primaryAction={{ content: "Save", onAction: save, disabled: !dirty, loading: submittingIntent === "save" }}
      secondaryActions={[{ content: "Preview changes", disabled: !dirty, onAction: () => preview.run({ kind: "settings", ...proposed }) }]}
    >
      <TitleBar title="Settings" />
      <PageHeading>Settings</PageHeading>
      <DryRunModal preview={preview} saveLabel="Save settings" onSave={save} />
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
        <ConnectorCard
          {...section}
          settings={data.settings}
          noConnector={data.noConnector}
          dirty={dirty}
          testing={submittingIntent === "test"}
          testResult={result?.intent === "test" ? result : null}
          onTest={() => submit({ intent: "test" }, { method: "post", encType: "application/json" })}
        />
        <GeneralCard {...section} />
        <SyncRulesCard {...section} />
        <SkuMappingCard data={data} result={result} submitting={submittingIntent} />
        <OwnershipCard />
        <ImportCard />
        <AlertsCard />
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Settings" />;
}
