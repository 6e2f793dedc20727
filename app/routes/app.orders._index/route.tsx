// The sync log: every order the app has seen, newest activity first, with
// filters, search, keyset pagination, bulk retry / skip and CSV export.
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  BlockStack,
  Card,
  ChoiceList,
  EmptyState,
  Filters,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { listOrderLog, parseOrderLogFilters } from "../../models/order-log.server";
import { actorFromSessionToken, isOrderAction, performOrderAction } from "../../models/order-actions.server";
import { SYNC_OPERATIONS, SYNC_STATES } from "../../sync/ledger/states";
import { StateBadge } from "../../components/StateBadge";
import { RouteError } from "../../components/RouteError";
import { EMPTY_STATE_IMAGE } from "../../components/illustration";
import { OPERATION_LABELS, formatDateTime, stateLabel } from "../../components/format";
import { downloadWithSessionToken } from "../../components/download";

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

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

export default function OrdersLog() {
  const { rows, nextCursor, previousCursor, filtered } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const submit = useSubmit();
  const shopify = useAppBridge();
  const [exporting, setExporting] = useState(false);

  const states = params.getAll("state");
  const operations = params.getAll("operation");
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const [query, setQuery] = useState(params.get("q") ?? "");
  const debouncedQuery = useDebounced(query, 300);

  const update = useCallback(
    (change: (p: URLSearchParams) => void) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          change(next);
          // Any filter change starts again at the newest rows.
          next.delete("after");
          next.delete("before");
          return next;
        },
        { preventScrollReset: true },
      );
    },
    [setParams],
  );

  useEffect(() => {
    if ((params.get("q") ?? "") === debouncedQuery) return;
    update((p) => (debouncedQuery ? p.set("q", debouncedQuery) : p.delete("q")));
  }, [debouncedQuery, params, update]);

  useEffect(() => {
    if (actionData?.message) shopify.toast.show(actionData.message, { isError: !actionData.ok });
  }, [actionData, shopify]);

  const setList = (key: string, values: string[]) =>
    update((p) => {
      p.delete(key);
      for (const v of values) p.append(key, v);
    });
  const setValue = (key: string, value: string) => update((p) => (value ? p.set(key, value) : p.delete(key)));

  const resourceRows = useMemo(() => rows.map((r) => ({ ...r })), [rows]);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(resourceRows);
  useEffect(() => clearSelection(), [rows, clearSelection]);

  const bulk = (intent: "retry_now" | "skip") => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of selectedResources) form.append("id", id);
    submit(form, { method: "post" });
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const exportParams = new URLSearchParams(params);
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
        <Filters
          queryValue={query}
          queryPlaceholder="Search order, external id, SKU or error"
          onQueryChange={setQuery}
          onQueryClear={() => setQuery("")}
          onClearAll={() => {
            setQuery("");
            update((p) => {
              for (const k of ["state", "operation", "from", "to", "q"]) p.delete(k);
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
        <IndexTable
          resourceName={{ singular: "order", plural: "orders" }}
          itemCount={rows.length}
          selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
          onSelectionChange={handleSelectionChange}
          loading={loading || busy}
          promotedBulkActions={[
            { content: "Retry selected", onAction: () => bulk("retry_now") },
            { content: "Skip selected", onAction: () => bulk("skip") },
          ]}
          headings={[
            { title: "Order" },
            { title: "State" },
            { title: "ERP write" },
            { title: "ERP document" },
            { title: "Last attempt" },
            { title: "Message" },
          ]}
          emptyState={
            <EmptyState heading={filtered ? "No orders match these filters" : "No orders yet"} image={EMPTY_STATE_IMAGE}>
              <p>
                {filtered
                  ? "Change or clear the filters to see more orders."
                  : "Orders appear here as soon as Shopify sends them to the app."}
              </p>
            </EmptyState>
          }
          pagination={{
            hasNext: Boolean(nextCursor),
            hasPrevious: Boolean(previousCursor),
            onNext: () =>
              navigate(`?${withCursor(params, "after", nextCursor)}`, { preventScrollReset: true }),
            onPrevious: () =>
              navigate(`?${withCursor(params, "before", previousCursor)}`, { preventScrollReset: true }),
          }}
        >
          {rows.map((row, index) => (
            <IndexTable.Row id={row.id} key={row.id} position={index} selected={selectedResources.includes(row.id)}>
              <IndexTable.Cell>
                <Link url={`/app/orders/${row.id}`} dataPrimaryLink monochrome removeUnderline>
                  <Text as="span" fontWeight="semibold">
                    {row.orderName}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <StateBadge state={row.state} />
              </IndexTable.Cell>
              <IndexTable.Cell>{OPERATION_LABELS[row.operation] ?? row.operation}</IndexTable.Cell>
              <IndexTable.Cell>{row.erpDocument ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>{formatDateTime(row.lastAttemptAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <div style={{ maxWidth: 420, whiteSpace: "normal" }}>
                  <Text as="span" tone={row.state === "needs_attention" || row.state === "failed" ? "critical" : "subdued"} breakWord>
                    {row.message ?? ""}
                  </Text>
                </div>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
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

function withCursor(params: URLSearchParams, key: "after" | "before", cursor: string | null): string {
  const next = new URLSearchParams(params);
  next.delete("after");
  next.delete("before");
  if (cursor) next.set(key, cursor);
  return next.toString();
}

export function ErrorBoundary() {
  return <RouteError title="Orders" />;
}
