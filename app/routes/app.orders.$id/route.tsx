// One order (/app/orders/:id): what to correct (StatusBanner), what happened
// (History: Shopify events, ERP attempts, staff actions), where it stands in
// the ERP and the totals check (ErpCard), and the four things staff can do.
// The row is looked up by id AND the session's shop: another shop's id 404s.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { getOrderDetail } from "../../models/order-detail.server";
import { actorFromSessionToken, isOrderAction, performOrderAction } from "../../models/order-actions.server";
import { fetchOrderThroughAdmin } from "../../models/refetch-order.server";
import { StateBadge } from "../../components/StateBadge";
import { RouteError } from "../../components/RouteError";
import { ErpCard, TotalsCard } from "./ErpCard";
import { History } from "./History";
import { OrderShipments } from "./Shipments";
import { shipmentsOfOrder } from "../../models/shipments.server";
import { SkipModal } from "./SkipModal";
import { StatusBanner } from "./StatusBanner";
import { ThreeWayDiff } from "./ThreeWayDiff";

function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const order = await getOrderDetail(db, session.shop, { id: params.id });
  if (!order) notFound();
  return { order, shipments: await shipmentsOfOrder(db, session.shop, order.orderId) };
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
  const note =
    String(form.get("note") ?? "")
      .trim()
      .slice(0, 500) || undefined;
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

export default function OrderDetailPage() {
  const { order, shipments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [skipOpen, setSkipOpen] = useState(false);
  const pending = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : "";

  useEffect(() => {
    if (result?.message) shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);

  const run = (intent: string, note?: string) => submit({ intent, ...(note ? { note } : {}) }, { method: "post" });

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
        <StatusBanner order={order} />
        <Layout.Section>
          <History timeline={order.timeline} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <ErpCard order={order} />
            <TotalsCard order={order} />
            <ThreeWayDiff orderId={order.id} />
            <OrderShipments shipments={shipments} />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <SkipModal orderName={order.orderName} open={skipOpen} onClose={() => setSkipOpen(false)} onSkip={(note) => run("skip", note)} />
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Order" backUrl="/app/orders" />;
}
