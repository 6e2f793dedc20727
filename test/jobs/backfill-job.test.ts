// The backfill runner as the worker runs it: it picks up imports staff
// started (rows in BackfillJob), resumes one a dead worker left behind,
// hands a job over at once on a clean shutdown (same bulk operation, no
// second export), and stops at a cancel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackfillJob } from "../../app/jobs/backfill-job";
import { cancelBackfill, planBackfill } from "../../app/reconciliation/backfill";
import type { SnapshotInput } from "../../app/reconciliation/ports";
import { PrismaReconciliationStore } from "../../app/reconciliation/prisma-store";
import { recordOrderSnapshot } from "../../app/sync/intake/intake";
import type { PrismaClient } from "@prisma/client";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { DAY, eventually, NOW, quiet, shopifyWorld } from "./helpers";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

let n = 0;
function setup(options: Parameters<typeof shopifyWorld>[0] = {}) {
  const w = shopifyWorld({ shop: `backfill-${++n}.myshopify.com`, ...options });
  const store = new PrismaReconciliationStore(db.prisma);
  const plan = (days: number) =>
    planBackfill(
      { prisma: db.prisma, admin: w.adminApi.forShop(w.fake.shop), store, recordOrderSnapshot, clock: w.clock, settings: { bulkThreshold: 100 } },
      { from: new Date(NOW - days * DAY), to: new Date(NOW), requestedBy: "staff@example.com" },
    );
  const runner = (extra: Partial<Parameters<typeof startBackfillJob>[0]> = {}) =>
    startBackfillJob({ prisma: db.prisma, adminApi: w.adminApi, logger: quiet, fetch: w.fetch, clock: w.clock, pollMs: 20, backfillSettings: { bulkPollMs: 1000 }, ...extra });
  return { w, store, plan, runner };
}

const ledgerIds = async (shop: string) => (await db.prisma.orderSync.findMany({ where: { shop }, select: { orderId: true } })).map((r) => r.orderId).sort();

describe("backfill job", () => {
  it("runs an import staff started, into the ledger, and records progress", async () => {
    const { w, store, plan, runner } = setup();
    const orders = w.fake.seed({ count: 30, startAt: new Date(NOW - 10 * DAY), spacingMs: 6 * 3600_000 });
    const planned = await plan(11);
    if (!planned.ok) throw new Error(planned.message);
    expect(planned.job).toMatchObject({ mode: "paged", status: "pending", estimatedTotal: 30 });

    const job = runner();
    try {
      const done = await eventually(async () => {
        const j = await store.getBackfill(planned.job.id);
        return j?.status === "completed" ? j : null;
      });
      expect(done).toMatchObject({ processed: 30, enqueued: 30, error: null });
      expect(done.startedAt).not.toBeNull();
      expect(await ledgerIds(w.fake.shop)).toEqual(orders.map((o) => o.legacyResourceId).sort());
    } finally {
      await job.stop();
    }
  });

  it("resumes an import whose worker died, once its heartbeat is old, without losing or repeating orders", async () => {
    const { w, store, plan, runner } = setup();
    const orders = w.fake.seed({ count: 40, startAt: new Date(NOW - 5 * DAY), spacingMs: 3 * 3600_000 });
    const planned = await plan(6);
    if (!planned.ok) throw new Error(planned.message);

    // Worker A dies while handing in the 11th order: that call never returns.
    const seen: string[] = [];
    const dying = async (prisma: PrismaClient, input: SnapshotInput) => {
      if (seen.length >= 10) return new Promise<never>(() => {});
      seen.push((input.payload as { id: string }).id);
      return recordOrderSnapshot(prisma, input);
    };
    // (It looks for work once: a dead process does not pick up other tests' jobs.)
    const a = runner({ recordOrderSnapshot: dying, pollMs: 3600_000 });
    await eventually(async () => seen.length >= 10);
    void a; // never stopped: it is "dead"
    const left = (await store.getBackfill(planned.job.id))!;
    expect(left).toMatchObject({ status: "running", processed: 8 }); // two pages of four checkpointed

    const b = runner();
    try {
      expect(await b.pickUp()).toEqual([]); // heartbeat still fresh: someone may be on it
      w.clock.advance(10 * 60_000);
      expect(await b.pickUp()).toEqual([planned.job.id]);
      await b.idle();
      expect(await store.getBackfill(planned.job.id)).toMatchObject({ status: "completed", processed: 40 });
      expect(await ledgerIds(w.fake.shop)).toEqual(orders.map((o) => o.legacyResourceId).sort());
    } finally {
      await b.stop();
    }
  });

  it("hands a bulk import over at a clean shutdown: the next worker continues the same Shopify export", async () => {
    const { w, store, plan, runner } = setup({ bulkPollsUntilComplete: 40, requestDelayMs: 5 });
    w.fake.seed({ count: 150, startAt: new Date(NOW - 20 * DAY), spacingMs: 3 * 3600_000 });
    const planned = await plan(21);
    if (!planned.ok) throw new Error(planned.message);
    expect(planned.job.mode).toBe("bulk");

    const first = runner();
    await eventually(async () => (await store.getBackfill(planned.job.id))?.bulkOperationId);
    await first.stop();
    const handedOver = (await store.getBackfill(planned.job.id))!;
    expect(handedOver).toMatchObject({ status: "running", heartbeatAt: null });

    const second = runner(); // no clock advance needed
    try {
      const done = await eventually(async () => {
        const j = await store.getBackfill(planned.job.id);
        return j?.status === "completed" ? j : null;
      });
      expect(done).toMatchObject({ processed: 150, bulkOperationId: handedOver.bulkOperationId });
      expect(w.fake.bulkOperations).toHaveLength(1);
      expect(await db.prisma.orderSync.count({ where: { shop: w.fake.shop } })).toBe(150);
    } finally {
      await second.stop();
    }
  });

  it("stops at a cancel from staff and keeps what was imported", async () => {
    const { w, store, plan, runner } = setup({ requestDelayMs: 5 });
    w.fake.seed({ count: 80, startAt: new Date(NOW - 5 * DAY), spacingMs: 3600_000 });
    const planned = await plan(6);
    if (!planned.ok) throw new Error(planned.message);
    const job = runner();
    try {
      await eventually(async () => ((await store.getBackfill(planned.job.id))?.processed ?? 0) >= 8);
      await cancelBackfill(store, planned.job.id);
      const cancelled = await eventually(async () => {
        const j = await store.getBackfill(planned.job.id);
        return j?.status === "cancelled" ? j : null;
      });
      expect(cancelled.processed).toBeLessThan(80);
      expect(cancelled.finishedAt).not.toBeNull();
      expect(await db.prisma.orderSync.count({ where: { shop: w.fake.shop } })).toBe(cancelled.processed);
    } finally {
      await job.stop();
    }
  });
});
