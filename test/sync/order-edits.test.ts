// Order edits reach the ERP: removed units leave the sales document, added
// lines join it, the totals follow Shopify's current ones, and an ERP
// document that no longer takes changes becomes a needs-attention item that
// lists exactly what changed.
import { describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import {
  editedOrder,
  makeOrder,
  makeRefund,
  orderWithRefund,
  recomputeCurrentTotals,
  updatedOrder,
  webhookInput,
  type Payload,
} from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, setUpSyncTestbed } from "./harness";

const sync = setUpSyncTestbed();
let nextId = 7700000000000000001n;

function mugOrder(): Payload {
  const id = nextId++;
  return makeOrder({
    id,
    name: `#E${id % 10000n}`,
    currency: "EUR",
    shippingPrice: "4.00",
    lines: [
      { title: "Mug Morgen", sku: "MUG-MORGEN", price: "14.50", quantity: 4 },
      { title: "Coaster", sku: "COASTER", price: "3.97", quantity: 2, discount: "1.00" },
    ],
  });
}

async function send(topic: Parameters<typeof webhookInput>[1], payload: unknown) {
  return (await recordWebhookEvent(sync.prisma, webhookInput(SHOP, topic, payload))).orderSyncId!;
}

function worker() {
  return makeWorker(sync.prisma, sync.provider, { now: sync.clock.now, random: () => 0.5 }).worker;
}

function row(id: string) {
  return sync.prisma.orderSync.findUniqueOrThrow({ where: { id } });
}

function lines(externalId: string) {
  const doc = sync.erp.documentsFor(externalId);
  expect(doc).toHaveLength(1);
  return doc[0].order.lines.map((l) => [l.sku, l.quantity]);
}

describe("order edits", () => {
  it("sends the edited quantities and current total, and drops a line edited to 0", async () => {
    const order = mugOrder();
    const id = await send("orders/create", order);
    await drain(worker());
    const externalId = `shopify-${order.id}`;
    expect(lines(externalId)).toEqual([["MUG-MORGEN", 4], ["COASTER", 2]]);

    await send("orders/edited", { order_edit: { id: 1, order_id: order.id, committed_at: "2026-11-21T09:00:00-05:00", line_items: { additions: [], removals: [{ id: order.line_items[0].id, delta: 4 }] } } });
    expect((await row(id)).editedAt).not.toBeNull();
    const edited = editedOrder(order, "2026-11-21T09:00:00-05:00", [{ index: 0, quantity: 0 }, { index: 1, quantity: 1 }]);
    await send("orders/updated", edited);
    await drain(worker());

    expect(lines(externalId)).toEqual([["COASTER", 1]]);
    const doc = sync.erp.documentsFor(externalId)[0];
    // 3.97 - 0.50 (half the discount stays with the one coaster left) + 4.00 shipping
    expect(doc.order.totals.total).toBe("7.47");
    expect(doc.order.lines[0].discount).toBe("0.50");
    const r = await row(id);
    expect(r.state).toBe("synced");
    expect(r.editedAt).toBeNull();
  });

  it("adds a line the edit added", async () => {
    const order = mugOrder();
    await send("orders/create", order);
    await drain(worker());
    const edited = updatedOrder(order, "2026-11-21T10:00:00-05:00", (o) => {
      const added = structuredClone(o.line_items[1]);
      added.id = BigInt(o.line_items[1].id) + 100n;
      added.admin_graphql_api_id = `gid://shopify/LineItem/${added.id}`;
      added.sku = "GIFT-BOX";
      added.title = "Gift box";
      added.price = "2.00";
      added.price_set = { shop_money: { amount: "2.00", currency_code: "EUR" }, presentment_money: { amount: "2.00", currency_code: "EUR" } };
      added.quantity = 1;
      added.current_quantity = 1;
      added.total_discount = "0.00";
      added.discount_allocations = [];
      o.line_items.push(added);
      recomputeCurrentTotals(o);
    });
    await send("orders/updated", edited);
    await drain(worker());
    expect(lines(`shopify-${order.id}`)).toEqual([["MUG-MORGEN", 4], ["COASTER", 2], ["GIFT-BOX", 1]]);
  });

  it("keeps refunded units on the sales document: the refund arrives as its own credit note, counted once", async () => {
    const order = mugOrder();
    const id = await send("orders/create", order);
    await drain(worker());
    const refund = makeRefund(order, { refundId: nextId * 7n, lineIndexes: [0] });
    await send("refunds/create", refund);
    await send("orders/updated", orderWithRefund(order, refund, "2026-11-21T11:00:00-05:00"));
    await drain(worker());
    const doc = sync.erp.documentsFor(`shopify-${order.id}`)[0];
    expect(doc.order.lines.map((l) => [l.sku, l.quantity])).toEqual([["MUG-MORGEN", 4], ["COASTER", 2]]);
    expect(doc.refunds.map((r) => [r.refundId, r.amount])).toEqual([[String(nextId * 7n), "14.50"]]);
    expect(doc.updates).toBe(0);
    expect((await row(id)).state).toBe("synced");
  });

  it("lists exactly what changed when the ERP document no longer takes changes", async () => {
    const order = mugOrder();
    const id = await send("orders/create", order);
    await drain(worker());
    sync.erp.confirm(`shopify-${order.id}`);
    await send("orders/updated", editedOrder(order, "2026-11-21T12:00:00-05:00", [{ index: 0, quantity: 1 }]));
    await drain(worker());
    const r = await row(id);
    expect(r.state).toBe("needs_attention");
    expect(r.lastError).toContain("is already confirmed, so the app cannot change it");
    expect(r.lastError).toContain("Changes to make in the ERP: Line MUG-MORGEN 4 → 1; total 68.94 → 25.44 EUR.");
    expect(sync.erp.documentsFor(`shopify-${order.id}`)[0].order.lines[0].quantity).toBe(4);
  });
});
