// One order (/app/orders/:id): what to correct (StatusBanner), what happened
// (History: Shopify events, ERP attempts, staff actions), where it stands in
// the ERP and the totals check (ErpCard), and the four things staff can do.
// The row is looked up by id AND the session's shop: another shop's id 404s.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { BlockStack, Box, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import db from "../../db/db.server";
import { authenticate } from "../../shopify.server";
import { getOrderDetail } from "../../models/order-detail.server";
import { actorFromSessionToken, isOrderAction, performOrderAction } from "../../models/order-actions.server";
import { fetchOrderThroughAdmin } from "../../models/refetch-order.server";
import { staffName } from "../../models/staff.server";
import { getWorkerStatus } from "../../models/worker-status.server";
import { orderPageActions } from "./order-page-actions";
import { loadOrderLines } from "../../models/order-lines.server";
import { countOrdersWaitingOnSku, retryOrdersWaitingOnSku } from "../../models/sku-waiting.server";
import { canSearchErpItems } from "../../models/erp-items.server";
import { upsertSkuMapping } from "../../settings/sku-mapping.server";
import { LinesCard, type SkuFixResult } from "./LinesCard";
import { useLiveRevalidation } from "../../components/use-live-revalidation";
import { StateBadge } from "../../components/StateBadge";
import { RouteError } from "../../components/RouteError";
import { PageHeading } from "../../components/PageHeading";
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.order.orderName ?? "Order"} · Orders · ERP Order Sync` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const order = await getOrderDetail(db, session.shop, { id: params.id });
  if (!order) notFound();
  const { lines, currency } = await loadOrderLines(db, session.shop, order.id);
  const problemSkus = [...new Set(lines.filter((l) => l.itemProblem && l.sku).map((l) => l.sku as string))];
  const waitingBySku = Object.fromEntries(await Promise.all(problemSkus.map(async (sku) => [sku, await countOrdersWaitingOnSku(db, session.shop, sku)] as const)));
  const itemSearch = problemSkus.length > 0 && (await canSearchErpItems(db, session.shop));
  return { order, lines, currency, waitingBySku, itemSearch, shipments: await shipmentsOfOrder(db, session.shop, order.orderId) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken, admin } = await authenticate.admin(request);
  const id = params.id ?? "";
  // Checked before acting so another shop's id gets the same 404 as the page.
  const exists = await db.orderSync.findFirst({ where: { id, shop: session.shop }, select: { id: true } });
  if (!exists) notFound();
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "map_sku" || intent === "retry_waiting") {
    return Response.json(await fixSku(session.shop, actorFromSessionToken(sessionToken, session.shop), intent, form));
  }
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
    resolvedBy: intent === "mark_resolved" ? await staffName(db, session.shop, { sub: sessionToken?.sub, session }) : undefined,
    workerWarning: (await getWorkerStatus(db)).warning,
  });
  return Response.json({ ok: summary.ok, message: summary.message, at: Date.now() });
};

/** "Map OLD-TEE-M to an ERP item", then "Retry the N orders waiting on OLD-TEE-M" (LinesCard). */
async function fixSku(shop: string, actor: string, intent: "map_sku" | "retry_waiting", form: FormData): Promise<SkuFixResult> {
  const sku = String(form.get("sku") ?? "");
  if (intent === "retry_waiting") {
    const result = await retryOrdersWaitingOnSku(db, shop, sku, { actor });
    const warning = (await getWorkerStatus(db)).warning;
    return { intent, sku, ok: result.retried > 0, message: result.retried > 0 && warning ? `${result.message} ${warning}` : result.message };
  }
  const saved = await upsertSkuMapping(db, shop, { sku, itemNumber: form.get("itemNumber") }, { actor });
  if (!saved.ok) return { intent, sku, ok: false, message: "The mapping was not saved.", fieldError: saved.fieldErrors.itemNumber ?? saved.fieldErrors.sku };
  const waiting = await countOrdersWaitingOnSku(db, shop, sku);
  return { intent, sku, ok: true, waiting, message: `Saved: ${saved.mapping.sku} is sent as ERP item ${saved.mapping.itemNumber} from now on.` };
}

export default function OrderDetailPage() {
  const { order, lines, currency, waitingBySku, itemSearch, shipments } = useLoaderData<typeof loader>();
  // A retried order moves through Waiting and Sending to its result on screen.
  useLiveRevalidation(order.state === "pending" || order.state === "sending" || order.state === "retrying");
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
      {...orderPageActions(order, { pending, run, openSkip: () => setSkipOpen(true) })}
    >
      <TitleBar title={order.orderName} />
      <PageHeading>{order.orderName}</PageHeading>
      <Box paddingBlockEnd="400" paddingInline={{ xs: "400", sm: "0" }}>
        <InlineStack gap="200" blockAlign="center" wrap>
          <StateBadge state={order.shownState} resolvedBy={order.resolvedBy} />
          <Text as="span" tone="subdued" breakWord>
            External id {order.externalId}
          </Text>
        </InlineStack>
      </Box>
      <Layout>
        <StatusBanner order={order} />
        <Layout.Section>
          <BlockStack gap="400">
            <LinesCard lines={lines} currency={currency} waitingBySku={waitingBySku} itemSearch={itemSearch} />
            <History timeline={order.timeline} />
          </BlockStack>
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
