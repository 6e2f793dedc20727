// Staff actions (replay), the sync log, its retention, and what logs contain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import { markResolved, refetchAndRetry, retryNow, skip } from "../../app/sync/delivery/replay";
import { purgeSyncLog } from "../../app/sync/ledger/sync-log";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, toRawBody, updatedOrder, webhookInput } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, TestClock } from "./harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

const OTHER_SHOP = "other.myshopify.com";
let db: TestDatabase;
let nextId = 6000000000000000001n;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

async function orderIn(shop: string, spec: Parameters<typeof makeOrder>[0] = {}) {
  const order = makeOrder({ id: nextId++, name: `#${3000 + Number(nextId % 1000n)}`, ...spec });
  const res = await recordWebhookEvent(db.prisma, webhookInput(shop, "orders/create", order));
  return { order, id: res.orderSyncId! };
}

describe("replay", () => {
  it("only acts on the shop's own orders, one or many at once, recording who did it", async () => {
    const mine = [await orderIn(SHOP), await orderIn(SHOP)];
    const theirs = await orderIn(OTHER_SHOP);
    const res = await skip(db.prisma, {
      shop: SHOP,
      ids: [mine[0].id, mine[1].id, theirs.id],
      actor: "anna@acme.test",
      note: "duplicate order",
    });
    expect(res.done.sort()).toEqual([mine[0].id, mine[1].id].sort());
    expect(res.notFound).toEqual([theirs.id]);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: theirs.id } })).state).toBe("pending");
    const skipped = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: mine[0].id } });
    expect(skipped.state).toBe("skipped");
    expect(skipped.skipReason).toContain("duplicate order");
    const actions = await db.prisma.orderAction.findMany({ where: { shop: SHOP, action: "skip" } });
    expect(actions).toHaveLength(2);
    expect(actions.every((a) => a.actor === "anna@acme.test")).toBe(true);
  });

  it("keeps a staff note holding U+0000 or a lone surrogate readable in the skip reason and the action record", async () => {
    const { id } = await orderIn(SHOP);
    const res = await skip(db.prisma, { shop: SHOP, ids: [id], actor: "anna\ud800@acme.test", note: "pasted\u0000from a spreadsheet" });
    expect(res.done).toEqual([id]);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id } })).skipReason).toBe(
      'Skipped by anna\uFFFD@acme.test: pasted\uFFFDfrom a spreadsheet. Choose "Retry" to sync it after all.',
    );
    expect(await db.prisma.orderAction.findFirstOrThrow({ where: { orderSyncId: id } })).toMatchObject({
      actor: "anna\uFFFD@acme.test",
      note: "pasted\uFFFDfrom a spreadsheet",
    });
  });

  it("a staff skip survives later Shopify updates; retry brings it back", async () => {
    const { order, id } = await orderIn(SHOP);
    await skip(db.prisma, { shop: SHOP, ids: [id], actor: "u-1" });
    await recordWebhookEvent(
      db.prisma,
      webhookInput(SHOP, "orders/updated", updatedOrder(order, "2026-11-22T00:00:00Z", (o) => (o.note = "changed"))),
    );
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id } })).state).toBe("skipped");
    await retryNow(db.prisma, { shop: SHOP, ids: [id], actor: "u-1" });
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id } })).state).toBe("pending");
  });

  it("refuses to touch an order a worker is sending right now", async () => {
    const { id } = await orderIn(SHOP);
    await db.prisma.orderSync.update({
      where: { id },
      data: { state: "sending", leaseToken: "t", leaseOwner: "w", leaseExpiresAt: new Date(Date.now() + 60_000) },
    });
    const res = await retryNow(db.prisma, { shop: SHOP, ids: [id], actor: "u-1" });
    expect(res.busy).toEqual([id]);
  });

  it("re-fetches from Shopify, then syncs the fresh copy", async () => {
    const erp = new FakeErp();
    const provider = new TestConfigProvider().set(SHOP, { erp, skuFallbackAllowed: true });
    const { order, id } = await orderIn(SHOP, { lines: [{ title: "Lamp", sku: null, price: "30.00" }] });
    const clock = new TestClock();
    const { worker } = makeWorker(db.prisma, provider, { now: clock.now });
    await drain(worker);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id } })).state).toBe("needs_attention");
    const fixed = updatedOrder(order, "2026-11-23T00:00:00Z", (o) => (o.line_items[0].sku = "LAMP-1"));
    const fetched: string[] = [];
    const res = await refetchAndRetry(db.prisma, {
      shop: SHOP,
      ids: [id],
      actor: "anna@acme.test",
      fetchOrder: async (shop, gid) => {
        fetched.push(`${shop} ${gid}`);
        return toRawBody(fixed);
      },
    });
    expect(res.done).toEqual([id]);
    expect(fetched).toEqual([`${SHOP} gid://shopify/Order/${order.id}`]);
    clock.advance(1_000);
    await drain(worker);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id } })).state).toBe("synced");
    expect(erp.documentsFor(`shopify-${order.id}`)[0].order.lines[0].itemNumber).toBe("LAMP-1");
  });

  it("mark resolved: staff fixed it in the ERP, nothing is re-sent", async () => {
    const erp = new FakeErp();
    const provider = new TestConfigProvider().set(SHOP, { erp });
    const { id } = await orderIn(SHOP);
    await markResolved(db.prisma, { shop: SHOP, ids: [id], actor: "u-2", erpDocumentId: "SO-MANUAL-1" });
    const clock = new TestClock();
    await drain(makeWorker(db.prisma, provider, { now: clock.now }).worker);
    const r = await db.prisma.orderSync.findUniqueOrThrow({ where: { id } });
    expect(r.state).toBe("synced");
    expect(r.erpDocumentId).toBe("SO-MANUAL-1");
    expect(erp.calls).toHaveLength(0);
  });
});

describe("sync log and logs", () => {
  it("logs a full run as JSON lines with the event id, and no customer e-mails, phones or secrets", async () => {
    const shop = "privacy.myshopify.com";
    const erp = new FakeErp();
    erp.failNext("createOrder", {
      kind: "http",
      status: 503,
      body: 'upstream said: customer jane.doe@example.com phone +1 613 555 0100 token=sk_live_abcdef123456 password: hunter2',
    });
    const provider = new TestConfigProvider().set(shop, { erp });
    const order = makeOrder({ id: nextId++, email: "jane.doe@example.com" });
    order.customer.email = "jane.doe@example.com";
    order.customer.phone = "+1 613 555 0100";
    const input = webhookInput(shop, "orders/create", order, { eventId: "evt-privacy-1" });
    await recordWebhookEvent(db.prisma, input);
    const clock = new TestClock();
    const { worker, logs } = makeWorker(db.prisma, provider, { now: clock.now });
    await drain(worker);
    clock.advance(3_600_000);
    await drain(worker);
    expect(erp.documents).toHaveLength(1); // the ERP did get the customer: only logs must not
    const attempts = await db.prisma.syncAttempt.findMany({ where: { shop } });
    const stored = JSON.stringify(attempts);
    for (const text of [logs.text, stored]) {
      expect(text).not.toContain("jane.doe@example.com");
      expect(text).not.toContain("613 555 0100");
      expect(text).not.toContain("sk_live_abcdef123456");
      expect(text).not.toContain("hunter2");
    }
    const lines = logs.parsed().filter((l) => l.orderSyncId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.correlationId === "evt-privacy-1")).toBe(true);
    expect(attempts.map((a) => [a.operation, a.outcome, a.correlationId, a.attemptNumber])).toEqual([
      ["create", "retrying", "evt-privacy-1", 1],
      ["create", "synced", "evt-privacy-1", 2],
    ]);
    expect(attempts[0].requestStatus).toBe("http 503");
    expect(attempts[1].idempotencyKey).toMatch(new RegExp(`^shopify-${order.id}:create:[0-9a-f]{16}$`));
  });

  it("purges sync-log rows and processed inbox events older than each shop's retention", async () => {
    const shop = "retention.myshopify.com";
    await db.prisma.shopSettings.create({ data: { shop, logRetentionDays: 7 } });
    const { id } = await orderIn(shop);
    const day = 86_400_000;
    const now = new Date();
    for (const ageDays of [1, 6, 8, 40]) {
      await db.prisma.syncAttempt.create({
        data: {
          shop,
          orderSyncId: id,
          externalId: "x",
          localId: "#1",
          operation: "create",
          startedAt: new Date(now.getTime() - ageDays * day),
          attemptNumber: 1,
          outcome: "synced",
        },
      });
    }
    const { id: otherId } = await orderIn("default-retention.myshopify.com");
    for (const ageDays of [20, 31]) {
      await db.prisma.syncAttempt.create({
        data: {
          shop: "default-retention.myshopify.com",
          orderSyncId: otherId,
          externalId: "x",
          localId: "#1",
          operation: "create",
          startedAt: new Date(now.getTime() - ageDays * day),
          attemptNumber: 1,
          outcome: "synced",
        },
      });
    }
    await db.prisma.webhookEvent.updateMany({ where: { shop }, data: { receivedAt: new Date(now.getTime() - 8 * day) } });
    const res = await purgeSyncLog(db.prisma, now);
    expect(await db.prisma.syncAttempt.count({ where: { shop } })).toBe(2);
    expect(await db.prisma.syncAttempt.count({ where: { shop: "default-retention.myshopify.com" } })).toBe(1);
    expect(await db.prisma.webhookEvent.count({ where: { shop } })).toBe(0);
    expect(res.attemptsDeleted).toBeGreaterThanOrEqual(3);
    // The ledger row itself stays.
    expect(await db.prisma.orderSync.count({ where: { id } })).toBe(1);
  });
});
