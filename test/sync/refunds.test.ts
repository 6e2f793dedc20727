// Refunds carry the money that was actually returned: on tax-inclusive
// shops the tax is not added twice, a pending refund waits for its money,
// a refund that moved no money (an edit's removal) writes no credit note,
// shipping and adjustments are parts of their own, and a refund whose parts
// do not add up is not sent but shown to staff with the difference.
import { describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { makeOrder, makeRefund, orderWithRefund, updatedOrder, webhookInput, type Payload } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, setUpSyncTestbed } from "./harness";

const sync = setUpSyncTestbed();
let nextId = 7800000000000000001n;

const eur = (amount: string) => ({ shop_money: { amount, currency_code: "EUR" }, presentment_money: { amount, currency_code: "EUR" } });

/** A German shop: prices include 19 % VAT. 2 × 11.90 (1.90 VAT each) + 4.90 shipping (0.78 VAT). */
function taxInclusiveOrder(): Payload {
  const id = nextId++;
  const order = makeOrder({ id, name: `#T${id % 10000n}`, currency: "EUR", shippingPrice: "4.90", lines: [{ title: "Tasse", sku: "TASSE", price: "11.90", quantity: 2 }] });
  order.taxes_included = true;
  order.line_items[0].tax_lines = [{ title: "MwSt", rate: 0.19, price: "3.80", price_set: eur("3.80") }];
  order.shipping_lines[0].tax_lines = [{ title: "MwSt", rate: 0.19, price: "0.78", price_set: eur("0.78") }];
  order.total_tax = "4.58";
  order.total_tax_set = eur("4.58");
  order.current_total_tax = "4.58";
  order.current_total_tax_set = eur("4.58");
  return order;
}

async function send(topic: Parameters<typeof webhookInput>[1], payload: unknown) {
  return (await recordWebhookEvent(sync.prisma, webhookInput(SHOP, topic, payload))).orderSyncId!;
}
const worker = () => makeWorker(sync.prisma, sync.provider, { now: sync.clock.now, random: () => 0.5 }).worker;
const row = (id: string) => sync.prisma.orderSync.findUniqueOrThrow({ where: { id } });

describe("refunds", () => {
  it("records a tax-inclusive refund at the money returned, tax not added twice", async () => {
    const order = taxInclusiveOrder();
    const id = await send("orders/create", order);
    await drain(worker());
    expect(sync.erp.documentsFor(`shopify-${order.id}`)[0].order.totals.total).toBe("28.70");
    const refund = makeRefund(order, { refundId: nextId * 3n });
    refund.refund_line_items[0].total_tax = "1.90";
    refund.refund_line_items[0].total_tax_set = eur("1.90");
    await send("refunds/create", refund);
    await drain(worker());
    const recorded = sync.erp.documentsFor(`shopify-${order.id}`)[0].refunds;
    expect(recorded.map((r) => [r.amount, r.lines[0].amount, r.tax])).toEqual([["11.90", "11.90", "1.90"]]);
    expect((await row(id)).state).toBe("synced");
  });

  it("waits while the refund's money is pending, and records it once it settled", async () => {
    const order = makeOrder({ id: nextId++, name: "#P1" });
    const id = await send("orders/create", order);
    await drain(worker());
    const refundId = nextId * 3n;
    const pending = makeRefund(order, { refundId, status: "pending" });
    await send("refunds/create", pending);
    await send("orders/updated", orderWithRefund(order, pending, "2026-11-21T10:00:00-05:00"));
    await drain(worker());
    const doc = sync.erp.documentsFor(`shopify-${order.id}`)[0];
    expect(doc.refunds).toEqual([]);
    expect(doc.order.lines[0].quantity).toBe(order.line_items[0].quantity); // the refunded unit stays until its credit note
    expect((await row(id)).state).toBe("synced");

    const settled = makeRefund(order, { refundId, status: "success" });
    await send("orders/updated", orderWithRefund(order, settled, "2026-11-21T11:00:00-05:00"));
    await drain(worker());
    expect(doc.refunds.map((r) => [r.refundId, r.amount])).toEqual([[String(refundId), order.line_items[0].price]]);
    expect(doc.updates).toBe(0);
  });

  it("writes no credit note for a refund that moved no money (an edit's removal): the line just shrinks", async () => {
    const order = makeOrder({ id: nextId++, name: "#A1", lines: [{ title: "Mug", sku: "MUG", price: "8.00", quantity: 3 }] });
    await send("orders/create", order);
    await drain(worker());
    const removal = makeRefund(order, { refundId: nextId * 3n });
    removal.transactions = [];
    removal.refund_line_items[0].restock_type = "cancel";
    await send("refunds/create", removal);
    await send("orders/updated", orderWithRefund(order, removal, "2026-11-21T12:00:00-05:00"));
    await drain(worker());
    const doc = sync.erp.documentsFor(`shopify-${order.id}`)[0];
    expect(doc.refunds).toEqual([]);
    expect(doc.order.lines.map((l) => l.quantity)).toEqual([2]);
    expect(doc.order.totals.total).toBe("26.00");
  });

  it("records shipping and a merchant's adjustment as parts of the refund", async () => {
    const order = makeOrder({ id: nextId++, name: "#S1", shippingPrice: "6.00" });
    await send("orders/create", order);
    await drain(worker());
    const refund = makeRefund(order, { refundId: nextId * 3n });
    refund.refund_shipping_lines = [{ subtotal_amount_set: { shop_money: { amount: "6.00", currency_code: "USD" } }, tax_amount_set: { shop_money: { amount: "0.00", currency_code: "USD" } } }];
    // The merchant kept 2.00 of the item's value (a restocking fee): Shopify's discrepancy, from the order's side.
    refund.order_adjustments = [{ kind: "refund_discrepancy", amount_set: { shop_money: { amount: "2.00", currency_code: "USD" } } }];
    const lineValue = Number(order.line_items[0].price);
    refund.transactions[0].amount = (lineValue + 6 - 2).toFixed(2);
    await send("refunds/create", refund);
    await drain(worker());
    const [recorded] = sync.erp.documentsFor(`shopify-${order.id}`)[0].refunds;
    expect([recorded.amount, recorded.shipping, recorded.adjustment]).toEqual([(lineValue + 4).toFixed(2), "6.00", "-2.00"]);
  });

  it("does not send a refund whose parts do not add up, and tells staff the difference", async () => {
    const order = makeOrder({ id: nextId++, name: "#M1" });
    const id = await send("orders/create", order);
    await drain(worker());
    const refund = makeRefund(order, { refundId: nextId * 3n });
    refund.transactions[0].amount = "1.00"; // less money than the item, with no adjustment explaining it
    await send("refunds/create", refund);
    await drain(worker());
    expect(sync.erp.documentsFor(`shopify-${order.id}`)[0].refunds).toEqual([]);
    const r = await row(id);
    expect(r.state).toBe("needs_attention");
    expect(r.lastError).toMatch(/The refund of 1\.00 USD on order #M1 was not sent: Shopify returned 1\.00 USD, but the refund's parts \(lines [\d.]+, shipping 0\.00, tax 0\.00\) add up to [\d.]+ USD/);
  });

  it("does not create an order whose parts do not add up to Shopify's total, naming the part", async () => {
    const order = updatedOrder(makeOrder({ id: nextId++, name: "#D1", shippingPrice: "10.00" }), "2026-11-20T10:00:00-05:00", (o) => {
      // A shipping discount Shopify applied that the payload's allocations do not show.
      o.current_shipping_price_set = { shop_money: { amount: "6.00", currency_code: "USD" }, presentment_money: { amount: "6.00", currency_code: "USD" } };
      const total = (Number(o.current_total_price) - 4).toFixed(2);
      o.current_total_price = total;
      o.current_total_price_set = { shop_money: { amount: total, currency_code: "USD" }, presentment_money: { amount: total, currency_code: "USD" } };
    });
    const id = await send("orders/create", order);
    await drain(worker());
    expect(sync.erp.documentsFor(`shopify-${order.id}`)).toHaveLength(0);
    const r = await row(id);
    expect(r.state).toBe("needs_attention");
    expect(r.lastError).toContain("Shipping after shipping discounts is 6.00 USD in Shopify but 10.00 USD in the ERP document.");
  });
});
