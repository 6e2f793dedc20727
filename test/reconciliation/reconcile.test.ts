// Reconciliation finds what webhooks missed: orders the ledger has never seen
// and orders whose latest update never arrived. Runs are recorded; a run a
// dead worker left behind is closed as failed and the next run covers its
// window, and a failure leaves the watermark where it was so nothing is
// skipped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkErpTotals } from "../../app/reconciliation/erp-check";
import { prismaLedgerReader } from "../../app/reconciliation/ledger";
import { reconcileShop, type ReconcileDeps } from "../../app/reconciliation/reconcile";
import { ReconciliationScheduler } from "../../app/reconciliation/scheduler";
import { recordOrderSnapshot } from "../../app/sync/intake/intake";
import { shopifyRestOrderSchema } from "../../app/sync/order/shopify-rest-order";
import { graphqlOrderToRestPayload } from "../../app/reconciliation/graphql-order-to-rest";
import { fetchOrderForSync } from "../../app/reconciliation/order-fetcher";
import type { ErpConnector } from "../../app/connectors/port";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { noPrisma, quiet, world } from "./helpers";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const HOUR = 3600_000;

function deps(w: ReturnType<typeof world>, admin = w.newAdmin(), extra: Partial<ReconcileDeps> = {}): ReconcileDeps {
  return { prisma: noPrisma, admin, ledger: w.intake, store: w.store, recordOrderSnapshot: w.intake.record, clock: w.clock, logger: quiet, ...extra };
}

describe("reconciliation", () => {
  it("finds a missed order and a missed update, and records the run", async () => {
    const w = world();
    const orders = w.fake.seed({ count: 300, startAt: new Date(NOW - 4 * HOUR), spacingMs: 30_000 });
    // Webhooks arrived for every order except one...
    for (const o of orders) if (o.name !== "#1006") w.intake.rows.set(o.legacyResourceId, w.intake.entry(o.legacyResourceId, o.name, new Date(o.updatedAt)));
    // ...and one order was edited later without its orders/updated webhook.
    const edited = w.fake.touch(orders[10].legacyResourceId, new Date(NOW - HOUR), (o) => (o.note = "Leave at the door"));

    const run = await reconcileShop(deps(w), "schedule");

    expect(run).toMatchObject({ status: "completed", ordersSeen: 300, missingFound: 1, staleFound: 1, enqueued: 2, error: null });
    expect(run.costSpent).toBeGreaterThan(0);
    expect(run.windowEnd.getTime()).toBe(NOW);
    expect(w.intake.recordedIds()).toEqual([orders[5].legacyResourceId, edited.legacyResourceId]);
    for (const call of w.intake.calls) {
      expect(call.source).toBe("reconciliation");
      expect(() => shopifyRestOrderSchema.parse(call.payload)).not.toThrow();
    }
    expect((w.intake.calls[1].payload as { note: string }).note).toBe("Leave at the door");
    expect(await w.store.getWatermark(w.fake.shop)).toEqual(new Date(NOW));
    expect(w.fake.invalidQueries).toEqual([]);

    // Next run: only the overlap window is listed, and only news is enqueued.
    w.clock.advance(15 * 60_000);
    w.fake.touch(orders[20].legacyResourceId, new Date(NOW + 5 * 60_000));
    const next = await reconcileShop(deps(w), "schedule");
    expect(next.windowStart.getTime()).toBe(NOW - 10 * 60_000);
    expect(next).toMatchObject({ status: "completed", ordersSeen: 1, staleFound: 1, enqueued: 1 });
  });

  it("closes a run a dead worker left behind as failed, and the next run covers its window: every order reaches the intake once", async () => {
    const w = world();
    const orders = w.fake.seed({ count: 400, startAt: new Date(NOW - 20 * HOUR), spacingMs: 60_000 });
    await w.store.setWatermark(w.fake.shop, new Date(NOW - 21 * HOUR));
    // The worker dies while handing in order 121: that call never returns.
    let handedIn = 0;
    let crashed!: () => void;
    const crash = new Promise<void>((r) => (crashed = r));
    const dying = async (...args: Parameters<typeof w.intake.record>) => {
      if (++handedIn > 120) {
        crashed();
        return new Promise<never>(() => {});
      }
      return w.intake.record(...args);
    };
    void reconcileShop(deps(w, w.newAdmin(), { recordOrderSnapshot: dying, settings: { pageSize: 50 } }), "schedule");
    await crash;
    const interrupted = (await w.store.findRunningRun(w.fake.shop))!;
    expect(interrupted).toMatchObject({ status: "running", enqueued: 100 }); // two pages checkpointed
    expect(interrupted.cursor).not.toBeNull();

    // A new worker (fresh client, same database) takes over once the run looks abandoned.
    w.clock.advance(10 * 60_000);
    const next = await reconcileShop(deps(w, w.newAdmin(), { settings: { pageSize: 50 } }), "schedule");

    const [newest, closed] = await w.store.listRuns(w.fake.shop, 2);
    expect(closed).toMatchObject({ id: interrupted.id, status: "failed", enqueued: 100, finishedAt: interrupted.heartbeatAt });
    expect(closed.error).toMatch(/worker stopped while this check was running/);
    expect(newest.id).toBe(next.id);
    expect(next.id).not.toBe(interrupted.id);
    // Same watermark, so its window covers the dead run's; the 120 orders handed in before the crash are no longer missing.
    expect(next.windowStart).toEqual(interrupted.windowStart);
    expect(next).toMatchObject({ status: "completed", ordersSeen: 400, missingFound: 280, enqueued: 280, error: null });
    // Every order reached the intake, none twice.
    const recorded = w.intake.recordedIds();
    expect(new Set(recorded).size).toBe(400);
    expect(recorded).toHaveLength(400);
    expect(orders.every((o) => recorded.includes(o.legacyResourceId))).toBe(true);
  });

  it("beats its heartbeat at most once a second and one at a time, even when told a run goes stale at once", async () => {
    // staleRunAfterMs 0 (the chaos run's setting) used to beat every millisecond and
    // took every pooled PostgreSQL connection: intake then could not start a transaction.
    const w = world();
    w.fake.seed({ count: 20, startAt: new Date(NOW - HOUR), spacingMs: 30_000 });
    let beats = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const store = Object.create(w.store) as typeof w.store;
    store.updateRunningRun = async (id, patch, heartbeatAt) => {
      if (patch.heartbeatAt && Object.keys(patch).length === 1) {
        beats++;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 50));
        inFlight--;
      }
      return w.store.updateRunningRun(id, patch, heartbeatAt);
    };
    // Each snapshot takes a while, as a busy database would.
    const slowRecord: ReconcileDeps["recordOrderSnapshot"] = async (prisma, input) => {
      await new Promise((r) => setTimeout(r, 60));
      return w.intake.record(prisma, input);
    };
    const started = Date.now();
    const run = await reconcileShop(deps(w, w.newAdmin(), { store, recordOrderSnapshot: slowRecord, settings: { staleRunAfterMs: 0 } }), "manual");
    const seconds = (Date.now() - started) / 1000;
    expect(run.status).toBe("completed");
    expect(beats).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(maxInFlight).toBeLessThanOrEqual(1);
  });

  it("leaves a run alone while its worker is still alive", async () => {
    const w = world();
    w.fake.seed({ count: 5, startAt: new Date(NOW - HOUR) });
    const live = await w.store.createRun({ shop: w.fake.shop, trigger: "schedule", windowStart: new Date(NOW - HOUR), windowEnd: new Date(NOW), startedAt: new Date(NOW) });
    const result = await reconcileShop(deps(w), "manual");
    expect(result.id).toBe(live.id);
    expect(w.intake.calls).toHaveLength(0);
  });

  it("records a failure in plain words and keeps the watermark", async () => {
    const w = world();
    w.fake.seed({ count: 5, startAt: new Date(NOW - HOUR) });
    await w.store.setWatermark(w.fake.shop, new Date(NOW - 2 * HOUR));
    w.fake.accessToken = "shpat_after_reinstall"; // our stored token (and its refresh) is dead
    const run = await reconcileShop(deps(w), "schedule");
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/re-authorise|reinstall/);
    expect(await w.store.getWatermark(w.fake.shop)).toEqual(new Date(NOW - 2 * HOUR));
  });

  it("reports ERP-side differences for synced orders", async () => {
    const w = world();
    w.intake.rows.set("1", w.intake.entry("1", "#1001", new Date(NOW - HOUR), "10.00"));
    w.intake.rows.set("2", w.intake.entry("2", "#1002", new Date(NOW - HOUR), "20.00"));
    w.intake.rows.set("3", w.intake.entry("3", "#1003", new Date(NOW - HOUR), "30.00"));
    const erp: Record<string, string> = { "shopify-1": "10.0", "shopify-2": "25.00" };
    const connector = {
      findOrder: async (externalId: string) => (erp[externalId] ? { documentId: externalId, total: erp[externalId] } : null),
    } as unknown as ErpConnector;
    const problems = await checkErpTotals(w.intake, connector, { shop: w.fake.shop, from: new Date(NOW - 2 * HOUR), to: new Date(NOW) });
    expect(problems.map((p) => [p.orderName, p.kind])).toEqual([
      ["#1002", "total_mismatch"],
      ["#1003", "missing_in_erp"],
    ]);
    expect(problems[0].message).toMatch(/25.00.*20.00/);
  });
});

describe("reconciliation with the real ledger and intake", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.cleanup());

  it("puts an order whose webhook never came into the ledger, once", async () => {
    const w = world();
    const orders = w.fake.seed({ count: 20, startAt: new Date(NOW - 3 * HOUR), spacingMs: 5 * 60_000 });
    const admin = w.newAdmin();
    // 19 orders arrived by webhook (recorded through the engine's own intake).
    for (const o of orders.slice(0, 19)) {
      const full = await fetchOrderForSync(admin, o.id);
      await recordOrderSnapshot(db.prisma, { shop: w.fake.shop, source: "refetch", payload: graphqlOrderToRestPayload(full!), observedAt: new Date(NOW - HOUR) });
    }
    expect(await db.prisma.orderSync.count()).toBe(19);

    const real: ReconcileDeps = { prisma: db.prisma, admin, ledger: prismaLedgerReader(db.prisma), store: w.store, recordOrderSnapshot, clock: w.clock, logger: quiet };
    const run = await reconcileShop(real, "manual");
    expect(run).toMatchObject({ status: "completed", ordersSeen: 20, missingFound: 1, enqueued: 1 });
    const row = await db.prisma.orderSync.findUnique({ where: { shop_orderId: { shop: w.fake.shop, orderId: orders[19].legacyResourceId } } });
    expect(row).toMatchObject({ orderName: orders[19].name, externalId: `shopify-${orders[19].legacyResourceId}` });

    w.clock.advance(15 * 60_000);
    await w.store.setWatermark(w.fake.shop, new Date(NOW - 4 * HOUR)); // re-list everything
    const again = await reconcileShop(real, "manual");
    expect(again).toMatchObject({ ordersSeen: 20, missingFound: 0, staleFound: 0, enqueued: 0 });
    expect(await db.prisma.orderSync.count()).toBe(20);
  });
});

describe("reconciliation scheduler", () => {
  it("runs due shops on its interval and refuses a second run for a busy shop", async () => {
    const w = world();
    const pending: (() => void)[] = [];
    const releaseAll = () => pending.splice(0).forEach((r) => r());
    const started: string[] = [];
    const scheduler = new ReconciliationScheduler({
      listShops: async () => ["a.myshopify.com", "b.myshopify.com"],
      reconcile: async (shop, trigger) => {
        started.push(`${shop}:${trigger}`);
        await new Promise<void>((r) => pending.push(r));
        return { id: "run", status: "completed", enqueued: 0 } as never;
      },
      intervalMs: 15 * 60_000,
      clock: w.clock,
      logger: quiet,
    });
    expect(await scheduler.tick()).toEqual(["a.myshopify.com", "b.myshopify.com"]);
    expect(scheduler.requestRun("a.myshopify.com")).toMatchObject({ accepted: false });
    releaseAll();
    await scheduler.idle("a.myshopify.com");
    await scheduler.idle("b.myshopify.com");
    expect(await scheduler.tick()).toEqual([]); // not due yet
    expect(scheduler.requestRun("a.myshopify.com")).toEqual({ accepted: true }); // on demand is fine
    w.clock.advance(15 * 60_000);
    expect(await scheduler.tick()).toEqual(["b.myshopify.com"]); // a is busy with its manual run
    releaseAll();
    await scheduler.stop();
    expect(started).toEqual(["a.myshopify.com:schedule", "b.myshopify.com:schedule", "a.myshopify.com:manual", "b.myshopify.com:schedule"]);
  });
});
