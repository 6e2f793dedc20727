// The engine end to end: webhook intake -> ledger -> worker -> fake ERP.
import { describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, makeRefund, updatedOrder, webhookInput, type OrderSpec } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, setUpSyncTestbed } from "./harness";

const sync = setUpSyncTestbed();
let nextId = 5000000000000000001n;

function freshOrder(spec: OrderSpec = {}) {
  return makeOrder({ id: nextId++, name: `#${1000 + Number(nextId % 100000n)}`, ...spec });
}

async function send(topic: Parameters<typeof webhookInput>[1], payload: unknown, opts = {}) {
  const res = await recordWebhookEvent(sync.prisma, webhookInput(SHOP, topic, payload, opts));
  return res.orderSyncId!;
}

async function row(id: string) {
  return sync.prisma.orderSync.findUniqueOrThrow({ where: { id } });
}

function worker(overrides = {}) {
  return makeWorker(sync.prisma, sync.provider, { now: sync.clock.now, random: () => 0.5, ...overrides }).worker;
}

describe("sync worker", () => {
  it("creates the order once in the ERP with shop-currency money, exact id and mapped item numbers", async () => {
    sync.provider.set(SHOP, { erp: sync.erp, itemNumbers: { "TS-BLUE-M": "ITEM-100" } });
    const order = freshOrder({
      presentment: { currency: "EUR", rate: 0.5 },
      lines: [
        { title: "Blue T-shirt", variantTitle: "M", sku: "TS-BLUE-M", price: "25.00", quantity: 2, discount: "5.00" },
        { title: "Socks", sku: "SOCKS", price: "4.50" },
      ],
    });
    const id = await send("orders/create", order);
    await drain(worker());
    const r = await row(id);
    expect(r.state).toBe("synced");
    const docs = sync.erp.documentsFor(`shopify-${order.id}`);
    expect(docs).toHaveLength(1);
    const sent = docs[0].order;
    expect(sent.currency).toBe("USD");
    expect(sent.lines.map((l) => [l.itemNumber, l.unitPrice, l.quantity, l.discount])).toEqual([
      ["ITEM-100", "25.00", 2, "5.00"],
      ["SOCKS", "4.50", 1, "0.00"],
    ]);
    expect(sent.totals.total).toBe("59.50"); // 50 + 4.50 - 5 + 10 shipping, shop money (presentment would be 29.75)
    expect(sent.discounts).toEqual([{ code: "SAVE", type: "discount_code", amount: "5.00" }]);
    expect(r.erpDocumentId).toBe(docs[0].documentId);
  });

  it("creates one ERP order however often Shopify delivers the same event", async () => {
    const order = freshOrder();
    const input = webhookInput(SHOP, "orders/create", order, { eventId: "evt-same" });
    for (let i = 0; i < 3; i++) await recordWebhookEvent(sync.prisma, input);
    await recordWebhookEvent(sync.prisma, webhookInput(SHOP, "orders/updated", order)); // same content, other topic
    await drain(worker());
    expect(sync.erp.documentsFor(`shopify-${order.id}`)).toHaveLength(1);
    expect(sync.erp.callsOf("updateOrder")).toHaveLength(0);
  });

  it("applies out-of-order updates so the ERP ends with the newest version", async () => {
    const v1 = freshOrder({ updatedAt: "2026-11-20T10:00:00Z", note: "v1" });
    const id = await send("orders/create", v1);
    await drain(worker());
    const v3 = updatedOrder(v1, "2026-11-20T12:00:00Z", (o) => (o.note = "v3"));
    const v2 = updatedOrder(v1, "2026-11-20T11:00:00Z", (o) => (o.note = "v2"));
    await send("orders/updated", v3);
    await send("orders/updated", v2); // late
    await drain(worker());
    expect((await row(id)).state).toBe("synced");
    expect(sync.erp.documentsFor(`shopify-${v1.id}`)[0].order.note).toBe("v3");
    expect(sync.erp.callsOf("updateOrder")).toHaveLength(1);
  });

  it("does not write again when an update changes nothing the ERP cares about (loop guard)", async () => {
    const order = freshOrder({ tags: ["vip"] });
    const id = await send("orders/create", order);
    await drain(worker());
    await send(
      "orders/updated",
      updatedOrder(order, "2026-11-21T09:00:00Z", (o) => {
        o.tags = "vip, erp-synced"; // the app's own tag
        o.fulfillment_status = "fulfilled";
      }),
    );
    await drain(worker());
    expect(sync.erp.callsOf("updateOrder")).toHaveLength(0);
    expect((await row(id)).state).toBe("synced");
  });

  it("skips an order cancelled before it was sent, creating nothing", async () => {
    const order = freshOrder();
    const id = await send("orders/create", order);
    // Same minute as the create (created 15:00Z), before any worker ran.
    await send("orders/cancelled", updatedOrder(order, "2026-11-20T15:05:00Z", (o) => (o.cancelled_at = "2026-11-20T15:05:00Z")));
    await drain(worker());
    const r = await row(id);
    expect(r.state).toBe("skipped");
    expect(r.skipReason).toMatch(/cancelled in Shopify before it was sent/);
    expect(sync.erp.documents).toHaveLength(0);
  });

  it("cancels the ERP order when Shopify cancels a synced one, or asks staff when rules say not to", async () => {
    const order = freshOrder();
    const id = await send("orders/create", order);
    await drain(worker());
    const cancelled = updatedOrder(order, "2026-11-22T10:00:00Z", (o) => (o.cancelled_at = "2026-11-22T10:00:00Z"));
    await send("orders/cancelled", cancelled);
    await drain(worker());
    expect(sync.erp.documentsFor(`shopify-${order.id}`)[0].status).toBe("cancelled");
    expect((await row(id)).state).toBe("synced");

    sync.provider.set(SHOP, { erp: sync.erp, rules: { cancelInErp: false } });
    const other = freshOrder();
    const otherId = await send("orders/create", other);
    await drain(worker());
    await send("orders/cancelled", updatedOrder(other, "2026-11-22T10:00:00Z", (o) => (o.cancelled_at = "2026-11-22T10:00:00Z")));
    await drain(worker());
    const r = await row(otherId);
    expect(r.state).toBe("needs_attention");
    expect(r.lastError).toMatch(/cancel ERP order SO\d+ yourself/);
    expect(sync.erp.documentsFor(`shopify-${other.id}`)[0].status).toBe("quotation");
  });

  it("does not duplicate when the ERP committed but the answer timed out", async () => {
    const order = freshOrder();
    sync.erp.failNext("createOrder", { kind: "timeoutAfterCommit" });
    const id = await send("orders/create", order);
    const w = worker();
    await drain(w);
    expect((await row(id)).state).toBe("retrying");
    sync.clock.advance(60 * 60_000);
    await drain(w);
    expect((await row(id)).state).toBe("synced");
    expect(sync.erp.documentsFor(`shopify-${order.id}`)).toHaveLength(1);
    expect(sync.erp.callsOf("findOrder")).toHaveLength(1);
    expect(sync.erp.callsOf("createOrder")).toHaveLength(1);
  });

  it("waits at least Retry-After after a 429", async () => {
    const order = freshOrder();
    sync.erp.failNext("createOrder", { kind: "rateLimited", retryAfterMs: 45_000 });
    const id = await send("orders/create", order);
    const w = worker();
    await drain(w);
    const r = await row(id);
    expect(r.state).toBe("retrying");
    expect(r.nextAttemptAt.getTime() - sync.clock.ms).toBeGreaterThanOrEqual(45_000);
    sync.clock.advance(44_000);
    expect(await w.runOnce()).toBe(0);
    sync.clock.advance(60 * 60_000);
    await drain(w);
    expect((await row(id)).state).toBe("synced");
    expect(sync.erp.documentsFor(`shopify-${order.id}`)).toHaveLength(1);
  });

  it("recovers an order from a worker that crashed mid-send, without a duplicate", async () => {
    const order = freshOrder();
    // Worker A: the ERP commits, then its connection hangs; A "dies" (we abort it by stopping it).
    sync.erp.failNext("createOrder", { kind: "hangAfterCommit" });
    const id = await send("orders/create", order);
    const a = makeWorker(sync.prisma, sync.provider, { now: sync.clock.now, leaseMs: 200, workerId: "A" }).worker;
    const running = a.runOnce();
    await new Promise((r) => setTimeout(r, 100));
    expect((await row(id)).state).toBe("sending");
    await a.stop(0); // crash-like: aborts the hung call, no cleanup of the row
    await running;
    expect((await row(id)).state).toBe("sending");
    // Worker B cannot take it while the lease is valid, but can after it expires.
    const b = makeWorker(sync.prisma, sync.provider, { now: sync.clock.now, leaseMs: 200, workerId: "B" }).worker;
    expect(await b.runOnce()).toBe(0);
    sync.clock.advance(1_000);
    await drain(b);
    const r = await row(id);
    expect(r.state).toBe("synced");
    expect(sync.erp.documentsFor(`shopify-${order.id}`)).toHaveLength(1);
    const attempts = await sync.prisma.syncAttempt.findMany({ where: { orderSyncId: id }, orderBy: { startedAt: "asc" } });
    expect(attempts.map((a) => a.outcome)).toEqual(["lease_lost", "synced"]);
  });

  it("keeps the claim through a send slower than the lease, so a second worker never sends the same order", async () => {
    sync.erp.options.latencyMs = 300;
    const order = freshOrder();
    await send("orders/create", order);
    const a = makeWorker(sync.prisma, sync.provider, { leaseMs: 120, workerId: "A" }).worker;
    const b = makeWorker(sync.prisma, sync.provider, { leaseMs: 120, workerId: "B" }).worker;
    const first = a.runOnce();
    // B polls repeatedly while A's call (300 ms) outlives its 120 ms lease several times.
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 60));
      await b.runOnce();
    }
    await first;
    expect(sync.erp.documentsFor(`shopify-${order.id}`)).toHaveLength(1);
    expect(sync.erp.maxInFlightPerOrder).toBe(1);
  });

  it("two workers racing over many orders send each order exactly once", async () => {
    sync.erp.options.latencyMs = 5;
    sync.provider.set(SHOP, { erp: sync.erp, limits: { maxConcurrency: 8 } });
    const orders = Array.from({ length: 40 }, () => freshOrder());
    for (const o of orders) await send("orders/create", o);
    const a = makeWorker(sync.prisma, sync.provider, { workerId: "A", pollIntervalMs: 5 }).worker;
    const b = makeWorker(sync.prisma, sync.provider, { workerId: "B", pollIntervalMs: 5 }).worker;
    await Promise.all([drain(a, 50), drain(b, 50)]);
    for (const o of orders) expect(sync.erp.documentsFor(`shopify-${o.id}`)).toHaveLength(1);
    expect(sync.erp.maxInFlightPerOrder).toBe(1);
  });

  it("syncs a 250-line order", async () => {
    const lines = Array.from({ length: 250 }, (_, i) => ({ title: `Part ${i + 1}`, sku: `P-${i + 1}`, price: "1.00" }));
    const order = freshOrder({ lines });
    const id = await send("orders/create", order);
    await drain(worker());
    expect((await row(id)).state).toBe("synced");
    const doc = sync.erp.documentsFor(`shopify-${order.id}`)[0];
    expect(doc.order.lines).toHaveLength(250);
    expect(doc.order.totals.total).toBe("260.00");
  });

  it("collects every problem before sending, in words staff can act on", async () => {
    sync.provider.set(SHOP, { erp: sync.erp, skuFallbackAllowed: false, itemNumbers: { MAPPED: "I-1" } });
    const order = freshOrder({
      name: "#1042",
      lines: [
        { title: "Blue T-shirt", variantTitle: "M", sku: null },
        { title: "Green T-shirt", variantTitle: "L", sku: "" },
        { title: "Mug", sku: "UNMAPPED-9" },
        { title: "Mapped", sku: "MAPPED" },
      ],
    });
    const id = await send("orders/create", order);
    await drain(worker());
    const r = await row(id);
    expect(r.state).toBe("needs_attention");
    expect(JSON.parse(r.problems)).toEqual([
      'Cannot sync order #1042: line item "Blue T-shirt / M" has no SKU. Add a SKU to the variant in Shopify, then retry.',
      'Cannot sync order #1042: line item "Green T-shirt / L" has no SKU. Add a SKU to the variant in Shopify, then retry.',
      'Cannot sync order #1042: SKU "UNMAPPED-9" (line item "Mug") has no ERP item number. Map it to an ERP item in ERP Order Sync (on this order\'s page, or Settings → SKU mapping), then retry.',
    ]);
    expect(sync.erp.calls).toHaveLength(0);
  });

  it("says so when no ERP connection is set up", async () => {
    sync.provider.set(SHOP, { erp: null });
    const id = await send("orders/create", freshOrder());
    await drain(worker());
    const r = await row(id);
    expect(r.state).toBe("needs_attention");
    expect(r.lastError).toMatch(/no ERP connection is set up/);
  });

  it("accepts zero-priced and gift-card lines and non-ASCII names", async () => {
    const order = freshOrder({
      lines: [
        { title: "Geschenk – Überraschung", variantTitle: "Größe M", sku: "GIFT-Ü", price: "0.00" },
        { title: "Gift card", sku: null, price: "50.00", giftCard: true },
        { title: "寿司セット", sku: "SUSHI-1", price: "12.00" },
      ],
    });
    const id = await send("orders/create", order);
    await drain(worker());
    expect((await row(id)).state).toBe("synced");
    const lines = sync.erp.documentsFor(`shopify-${order.id}`)[0].order.lines;
    expect(lines.map((l) => [l.displayName, l.itemNumber, l.unitPrice, l.giftCard])).toEqual([
      ["Geschenk – Überraschung / Größe M", "GIFT-Ü", "0.00", false],
      ["Gift card", null, "50.00", true],
      ["寿司セット", "SUSHI-1", "12.00", false],
    ]);
  });

  it("skips test orders by default, saying which rule", async () => {
    const id = await send("orders/create", freshOrder({ test: true }));
    await drain(worker());
    const r = await row(id);
    expect(r.state).toBe("skipped");
    expect(r.skipReason).toMatch(/test order.*Skip test orders/);
    expect(sync.erp.calls).toHaveLength(0);
  });

  it("retries a transient failure, then stops at a permanent one with the ERP's message", async () => {
    const order = freshOrder();
    sync.erp.failNext("createOrder", { kind: "http", status: 503 });
    sync.erp.failNext("createOrder", { kind: "unprocessable", message: "Customer country is required" });
    const id = await send("orders/create", order);
    const w = worker();
    await drain(w);
    expect((await row(id)).state).toBe("retrying");
    sync.clock.advance(60 * 60_000);
    await drain(w);
    const r = await row(id);
    expect(r.state).toBe("needs_attention");
    expect(r.lastError).toContain("Customer country is required");
    expect(sync.erp.documents).toHaveLength(0);
  });

  it("retries a failing order for 72 hours, at most 15 minutes apart, then says what to do; staff Retry then syncs it", async () => {
    const order = freshOrder();
    const externalId = `shopify-${order.id}`;
    sync.erp.options.now = () => sync.clock.ms;
    sync.erp.downUntil(Infinity, externalId); // this order's calls fail (5xx-like), the ERP answers others
    const id = await send("orders/create", order);
    const w = worker({ random: Math.random });
    const firstAttemptAt = sync.clock.ms;
    // Steps of the 15-minute cap: a delay within the cap is always due at the next step.
    const stepMs = 15 * 60_000;
    let stateBeforeWindowEnd = "";
    while (sync.clock.ms - firstAttemptAt < 73 * 3_600_000) {
      await w.runOnce();
      if (sync.clock.ms - firstAttemptAt < 71.5 * 3_600_000) stateBeforeWindowEnd = (await row(id)).state;
      sync.clock.advance(stepMs);
    }
    expect(stateBeforeWindowEnd).toBe("retrying");
    const failed = await row(id);
    expect(failed.state).toBe("failed");
    // The attempt count is kept, but it no longer ends the retries (it used to stop at 10).
    expect(failed.attemptCount).toBeGreaterThan(250);
    expect(failed.lastError).toMatch(/kept trying for 72 hours \(\d+ attempts\) and has stopped/);
    expect(failed.lastError).toMatch(/Check that your ERP is running .* then choose "Retry" on this order\./);
    const attempts = await sync.prisma.syncAttempt.findMany({ where: { orderSyncId: id }, orderBy: { startedAt: "asc" }, select: { startedAt: true } });
    const lastAt = attempts.at(-1)!.startedAt.getTime();
    expect(lastAt - firstAttemptAt).toBeGreaterThanOrEqual(72 * 3_600_000);
    expect(lastAt - firstAttemptAt).toBeLessThan(72 * 3_600_000 + 15 * 60_000 + stepMs);
    const gaps = attempts.slice(1).map((a, i) => a.startedAt.getTime() - attempts[i].startedAt.getTime());
    expect(Math.max(...gaps)).toBe(stepMs);

    sync.erp.downUntil(0);
    const { retryNow } = await import("../../app/sync/delivery/replay");
    const res = await retryNow(sync.prisma, { shop: SHOP, ids: [id], actor: "ops@acme.test", now: sync.clock.now() });
    expect(res.done).toEqual([id]);
    await drain(w);
    expect((await row(id)).state).toBe("synced");
    expect(sync.erp.documentsFor(externalId)).toHaveLength(1);
    const actions = await sync.prisma.orderAction.findMany({ where: { orderSyncId: id } });
    expect(actions.map((a) => [a.action, a.actor])).toEqual([["retry_now", "ops@acme.test"]]);
  });

  it("records each refund once, including one that arrives before the order", async () => {
    const order = freshOrder();
    const refund = makeRefund(order, { refundId: 7000000000000000001n });
    const id = await send("refunds/create", refund);
    await send("orders/create", order);
    await send("refunds/create", refund); // redelivered with a new event id
    await drain(worker());
    const doc = sync.erp.documentsFor(`shopify-${order.id}`);
    expect(doc).toHaveLength(1);
    expect(doc[0].refunds.map((r) => r.refundId)).toEqual(["7000000000000000001"]);
    expect(doc[0].refunds[0].amount).toBe(order.line_items[0].price);
    expect((await row(id)).state).toBe("synced");
  });

  it("flags a total that differs between the ERP and Shopify", async () => {
    sync.erp.options.totalFor = (o) => (Number(o.totals.total) - 0.01).toFixed(2);
    const id = await send("orders/create", freshOrder());
    await drain(worker());
    const r = await row(id);
    expect(r.state).toBe("needs_attention");
    expect(r.erpDocumentId).not.toBeNull();
    expect(r.lastError).toMatch(/ERP total \([\d.]+ USD\) differs from the Shopify total/);
  });

  it("keeps each shop's ERP within its concurrency limit and never lets one shop's failures hold up another", async () => {
    const slow = new FakeErp({ latencyMs: 15, concurrencyLimit: 2 });
    const broken = new FakeErp();
    broken.failNext("createOrder", { kind: "http", status: 503 }, 1000);
    sync.provider.set("slow.myshopify.com", { erp: slow, limits: { maxConcurrency: 2 } });
    sync.provider.set("broken.myshopify.com", { erp: broken });
    for (let i = 0; i < 12; i++) {
      await recordWebhookEvent(sync.prisma, webhookInput("broken.myshopify.com", "orders/create", freshOrder()));
      await recordWebhookEvent(sync.prisma, webhookInput("slow.myshopify.com", "orders/create", freshOrder()));
    }
    const w = worker({ concurrency: 16 });
    await drain(w, 30);
    expect(slow.documents).toHaveLength(12);
    expect(slow.maxInFlight).toBeLessThanOrEqual(2);
    expect(slow.concurrencyViolations).toBe(0);
    expect(await sync.prisma.orderSync.count({ where: { shop: "broken.myshopify.com", state: "retrying" } })).toBe(12);
  });
});
