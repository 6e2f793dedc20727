// One order: what happened (Shopify events, ERP attempts, staff actions),
// what to correct, the totals check, and the four things staff can do.
// The row is looked up by id AND the session's shop: another shop's id 404s.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  Divider,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { getOrderDetail, type OrderDetail, type TimelineEntry } from "../../models/order-detail.server";
import { actorFromSessionToken, isOrderAction, performOrderAction } from "../../models/order-actions.server";
import { fetchOrderThroughAdmin } from "../../models/refetch-order.server";
import { StateBadge } from "../../components/StateBadge";
import { RouteError } from "../../components/RouteError";
import { OPERATION_LABELS, formatDateTime } from "../../components/format";

function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const order = await getOrderDetail(db, session.shop, { id: params.id });
  if (!order) notFound();
  return { order };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken, admin } = await authenticate.admin(request);
  const id = params.id ?? "";
  // Checked before acting so another shop's id gets the same 404 as the page.
  const exists = await db.orderSync.findFirst({ where: { id, shop: session.shop }, select: { id: true } });
  if (!exists) notFound();
  const form = await request.formData();
  const intent = form.get("intent");
  if (!isOrderAction(intent)) return Response.json({ ok: false, message: "Unknown action." }, { status: 400 });
  const note = String(form.get("note") ?? "").trim().slice(0, 500) || undefined;
  const summary = await performOrderAction(db, {
    shop: session.shop,
    actor: actorFromSessionToken(sessionToken, session.shop),
    action: intent,
    ids: [id],
    note,
    fetchOrder: intent === "refetch_and_retry" ? fetchOrderThroughAdmin(session.shop, admin) : undefined,
  });
  return Response.json({ ok: summary.ok, message: summary.message, at: Date.now() });
};

const TIMELINE_TONES: Record<string, "success" | "critical" | "caution" | "subdued" | undefined> = {
  synced: "success",
  needs_attention: "critical",
  failed: "critical",
  retrying: "caution",
};

function TimelineItem({ entry }: { entry: TimelineEntry }) {
  const who = entry.kind === "action" ? ` · by ${entry.actor}` : "";
  return (
    <Box paddingBlock="200">
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Text as="span" variant="bodySm" tone="subdued">
            {formatDateTime(entry.at)}
          </Text>
          <Text as="span" fontWeight="semibold" tone={entry.kind === "attempt" ? TIMELINE_TONES[entry.outcome] : undefined}>
            {entry.title}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {who}
          </Text>
        </InlineStack>
        {entry.detail ? <Text as="p">{entry.detail}</Text> : null}
        {entry.kind === "attempt" && (entry.request || entry.response) ? (
          <Box background="bg-surface-secondary" padding="200" borderRadius="200">
            <BlockStack gap="100">
              {entry.request ? (
                <Text as="p" variant="bodySm">
                  <Text as="span" fontWeight="semibold">
                    Request:
                  </Text>{" "}
                  {entry.request}
                </Text>
              ) : null}
              {entry.response ? (
                <Text as="p" variant="bodySm" breakWord>
                  <Text as="span" fontWeight="semibold">
                    ERP answer:
                  </Text>{" "}
                  <code>{entry.response}</code>
                </Text>
              ) : null}
            </BlockStack>
          </Box>
        ) : null}
      </BlockStack>
    </Box>
  );
}

function TotalsCard({ order }: { order: OrderDetail }) {
  const t = order.totals;
  const currency = t.currency ? ` ${t.currency}` : "";
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Totals check
        </Text>
        <InlineGrid columns={2} gap="200">
          <Text as="span" tone="subdued">
            Shopify
          </Text>
          <Text as="span">{t.shopify ? `${t.shopify}${currency}` : "—"}</Text>
          <Text as="span" tone="subdued">
            ERP
          </Text>
          <Text as="span">{t.erp ? `${t.erp}${currency}` : "—"}</Text>
        </InlineGrid>
        {t.status === "match" ? (
          <Text as="p" tone="success">
            The ERP document has the same total as Shopify.
          </Text>
        ) : t.status === "mismatch" ? (
          <Banner tone="warning">
            The totals differ. Check prices, discounts, shipping and taxes of the ERP document, correct it there, then choose
            "Mark resolved"; or re-fetch the order from Shopify and retry.
          </Banner>
        ) : (
          <Text as="p" tone="subdued">
            {order.state === "synced"
              ? "The ERP did not report a total, so the totals cannot be compared."
              : "Compared once the order is in the ERP."}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function OrderDetailPage() {
  const { order } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [skipOpen, setSkipOpen] = useState(false);
  const [skipNote, setSkipNote] = useState("");
  const pending = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : "";

  useEffect(() => {
    if (result?.message) shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);

  const run = (intent: string, note?: string) => submit({ intent, ...(note ? { note } : {}) }, { method: "post" });
  const erpDocument = order.erpDocumentNumber ?? order.erpDocumentId;
  const needsWork = order.state === "needs_attention" || order.state === "failed";

  return (
    <Page
      backAction={{ content: "Orders", url: "/app/orders" }}
      title={order.orderName}
      titleMetadata={<StateBadge state={order.state} />}
      subtitle={`External id ${order.externalId}`}
      primaryAction={{ content: "Retry now", onAction: () => run("retry_now"), loading: pending === "retry_now", disabled: order.state === "sending" }}
      secondaryActions={[
        { content: "Re-fetch from Shopify and retry", onAction: () => run("refetch_and_retry"), loading: pending === "refetch_and_retry" },
        { content: "Mark resolved", onAction: () => run("mark_resolved"), loading: pending === "mark_resolved", helpText: "You fixed it in the ERP by hand" },
        { content: "Skip", destructive: true, onAction: () => setSkipOpen(true), loading: pending === "skip" },
        { content: "Open in Shopify admin", url: order.shopifyAdminUrl, target: "_top" },
        ...(order.erpDocumentUrl ? [{ content: "Open in ERP", url: order.erpDocumentUrl, external: true }] : []),
      ]}
    >
      <TitleBar title={order.orderName} />
      <Layout>
        {needsWork || order.problems.length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title={order.state === "failed" ? "Sending this order failed" : "This order needs your attention"}>
              <BlockStack gap="200">
                {order.message && !order.problems.includes(order.message) ? <Text as="p">{order.message}</Text> : null}
                {order.problems.length > 0 ? (
                  <List>
                    {order.problems.map((p) => (
                      <List.Item key={p}>{p}</List.Item>
                    ))}
                  </List>
                ) : null}
                <Text as="p">When it is corrected, choose "Retry now" (or "Re-fetch from Shopify and retry" if you changed the order in Shopify).</Text>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : order.state === "skipped" && order.skipReason ? (
          <Layout.Section>
            <Banner tone="info" title="This order is not sent to the ERP">
              {order.skipReason}
            </Banner>
          </Layout.Section>
        ) : order.state === "retrying" && order.message ? (
          <Layout.Section>
            <Banner tone="warning" title="The last attempt failed; the app will try again">
              <Text as="p">{order.message}</Text>
              {order.nextAttemptAt ? <Text as="p">Next attempt: {formatDateTime(order.nextAttemptAt)}.</Text> : null}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                History
              </Text>
              {order.timeline.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing has happened to this order yet.
                </Text>
              ) : (
                <BlockStack>
                  {order.timeline.map((entry, i) => (
                    <div key={entry.id}>
                      {i > 0 ? <Divider /> : null}
                      <TimelineItem entry={entry} />
                    </div>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  ERP
                </Text>
                <InlineGrid columns={2} gap="200">
                  <Text as="span" tone="subdued">
                    Document
                  </Text>
                  <Text as="span">{erpDocument ?? "Not created yet"}</Text>
                  <Text as="span" tone="subdued">
                    Next write
                  </Text>
                  <Text as="span">{OPERATION_LABELS[order.operation] ?? order.operation}</Text>
                  <Text as="span" tone="subdued">
                    Attempts
                  </Text>
                  <Text as="span">{order.attemptCount}</Text>
                  <Text as="span" tone="subdued">
                    Last attempt
                  </Text>
                  <Text as="span">{formatDateTime(order.lastAttemptAt)}</Text>
                  <Text as="span" tone="subdued">
                    Synced
                  </Text>
                  <Text as="span">{formatDateTime(order.syncedAt)}</Text>
                </InlineGrid>
                {order.cancelledInShopify ? (
                  <Text as="p" tone="caution">
                    This order is cancelled in Shopify.
                  </Text>
                ) : null}
              </BlockStack>
            </Card>
            <TotalsCard order={order} />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Modal
        open={skipOpen}
        onClose={() => setSkipOpen(false)}
        title={`Skip ${order.orderName}?`}
        primaryAction={{
          content: "Skip order",
          destructive: true,
          onAction: () => {
            setSkipOpen(false);
            run("skip", skipNote);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setSkipOpen(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="200">
            <Text as="p">The order will not be sent to your ERP, and later changes in Shopify will not bring it back. You can retry it later.</Text>
            <TextField label="Reason (shown in the history)" value={skipNote} onChange={setSkipNote} autoComplete="off" maxLength={500} />
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Order" backUrl="/app/orders" />;
}
