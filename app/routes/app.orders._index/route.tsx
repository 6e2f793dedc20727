// The sync log (/app/orders): every order the app has seen, newest activity
// first, with filters and search (LogFilters, kept in the URL by
// use-log-params.ts), keyset pagination and bulk retry / skip (LogTable), and
// CSV export.
import { useCallback, useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Box, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { PAGE_SIZE, listOrderLog, logTabCounts, parseOrderLogFilters } from "../../models/order-log.server";
import { problemGroupIds, problemGroups } from "../../models/problem-groups.server";
import { LogTabs } from "./LogTabs";
import { ProblemGroups } from "./ProblemGroups";
import { actorFromSessionToken, isOrderAction, performOrderAction, UNDO_SKIP_MS } from "../../models/order-actions.server";
import { getWorkerStatus, hasOrdersInFlight } from "../../models/worker-status.server";
import { useLiveRevalidation } from "../../components/use-live-revalidation";
import { BulkSkipModal, UndoSkipBanner, type UndoOffer } from "./BulkSkip";
import { RouteError } from "../../components/RouteError";
import { PageHeading } from "../../components/PageHeading";
import { downloadWithSessionToken } from "../../components/download";
import { LogFilters } from "./LogFilters";
import { LogTable } from "./LogTable";
import { useLogParams } from "./use-log-params";

export const meta: MetaFunction = () => [{ title: "Orders · ERP Order Sync" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const filters = parseOrderLogFilters(params);
  const [page, counts, groups, live] = await Promise.all([
    listOrderLog(db, session.shop, filters, { after: params.get("after"), before: params.get("before") }),
    logTabCounts(db, session.shop),
    filters.tab === "attention" ? problemGroups(db, session.shop) : Promise.resolve([]),
    hasOrdersInFlight(db, session.shop),
  ]);
  return {
    ...page,
    tab: filters.tab,
    counts,
    groups,
    live,
    pageSize: PAGE_SIZE,
    filtered: filters.tab !== "all" || filters.states.length + filters.operations.length > 0 || Boolean(filters.from || filters.to || filters.query),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "retry_group") {
    // One action for a whole reason group: the ids are read again now, not trusted from the page.
    const ids = await problemGroupIds(db, session.shop, String(form.get("key") ?? ""));
    const summary = await performOrderAction(db, {
      shop: session.shop,
      actor: actorFromSessionToken(sessionToken, session.shop),
      action: "retry_now",
      ids,
      maxIds: ids.length,
      workerWarning: (await getWorkerStatus(db)).warning,
    });
    return Response.json({ ok: summary.ok, message: ids.length === 0 ? "No order has this problem any more." : summary.message, at: Date.now(), intent, undo: null });
  }
  if (!isOrderAction(intent) || (intent !== "retry_now" && intent !== "skip" && intent !== "undo_skip")) {
    return Response.json({ ok: false, message: "Choose retry or skip." }, { status: 400 });
  }
  const ids = form.getAll("id").map(String);
  const reason = String(form.get("note") ?? "")
    .trim()
    .slice(0, 500);
  if (intent === "skip" && !reason) {
    return Response.json({ ok: false, message: "Say why these orders should be skipped; nothing was skipped." }, { status: 400 });
  }
  const summary = await performOrderAction(db, {
    shop: session.shop,
    actor: actorFromSessionToken(sessionToken, session.shop),
    action: intent,
    ids,
    note: intent === "skip" ? reason : undefined,
    workerWarning: (await getWorkerStatus(db)).warning,
  });
  // The skipped ids come back so the page can offer "Undo" for UNDO_SKIP_MS.
  const undo = intent === "skip" && summary.doneIds.length > 0 ? { ids: summary.doneIds, reason, until: Date.now() + UNDO_SKIP_MS } : null;
  return Response.json({ ok: summary.ok, message: summary.message, at: Date.now(), intent, undo });
};

export default function OrdersLog() {
  const { rows, nextCursor, previousCursor, filtered, tab, counts, groups, live, pageSize } = useLoaderData<typeof loader>();
  useLiveRevalidation(live);
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const log = useLogParams();
  const [exporting, setExporting] = useState(false);
  const [skipIds, setSkipIds] = useState<string[] | null>(null);
  const [undo, setUndo] = useState<UndoOffer | null>(null);
  const dismissUndo = useCallback(() => setUndo(null), []);

  useEffect(() => {
    if (actionData?.message) shopify.toast.show(actionData.message, { isError: !actionData.ok });
    if (actionData?.intent === "skip") setUndo(actionData.undo);
    if (actionData?.intent === "undo_skip") setUndo(null);
  }, [actionData, shopify]);

  const post = (intent: "retry_now" | "skip" | "undo_skip", ids: string[], note?: string) => {
    const form = new FormData();
    form.set("intent", intent);
    if (note) form.set("note", note);
    for (const id of ids) form.append("id", id);
    submit(form, { method: "post" });
  };
  const bulk = (intent: "retry_now" | "skip", ids: string[]) => (intent === "skip" ? setSkipIds(ids) : post(intent, ids));

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
      secondaryActions={[{ content: "Export CSV", onAction: exportCsv, loading: exporting, accessibilityLabel: "Export CSV of the filtered orders" }]}
    >
      <TitleBar title="Orders" />
      <PageHeading>Orders</PageHeading>
      <Box paddingBlockEnd="300" paddingInline={{ xs: "400", sm: "0" }}>
        <Text as="p" tone="subdued">
          Every order the app has seen, and what happened when it was sent to your ERP
        </Text>
      </Box>
      {undo ? (
        <div style={{ marginBottom: 16 }}>
          <UndoSkipBanner
            offer={undo}
            onDismiss={dismissUndo}
            onUndo={() => post("undo_skip", undo.ids)}
            undoing={busy && navigation.formData?.get("intent") === "undo_skip"}
          />
        </div>
      ) : null}
      <BulkSkipModal count={skipIds?.length ?? 0} open={skipIds !== null} onClose={() => setSkipIds(null)} onSkip={(reason) => post("skip", skipIds ?? [], reason)} />
      {groups.length > 0 ? (
        <div style={{ marginBottom: 16 }}>
          <ProblemGroups
            groups={groups}
            retrying={busy && navigation.formData?.get("intent") === "retry_group" ? String(navigation.formData?.get("key")) : null}
            onRetry={(key) => submit({ intent: "retry_group", key }, { method: "post" })}
          />
        </div>
      ) : null}
      <Card padding="0">
        <LogTabs tab={tab} counts={counts} onSelect={(t) => log.setValue("tab", t === "all" ? "" : t)} />
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
      {rows.length > 0 ? (
        <InlineStack align="center">
          <div style={{ padding: 12 }}>
            <Text as="p" tone="subdued" variant="bodySm">
              {rows.length} order{rows.length === 1 ? "" : "s"} on this page (up to {pageSize} a page), newest activity first. Times in UTC.
            </Text>
          </div>
        </InlineStack>
      ) : null}
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Orders" />;
}
