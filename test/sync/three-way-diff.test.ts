// The order page's three-way diff and "Apply the difference", through the
// real engine: an order is received and sent to the fake ERP by the worker,
// then the ERP is changed behind the app's back (edited, deleted, locked)
// or Shopify moves on (cancelled). The comparison names the differing
// fields; applying queues exactly the write that makes the ERP equal
// Shopify (update, create, cancel), which the worker then sends; a locked
// document is refused with what to change in the ERP by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDifference, loadOrderDiff } from "../../app/models/order-diff.server";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import type { ShopConfigProvider } from "../../app/sync/shop-config";
import { compareThreeWay, planRepair } from "../../app/sync/order/three-way-diff";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { withReadBack } from "../../testkit/fake-erp-read-back";
import { makeOrder, toRawBody, updatedOrder, webhookInput, type Payload } from "../../testkit/shopify-payloads";
import { TestConfigProvider } from "../../testkit/test-config-provider";
import { drain, makeWorker, SHOP } from "./harness";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

let nextId = 7_100_000_000_000_000_001n;

/** A synced order (2 × MUG, 1 × SHIRT, shipping) and the means to change Shopify's and the ERP's side. */
async function syncedOrder() {
  const erp = new FakeErp();
  const base = new TestConfigProvider().set(SHOP, { erp });
  const provider: ShopConfigProvider = { forShop: async (shop) => ({ ...(await base.forShop(shop))!, connector: withReadBack(erp) }) };
  const { worker } = makeWorker(db.prisma, provider);
  const id = nextId++;
  let shopify: Payload = makeOrder({ id, lines: [{ title: "Mug", sku: "MUG", price: "10.00", quantity: 2 }, { title: "Shirt", sku: "SHIRT", price: "20.00", quantity: 1 }], shippingPrice: "5.00" });
  await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", shopify));
  await drain(worker);
  const row = await db.prisma.orderSync.findFirstOrThrow({ where: { shop: SHOP, orderId: String(id) } });
  expect(row.state).toBe("synced");
  const deps = { fetchOrder: async () => toRawBody(shopify), configProvider: provider };
  return {
    erp,
    row,
    deps,
    drain: () => drain(worker),
    setShopify: (next: Payload) => void (shopify = next),
    shopify: () => shopify,
    doc: () => erp.documentsFor(row.externalId)[0],
    diff: () => loadOrderDiff(db.prisma, SHOP, row.id, deps),
    apply: () => applyDifference(db.prisma, { shop: SHOP, id: row.id, actor: "staff user 42", ...deps }),
  };
}

describe("three-way diff and repair", () => {
  it("an order edited in the ERP by someone: the differing line is highlighted, and applying sends Shopify's version as an update", async () => {
    const o = await syncedOrder();
    const doc = o.doc();
    doc.order = { ...doc.order, lines: doc.order.lines.map((l) => (l.sku === "MUG" ? { ...l, quantity: 1 } : l)) };

    const view = (await o.diff())!;
    expect(view.available).toBe(true);
    const differing = view.rows.filter((r) => r.differs);
    expect(differing.map((r) => r.field)).toEqual(expect.arrayContaining(["Line MUG: quantity", "Line MUG: amount after discounts"]));
    expect(view.rows.find((r) => r.field === "Line MUG: quantity")).toMatchObject({ shopify: "2", sent: "2", erp: "1" });
    expect(view.rows.find((r) => r.field === "Line SHIRT: quantity")).toMatchObject({ differs: false });
    expect(view.plan).toMatchObject({ writes: ["update"], refusal: null });

    const result = await o.apply();
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining("Queued: the app will update") });
    expect(await db.prisma.orderSync.findUniqueOrThrow({ where: { id: o.row.id } })).toMatchObject({ state: "pending", operation: "update" });
    await o.drain();
    expect(o.erp.documentsFor(o.row.externalId)).toHaveLength(1);
    expect(o.doc().order.lines.find((l) => l.sku === "MUG")!.quantity).toBe(2);
    const after = (await o.diff())!;
    expect(after.rows.filter((r) => r.differs)).toEqual([]);
    expect(after.plan!.summary).toBe("The ERP document matches Shopify: nothing to send.");
    const actions = await db.prisma.orderAction.findMany({ where: { orderSyncId: o.row.id, action: "apply_difference" } });
    expect(actions).toEqual([expect.objectContaining({ actor: "staff user 42" })]);
  });

  it("a document deleted in the ERP: the ERP column is empty, and applying creates it once (looked up first)", async () => {
    const o = await syncedOrder();
    o.erp.documents.splice(o.erp.documents.indexOf(o.doc()), 1);
    const view = (await o.diff())!;
    expect(view.erpDocument).toBeNull();
    expect(view.plan).toMatchObject({ writes: ["create"] });
    expect((await o.apply()).ok).toBe(true);
    await o.drain();
    expect(o.erp.documentsFor(o.row.externalId)).toHaveLength(1);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: o.row.id } })).state).toBe("synced");
  });

  it("a document the ERP has locked (confirmed): applying refuses, says what to change there by hand, and queues nothing", async () => {
    const o = await syncedOrder();
    o.doc().status = "confirmed";
    o.setShopify(updatedOrder(o.shopify(), new Date(Date.now() + 60_000).toISOString(), (p) => {
      p.line_items[0].quantity = 3;
      p.line_items[0].current_quantity = 3;
    }));
    const result = await o.apply();
    expect(result.ok).toBe(false);
    expect(result.message).toContain("is confirmed and no longer takes changes");
    expect(result.message).toContain("Line MUG: quantity 2 → 3");
    expect(result.message).toContain('"Mark resolved"');
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: o.row.id } })).state).toBe("synced");
  });

  it("an order cancelled in Shopify whose ERP document is live: applying cancels it in the ERP", async () => {
    const o = await syncedOrder();
    o.setShopify(updatedOrder(o.shopify(), new Date(Date.now() + 60_000).toISOString(), (p) => {
      p.cancelled_at = new Date().toISOString();
      p.cancel_reason = "customer";
    }));
    const view = (await o.diff())!;
    expect(view.rows.find((r) => r.field === "Cancelled")).toMatchObject({ shopify: "yes", erp: "no", differs: true });
    expect(view.plan).toMatchObject({ writes: ["cancel"] });
    expect((await o.apply()).ok).toBe(true);
    await o.drain();
    expect(o.doc().status).toBe("cancelled");
  });

  it("the ERP's total read back feeds the page's totals check", async () => {
    const o = await syncedOrder();
    o.erp.options.totalFor = () => "1.00";
    await o.diff();
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: o.row.id } })).erpTotal).toBe("1.00");
  });

  it("a connector without readOrder says so plainly", async () => {
    const erp = new FakeErp();
    const provider = new TestConfigProvider().set(SHOP, { erp });
    const row = await db.prisma.orderSync.create({ data: { shop: SHOP, orderId: "55", orderGid: "gid://shopify/Order/55", orderName: "#55", externalId: "shopify-55", snapshot: "{}", sourceUpdatedAt: new Date() } });
    const view = await loadOrderDiff(db.prisma, SHOP, row.id, { fetchOrder: async () => null, configProvider: provider });
    expect(view).toMatchObject({ available: false, message: expect.stringContaining("cannot read documents back") });
    expect(await loadOrderDiff(db.prisma, "other.myshopify.com", row.id, { fetchOrder: async () => null, configProvider: provider })).toBeNull();
  });

  it("a cancelled ERP document for a live order is not reopened automatically", () => {
    const erp = { documentId: "1", documentNumber: "SO-1", externalId: "x", cancelled: true, lines: [], shipping: "0", tax: "0", total: "0" };
    const order = { cancelledAt: null } as never;
    expect(planRepair({ shopify: order, erp, rows: compareThreeWay({ shopify: null, sent: null, erp }), missingRefundIds: [] })).toMatchObject({ writes: [], refusal: expect.stringContaining("does not reopen cancelled documents") });
  });
});
