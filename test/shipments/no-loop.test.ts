// No loop: the fulfilment the app creates from an ERP shipment changes the
// order in Shopify (fulfillment_status, each line's fulfillment_status and
// fulfillable_quantity, a fulfillments array with tracking), and Shopify sends
// orders/updated. None of that is what the ERP holds, so the order sync must
// not write the order to the ERP again (app/sync/order/content-hash.ts).
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { contentHashOf } from "../../app/sync/order/content-hash";
import { mapOrder } from "../../app/sync/order/order-mapper";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, updatedOrder, webhookInput } from "../../testkit/shopify-payloads";
import { TestConfigProvider } from "../../testkit/test-config-provider";
import { drain, makeWorker, SHOP, TestClock } from "../sync/harness";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

type Payload = Record<string, unknown> & { line_items: Record<string, unknown>[] };

/** The order as Shopify sends it after fulfillmentCreate for all its lines, with tracking. */
function fulfilled(order: Payload, at: string): Payload {
  return updatedOrder(order, at, (o) => {
    const p = o as Payload;
    p.fulfillment_status = "fulfilled";
    for (const l of p.line_items) {
      l.fulfillment_status = "fulfilled";
      l.fulfillable_quantity = 0;
    }
    p.fulfillments = [
      {
        id: 255858046,
        status: "success",
        tracking_company: "DHL Express",
        tracking_number: "TRK-1",
        tracking_numbers: ["TRK-1", "TRK-2"],
        tracking_urls: ["https://track.example/TRK-1", "https://track.example/TRK-2"],
        line_items: p.line_items,
        created_at: at,
        updated_at: at,
      },
    ];
  }) as Payload;
}

it("a fulfilment changes nothing in the content hash the ERP write depends on", () => {
  const order = makeOrder({ id: 6100000000000000001n }) as Payload;
  const after = fulfilled(order, "2026-11-21T09:00:00Z");
  const opts = { shop: SHOP, externalIdPrefix: "shopify-" };
  expect(contentHashOf(mapOrder(after as never, opts))).toBe(contentHashOf(mapOrder(order as never, opts)));
});

it("the orders/updated of the app's own fulfilment does not send the order to the ERP again", async () => {
  const erp = new FakeErp();
  const provider = new TestConfigProvider().set(SHOP, { erp });
  const clock = new TestClock();
  const worker = () => makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker;
  const order = makeOrder({ id: 6100000000000000002n }) as Payload;
  const { orderSyncId } = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));
  await drain(worker());
  expect(erp.callsOf("createOrder")).toHaveLength(1);
  await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/updated", fulfilled(order, "2026-11-21T09:00:00Z")));
  await drain(worker());
  expect(erp.callsOf("updateOrder")).toHaveLength(0);
  expect(erp.callsOf("createOrder")).toHaveLength(1);
  expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: orderSyncId! } })).state).toBe("synced");
});
