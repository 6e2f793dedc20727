// The demo's shipments: the merchant lets the ERP own shipments (Settings →
// Who owns what → Shipments and tracking; the fulfilment permissions granted),
// the demo ERP ships one synced order and pushes a signed shipment notice with
// its tracking to the app (POST /erp/<shop>/shipments, sent twice, as ERPs
// resend), and the worker turns it into exactly one fulfilment in Shopify's
// stand-in (fulfillmentCreate on the fake Admin API, checked against the
// committed schema), with the tracking number, within seconds.
import type { PrismaClient } from "@prisma/client";
import { parseJsonExact } from "../../app/sync/order/exact-json";
import { upsertRestOrder } from "../../testkit/fake-admin/orders-from-rest";
import type { CheckResult } from "./checks";
import type { DemoErp } from "./demo-erp";
import type { DemoEvent } from "./order-stream";
import type { ShopifyStandIn } from "./shopify-stand-in";

export const DEMO_TRACKING = "1Z999AA10123456784";
const FULFILMENT_SCOPES = ["read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders"];

export async function shipmentsPhase(opts: {
  prisma: PrismaClient;
  shop: string;
  erp: DemoErp;
  shopify: ShopifyStandIn;
  appUrl: string;
  events: DemoEvent[];
  say: (line: string) => void;
  timeoutMs?: number;
}): Promise<CheckResult[]> {
  const { prisma, shop, erp, shopify, appUrl, events, say } = opts;
  const name = "a shipment the ERP pushes becomes exactly one Shopify fulfilment with its tracking";
  // An ordinary order with no later event (no update, refund or cancellation): the ERP ships all of it.
  const onlyOnce = events.filter((e) => e.topic === "orders/create" && e.expect === "synced" && events.filter((x) => x.orderName === e.orderName).length === 1);
  let chosen: { event: DemoEvent; externalId: string; orderId: string } | null = null;
  for (const event of onlyOnce.reverse()) {
    const row = await prisma.orderSync.findFirst({ where: { shop, orderName: event.orderName, state: "synced", cancelledInShopify: false }, select: { externalId: true, orderId: true } });
    if (row) {
      chosen = { event, ...row };
      break;
    }
  }
  if (!chosen) return [{ name, ok: false, detail: "no synced order to ship" }];

  // Shopify's side: the order with its fulfilment order at "Main", and the fulfilment permissions granted.
  // The stand-in lists webhook orders by their head only; the order's lines are added here, as Shopify holds them.
  const order = upsertRestOrder(shopify.adminApi, chosen.event.body);
  const rest = parseJsonExact(chosen.event.body) as { line_items?: Record<string, unknown>[] };
  order.lineItems = (rest.line_items ?? []).map((l) => ({
    __typename: "LineItem",
    id: `gid://shopify/LineItem/${String(l.id)}`,
    sku: (l.sku as string | null) || null,
    title: String(l.title ?? l.name ?? ""),
    variantTitle: (l.variant_title as string | null) ?? null,
    quantity: Number(l.quantity),
    currentQuantity: Number(l.current_quantity ?? l.quantity),
    requiresShipping: l.requires_shipping !== false && l.gift_card !== true,
  }));
  const fulfilmentOrders = shopify.adminApi.fulfillments.setUp(order);
  for (const scope of FULFILMENT_SCOPES) if (!shopify.adminApi.scopes.includes(scope)) shopify.adminApi.scopes.push(scope);
  await prisma.shopSettings.update({ where: { shop }, data: { shipmentsOwner: "erp", shipmentsNotifyCustomer: true } });

  const lines = fulfilmentOrders.flatMap((fo) => fo.lineItems).filter((l) => l.sku).map((l) => ({ sku: l.sku as string, quantity: l.totalQuantity }));
  const notice = {
    shipmentId: `DEMO-SHIP-${chosen.orderId}`,
    documentNumber: "WH-OUT-0001",
    externalId: chosen.externalId,
    shippedAt: new Date().toISOString(),
    location: "Main",
    lines,
    tracking: [{ number: DEMO_TRACKING, company: "UPS", url: `https://www.ups.com/track?tracknum=${DEMO_TRACKING}` }],
  };
  const started = Date.now();
  const first = await erp.pushShipmentNotice(appUrl, shop, notice);
  const again = await erp.pushShipmentNotice(appUrl, shop, notice);
  say(`  The ERP ships ${chosen.event.orderName} (${notice.documentNumber}, UPS ${DEMO_TRACKING}) and pushes the notice twice: HTTP ${first.status} ${first.outcome}, HTTP ${again.status} ${again.outcome}`);

  const until = started + (opts.timeoutMs ?? 30_000);
  let state = "";
  while (Date.now() < until) {
    state = (await prisma.shipmentSync.findUnique({ where: { shop_shipmentId: { shop, shipmentId: notice.shipmentId } }, select: { state: true } }))?.state ?? "";
    if (state === "synced" || state === "needs_attention") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const fulfilments = shopify.adminApi.fulfillments.fulfillmentsOf(order);
  const tracking = fulfilments.flatMap((f) => f.trackingInfo.map((t) => t.number));
  say(`  ${chosen.event.orderName} in Shopify: ${fulfilments.length} fulfilment(s), tracking ${tracking.join(", ") || "none"}, after ${seconds} s (${shopify.url}/app/shipments)`);
  return [
    {
      name,
      ok: first.status === 202 && again.status === 200 && state === "synced" && fulfilments.length === 1 && tracking.length === 1 && tracking[0] === DEMO_TRACKING,
      detail: `${chosen.event.orderName}: notice ${first.status}/${again.status}, shipment ${state || "not recorded"}, ${fulfilments.length} fulfilment(s) with tracking ${tracking.join(", ") || "none"} after ${seconds} s`,
    },
  ];
}
