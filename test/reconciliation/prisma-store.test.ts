// The ReconciliationStore contract, run against both implementations: the
// in-memory one the logic tests use and the Prisma one production uses (on a
// fresh migrated SQLite database). Then what only the Prisma store does:
// survive a new client (restart), and turn a merchant's "check now" request
// into the run that answers it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryReconciliationStore } from "../../testkit/memory-reconciliation-store";
import {
  latestReconciliationActivity,
  PrismaReconciliationStore,
  refuseRequestedRuns,
  requestReconciliation,
  shopsWithRequestedRuns,
} from "../../app/reconciliation/prisma-store";
import { reconcileShop } from "../../app/reconciliation/reconcile";
import type { ReconciliationStore } from "../../app/reconciliation/store";
import { createPrismaClient } from "../../app/db/client";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { noPrisma, quiet, world } from "./helpers";

const T0 = new Date("2026-11-25T12:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});

let shopCounter = 0;
// Each test uses its own shop, so the shared database needs no cleaning.
const freshShop = () => `contract-${++shopCounter}.myshopify.com`;

const implementations: [string, () => ReconciliationStore][] = [
  ["memory", () => new MemoryReconciliationStore()],
  ["prisma", () => new PrismaReconciliationStore(db.prisma)],
];

describe.each(implementations)("ReconciliationStore contract (%s)", (_name, makeStore) => {
  it("keeps a watermark per shop and moves it", async () => {
    const store = makeStore();
    const [a, b] = [freshShop(), freshShop()];
    expect(await store.getWatermark(a)).toBeNull();
    await store.setWatermark(a, at(0));
    await store.setWatermark(a, at(15));
    await store.setWatermark(b, at(5));
    expect(await store.getWatermark(a)).toEqual(at(15));
    expect(await store.getWatermark(b)).toEqual(at(5));
  });

  it("creates a running run with zero counts, updates it and lists newest first", async () => {
    const store = makeStore();
    const shop = freshShop();
    const first = await store.createRun({ shop, trigger: "schedule", windowStart: at(-60), windowEnd: at(0), startedAt: at(0) });
    expect(first).toMatchObject({
      shop,
      trigger: "schedule",
      status: "running",
      cursor: null,
      ordersSeen: 0,
      missingFound: 0,
      staleFound: 0,
      enqueued: 0,
      costSpent: 0,
      throttled: 0,
      heartbeatAt: at(0),
      finishedAt: null,
      durationMs: null,
      error: null,
    });
    expect(await store.findRunningRun(shop)).toEqual(first);

    const updated = await store.updateRun(first.id, { cursor: "abc", ordersSeen: 250, enqueued: 2, heartbeatAt: at(1) });
    expect(updated).toMatchObject({ id: first.id, cursor: "abc", ordersSeen: 250, enqueued: 2, heartbeatAt: at(1), status: "running" });
    const done = await store.updateRun(first.id, { status: "completed", finishedAt: at(2), durationMs: 120_000 });
    expect(done.status).toBe("completed");
    expect(await store.findRunningRun(shop)).toBeNull();

    const second = await store.createRun({ shop, trigger: "manual", windowStart: at(-10), windowEnd: at(15), startedAt: at(15) });
    await store.createRun({ shop: freshShop(), trigger: "schedule", windowStart: at(0), windowEnd: at(20), startedAt: at(20) });
    const listed = await store.listRuns(shop, 10);
    expect(listed.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(listed[1]).toMatchObject({ status: "completed", ordersSeen: 250, durationMs: 120_000 });
    expect(await store.listRuns(shop, 1)).toHaveLength(1);
  });

  it("refuses to update a run or backfill that does not exist", async () => {
    const store = makeStore();
    await expect(store.updateRun("missing", { status: "failed" })).rejects.toThrow();
    await expect(store.updateBackfill("missing", { status: "failed" })).rejects.toThrow();
    expect(await store.getBackfill("missing")).toBeNull();
  });

  it("creates a pending backfill, finds it as active until it ends, and lists newest first", async () => {
    const store = makeStore();
    const shop = freshShop();
    const job = await store.createBackfill({
      shop,
      rangeStart: at(-7 * 24 * 60),
      rangeEnd: at(0),
      mode: "bulk",
      requestedBy: "staff@example.com",
      estimatedTotal: 1200,
      createdAt: at(0),
    });
    expect(job).toMatchObject({
      shop,
      status: "pending",
      mode: "bulk",
      cursor: null,
      bulkOperationId: null,
      bulkRootsDone: 0,
      processed: 0,
      enqueued: 0,
      costSpent: 0,
      cancelRequested: false,
      error: null,
      startedAt: null,
      heartbeatAt: null,
      finishedAt: null,
      estimatedTotal: 1200,
    });
    expect(await store.getBackfill(job.id)).toEqual(job);
    expect((await store.findActiveBackfill(shop))?.id).toBe(job.id);

    await store.updateBackfill(job.id, { status: "running", startedAt: at(1), bulkOperationId: "gid://shopify/BulkOperation/1", processed: 50 });
    expect(await store.findActiveBackfill(shop)).toMatchObject({ status: "running", processed: 50, bulkOperationId: "gid://shopify/BulkOperation/1" });
    await store.updateBackfill(job.id, { status: "cancelled", cancelRequested: true, finishedAt: at(2) });
    expect(await store.findActiveBackfill(shop)).toBeNull();

    const later = await store.createBackfill({ shop, rangeStart: at(-60), rangeEnd: at(0), mode: "paged", requestedBy: "x", estimatedTotal: 3, createdAt: at(5) });
    expect((await store.listBackfills(shop, 10)).map((j) => j.id)).toEqual([later.id, job.id]);
    expect(await store.listBackfills(freshShop(), 10)).toEqual([]);
  });
});

describe("PrismaReconciliationStore", () => {
  it("is still there for a new database client (a restarted worker)", async () => {
    const shop = freshShop();
    const before = new PrismaReconciliationStore(db.prisma);
    await before.setWatermark(shop, at(30));
    const run = await before.createRun({ shop, trigger: "schedule", windowStart: at(0), windowEnd: at(30), startedAt: at(30) });
    await before.updateRun(run.id, { cursor: "page-3", enqueued: 7 });

    const restarted = createPrismaClient(db.url);
    try {
      const after = new PrismaReconciliationStore(restarted);
      expect(await after.getWatermark(shop)).toEqual(at(30));
      expect(await after.findRunningRun(shop)).toMatchObject({ id: run.id, cursor: "page-3", enqueued: 7 });
    } finally {
      await restarted.$disconnect();
    }
  });

  it("stores a failure reason holding U+0000 or a lone surrogate (quoted from an answer) readably", async () => {
    const shop = freshShop();
    const store = new PrismaReconciliationStore(db.prisma);
    const run = await store.createRun({ shop, trigger: "schedule", windowStart: at(0), windowEnd: at(30), startedAt: at(30) });
    expect(await store.updateRun(run.id, { status: "failed", error: "Shopify answered: bad\u0000query \udc00" })).toMatchObject({
      error: "Shopify answered: bad\uFFFDquery \uFFFD",
    });
    const job = await store.createBackfill({ shop, rangeStart: at(-60), rangeEnd: at(0), mode: "paged", requestedBy: "x\ud800", estimatedTotal: 3, createdAt: at(1) });
    expect(job.requestedBy).toBe("x\uFFFD");
    expect(await store.updateBackfill(job.id, { status: "failed", error: "cut\u0000" })).toMatchObject({ error: "cut\uFFFD" });
  });

  it("turns a merchant's request into the manual run that answers it", async () => {
    const shop = freshShop();
    const store = new PrismaReconciliationStore(db.prisma);
    const first = await requestReconciliation(db.prisma, shop, at(0));
    const again = await requestReconciliation(db.prisma, shop, at(1));
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, activity: first.activity });
    expect(await shopsWithRequestedRuns(db.prisma)).toContain(shop);
    // A request is not a run: nothing is listed or "running" yet.
    expect(await store.listRuns(shop, 5)).toEqual([]);
    expect(await store.findRunningRun(shop)).toBeNull();
    expect(await latestReconciliationActivity(db.prisma, shop)).toMatchObject({ kind: "requested" });

    const run = await store.createRun({ shop, trigger: "manual", windowStart: at(-10), windowEnd: at(2), startedAt: at(2) });
    expect(first.activity.kind === "requested" && run.id).toBe(first.activity.kind === "requested" && first.activity.id);
    expect(run).toMatchObject({ status: "running", trigger: "manual", windowEnd: at(2) });
    expect(await shopsWithRequestedRuns(db.prisma)).not.toContain(shop);
    // While the manual run is going, another click does not queue a second one.
    expect(await requestReconciliation(db.prisma, shop, at(3))).toMatchObject({ created: false, activity: { kind: "run" } });
    expect(await latestReconciliationActivity(db.prisma, shop)).toMatchObject({ kind: "run", run: { id: run.id, status: "running" } });
  });

  it("ends a request that cannot run as failed, with the reason for staff", async () => {
    const shop = freshShop();
    await requestReconciliation(db.prisma, shop, at(0));
    expect(await refuseRequestedRuns(db.prisma, shop, "Connect your ERP in Settings first.", at(1))).toBe(1);
    expect(await latestReconciliationActivity(db.prisma, shop)).toMatchObject({
      kind: "run",
      run: { status: "failed", error: "Connect your ERP in Settings first." },
    });
  });

  it("runs reconciliation end to end, and a run a dead worker left in the database is closed and covered by the next", async () => {
    const w = world();
    const shop = w.fake.shop;
    await db.prisma.reconciliationRun.deleteMany({ where: { shop } });
    const orders = w.fake.seed({ count: 120, startAt: new Date(w.clock.now() - 3 * 3600_000), spacingMs: 60_000 });
    let handedIn = 0;
    let crashed!: () => void;
    const crash = new Promise<void>((r) => (crashed = r));
    const dying = async (...args: Parameters<typeof w.intake.record>) => {
      if (++handedIn > 60) {
        crashed();
        return new Promise<never>(() => {});
      }
      return w.intake.record(...args);
    };
    const store = () => new PrismaReconciliationStore(db.prisma);
    const deps = { prisma: noPrisma, ledger: w.intake, clock: w.clock, logger: quiet, settings: { pageSize: 50 } };
    void reconcileShop({ ...deps, admin: w.newAdmin(), store: store(), recordOrderSnapshot: dying }, "schedule");
    await crash;
    expect(await store().findRunningRun(shop)).toMatchObject({ enqueued: 50 });

    const abandoned = (await store().findRunningRun(shop))!;

    w.clock.advance(10 * 60_000);
    const next = await reconcileShop({ ...deps, admin: w.newAdmin(), store: store(), recordOrderSnapshot: w.intake.record }, "schedule");
    const [newest, closed] = await store().listRuns(shop, 2);
    expect(closed).toMatchObject({ id: abandoned.id, status: "failed", enqueued: 50, finishedAt: abandoned.heartbeatAt });
    expect(closed.error).toMatch(/worker stopped/);
    // The whole window is listed again; the 60 orders that reached the ledger
    // before the crash are no longer missing: 60 more enqueued.
    expect(next).toMatchObject({ id: newest.id, status: "completed", ordersSeen: 120, missingFound: 60, enqueued: 60 });
    expect(new Set(w.intake.recordedIds())).toEqual(new Set(orders.map((o) => o.legacyResourceId)));
    expect(w.intake.recordedIds()).toHaveLength(120);
    expect(await store().getWatermark(shop)).toEqual(next.windowEnd);
  });
});
