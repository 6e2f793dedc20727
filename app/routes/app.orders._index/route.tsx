// The sync log (/app/orders): every order the app has seen, newest activity
// first, with filters and search (LogFilters, kept in the URL by
// use-log-params.ts), keyset pagination and bulk retry / skip (LogTable), and
// CSV export.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Card, InlineStack, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { listOrderLog, parseOrderLogFilters } from "../../models/order-log.server";
import { actorFromSessionToken, isOrderAction, performOrderAction } from "../../models/order-actions.server";
import { RouteError } from "../../components/RouteError";
import { downloadWithSessionToken } from "../../components/download";
import { LogFilters } from "./LogFilters";
import { LogTable } from "./LogTable";
import { useLogParams } from "./use-log-params";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const filters = parseOrderLogFilters(params);
  const page = await listOrderLog(db, session.shop, filters, { after: params.get("after"), before: params.get("before") });
  return { ...page, filtered: filters.states.length + filters.operations.length > 0 || Boolean(filters.from || filters.to || filters.query) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (!isOrderAction(intent) || (intent !== "retry_now" && intent !== "skip")) {
    return Response.json({ ok: false, message: "Choose retry or skip." }, { status: 400 });
  }
  const ids = form.getAll("id").map(String);
  const summary = await performOrderAction(db, {
    shop: session.shop,
    actor: actorFromSessionToken(sessionToken, session.shop),
    action: intent,
    ids,
    note: intent === "skip" ? "Skipped from the sync log (bulk)" : undefined,
  });
  return Response.json({ ok: summary.ok, message: summary.message, at: Date.now() });
};

export default function OrdersLog() {
  const { rows, nextCursor, previousCursor, filtered } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const log = useLogParams();
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    if (actionData?.message) shopify.toast.show(actionData.message, { isError: !actionData.ok });
  }, [actionData, shopify]);

  const bulk = (intent: "retry_now" | "skip", ids: string[]) => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of ids) form.append("id", id);
    submit(form, { method: "post" });
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const exportParams = new URLSearchParams(log.params);
      exportParams.delete("after");
      exportParams.delete("before");
      await downloadWithSessionToken(`/app/orders/export?${exportParams}`, "erp-sync-log.csv");
      shopify.toast.show("CSV downloaded");
    } catch {
      shopify.toast.show("The CSV could not be created. Try again in a moment.", { isError: true });
    } finally {
      setExporting(false);
    }
  };

  const loading = navigation.state !== "idle" && navigation.location?.pathname === "/app/orders";
  const busy = navigation.state === "submitting";

  return (
    <Page
      title="Orders"
      subtitle="Every order the app has seen, and what happened when it was sent to your ERP"
      secondaryActions={[{ content: "Export CSV", onAction: exportCsv, loading: exporting, accessibilityLabel: "Export the filtered orders as CSV" }]}
    >
      <TitleBar title="Orders" />
      <Card padding="0">
        <LogFilters log={log} loading={loading} />
        <LogTable
          rows={rows}
          nextCursor={nextCursor}
          previousCursor={previousCursor}
          filtered={filtered}
          params={log.params}
          loading={loading || busy}
          onBulk={bulk}
        />
      </Card>
      <InlineStack align="center">
        <div style={{ padding: 12 }}>
          <Text as="p" tone="subdued" variant="bodySm">
            Showing {rows.length} order{rows.length === 1 ? "" : "s"} per page, newest activity first. Times in UTC.
          </Text>
        </div>
      </InlineStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Orders" />;
}
