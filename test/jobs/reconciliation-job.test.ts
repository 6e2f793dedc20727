// The reconciliation job as the worker runs it: real database, real intake,
// the fake Admin API. A missed order reaches the ledger from the scheduled
// run; a merchant's "check now" written while no worker was running is
// answered by the next worker; a shop without an ERP gets a reason instead.
// A run a killed worker left `running` is taken over within two intervals, a
// live run on a slow page is not, a clean shutdown hands over at once, and
// the log says how each run really ended.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReconciliationJob } from "../../app/jobs/reconciliation-job";
import { latestReconciliationActivity, requestReconciliation } from "../../app/reconciliation/prisma-store";
import type { RecordOrderSnapshot } from "../../app/reconciliation/ports";
import { createLogger } from "../../app/logging/logger";
import { recordOrderSnapshot } from "../../app/sync/intake/intake";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { LogCapture } from "../sync/harness";
import { eventually, HOUR, installShop, NOW, quiet, shopifyWorld, shopifyWorldOnWallTime } from "./helpers";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

describe("reconciliation job", () => {
  it("checks syncing shops on schedule, answers a request made while the worker was down, and refuses shops without an ERP", async () => {
    const w = shopifyWorld();
    const shop = w.fake.shop;
    const noErp = "no-erp-yet.myshopify.com";
    await installShop(db.prisma, shop);
    await installShop(db.prisma, noErp, "none");
    const orders = w.fake.seed({ count: 12, startAt: new Date(NOW - 3 * HOUR), spacingMs: 10 * 60_000 });

    // Staff click "Check for missed orders now" before any worker runs.
    const request = await requestReconciliation(db.prisma, shop, new Date(NOW));
    await requestReconciliation(db.prisma, noErp, new Date(NOW));
    expect(request.created).toBe(true);

    const job = startReconciliationJob({ prisma: db.prisma, adminApi: w.adminApi, logger: quiet, clock: w.clock, requestPollMs: 20, tickMs: 50 });
    try {
      // Start-up: the scheduled run hands every missed order to the intake...
      const firstRun = await eventually(async () => {
        const runs = await db.prisma.reconciliationRun.findMany({ where: { shop, status: "completed" }, orderBy: { startedAt: "asc" } });
        return runs.find((r) => r.trigger === "schedule") ?? null;
      });
      expect(firstRun).toMatchObject({ ordersSeen: 12, missingFound: 12, enqueued: 12, error: null });
      const ledger = await db.prisma.orderSync.findMany({ where: { shop }, select: { orderId: true, state: true, externalId: true } });
      expect(ledger.map((r) => r.orderId).sort()).toEqual(orders.map((o) => o.legacyResourceId).sort());
      expect(ledger.every((r) => r.externalId === `shopify-${r.orderId}`)).toBe(true);

      // ...and the waiting request becomes the manual run that follows it (nothing new to enqueue).
      const manual = await eventually(async () => {
        const a = await latestReconciliationActivity(db.prisma, shop);
        return a?.kind === "run" && a.run.trigger === "manual" && a.run.status === "completed" ? a.run : null;
      });
      expect(request.activity.kind === "requested" && request.activity.id).toBe(manual.id);
      // It continues from the scheduled run's watermark (minus the 10-minute overlap): nothing new.
      expect(manual.windowStart.getTime()).toBe(firstRun.windowEnd.getTime() - 10 * 60_000);
      expect(manual).toMatchObject({ missingFound: 0, enqueued: 0, error: null });
      expect(await db.prisma.orderSync.count({ where: { shop } })).toBe(12);

      const refused = await eventually(async () => {
        const a = await latestReconciliationActivity(db.prisma, noErp);
        return a?.kind === "run" ? a.run : null;
      });
      expect(refused).toMatchObject({ status: "failed" });
      expect(refused.error).toMatch(/Connect your ERP in Settings/);
      expect(w.fake.invalidQueries).toEqual([]);
    } finally {
      await job.stop();
    }

    // Stopped means stopped: a new request waits for the next worker.
    await db.prisma.reconciliationRun.updateMany({ where: { shop, status: "running" }, data: { status: "completed" } });
    await requestReconciliation(db.prisma, shop, new Date(NOW + 60_000));
    await job.pickUpRequests();
    await new Promise((r) => setTimeout(r, 100));
    expect(await latestReconciliationActivity(db.prisma, shop)).toMatchObject({ kind: "requested" });
  });
});

describe("runs left behind and log lines", () => {
  /** The scheduler's interval in these tests: a run counts as abandoned after one interval without a heartbeat. */
  const INTERVAL_MS = 1_000;

  /** The job as one worker process runs it, on wall time, its log captured. */
  function worker(w: ReturnType<typeof shopifyWorldOnWallTime>, record: RecordOrderSnapshot = recordOrderSnapshot) {
    const logs = new LogCapture();
    const job = startReconciliationJob({
      prisma: db.prisma,
      adminApi: w.adminApi,
      logger: createLogger({ level: "info", destination: logs.stream }),
      clock: w.clock,
      intervalMs: INTERVAL_MS,
      tickMs: 50,
      requestPollMs: 60_000,
      recordOrderSnapshot: record,
    });
    /** The lines logged about how `shop`'s runs ended (or were skipped), in order. */
    const messages = (shop: string) =>
      logs
        .parsed()
        .filter((l) => l.shop === shop)
        .map((l) => String(l.msg))
        .filter((m) => /^reconciliation (run|skipped)/.test(m));
    return { job, messages };
  }

  /** recordOrderSnapshot taking `ms` per order: a run busy on one page for a long time. */
  const slowIntake =
    (ms: number): RecordOrderSnapshot =>
    async (prisma, input) => {
      await new Promise((r) => setTimeout(r, ms));
      return recordOrderSnapshot(prisma, input);
    };

  it("a run a killed worker left running is taken over within two intervals; the log says it failed, then the new run's own status", async () => {
    const w = shopifyWorldOnWallTime({ shop: "killed-worker.myshopify.com" });
    const clock = w.clock;
    const shop = w.fake.shop;
    await installShop(db.prisma, shop);
    w.fake.seed({ count: 6, startAt: new Date(NOW - 2 * HOUR), spacingMs: 10 * 60_000 });
    // A worker was killed (SIGKILL) mid-run a moment ago: its row still says running, with its last heartbeat.
    const killedAt = clock.now();
    const dead = await db.prisma.reconciliationRun.create({
      data: { shop, trigger: "schedule", status: "running", windowStart: new Date(NOW - 3 * HOUR), windowEnd: new Date(NOW - 60_000), startedAt: new Date(killedAt - 30_000), heartbeatAt: new Date(killedAt), cursor: "page-1", ordersSeen: 250 },
    });

    const { job, messages } = worker(w);
    try {
      const replacement = await eventually(() => db.prisma.reconciliationRun.findFirst({ where: { shop, status: "completed" } }), 2 * INTERVAL_MS + 3_000);
      const closed = await db.prisma.reconciliationRun.findUniqueOrThrow({ where: { id: dead.id } });
      expect(closed).toMatchObject({ status: "failed", finishedAt: dead.heartbeatAt, durationMs: 30_000, ordersSeen: 250 });
      expect(closed.error).toBe("The worker stopped while this check was running. The next check covers the same orders.");
      expect(replacement.startedAt.getTime() - killedAt).toBeLessThanOrEqual(2 * INTERVAL_MS);
      expect(replacement).toMatchObject({ ordersSeen: 6, missingFound: 6, enqueued: 6, error: null });
      expect(await db.prisma.orderSync.count({ where: { shop } })).toBe(6);

      const log = messages(shop);
      // First check: the run was still fresh, so this worker stood aside and said so.
      expect(log[0]).toBe(`reconciliation skipped: run ${dead.id} is still running in another worker`);
      const deadLine = log.indexOf(`reconciliation run ${dead.id} failed: the worker stopped while it was running`);
      const newLine = log.indexOf(`reconciliation run ${replacement.id} completed`);
      expect(deadLine).toBeGreaterThan(0);
      expect(newLine).toBeGreaterThan(deadLine);
      // Nothing ever called the dead run finished or completed.
      expect(log.filter((m) => m.includes(dead.id) && /finished|completed/.test(m))).toEqual([]);
    } finally {
      await job.stop();
    }
  });

  it("a live run busy on one slow page is not taken over: its heartbeat keeps it alive for three intervals", async () => {
    const w = shopifyWorldOnWallTime({ shop: "slow-page.myshopify.com" });
    const shop = w.fake.shop;
    await installShop(db.prisma, shop);
    w.fake.seed({ count: 3, startAt: new Date(NOW - HOUR), spacingMs: 60_000 });

    // Worker A takes 3 × 1.1 intervals on its only page; worker B checks the same shop every interval.
    const a = worker(w, slowIntake(1_100));
    const running = await eventually(() => db.prisma.reconciliationRun.findFirst({ where: { shop, status: "running" } }));
    const b = worker(w);
    try {
      const done = await eventually(() => db.prisma.reconciliationRun.findFirst({ where: { id: running.id, status: { not: "running" } } }), 10_000);
      expect(done).toMatchObject({ status: "completed", enqueued: 3, error: null });
      expect(await db.prisma.reconciliationRun.count({ where: { shop, status: "failed" } })).toBe(0);
      const skipped = b.messages(shop).filter((m) => m === `reconciliation skipped: run ${running.id} is still running in another worker`);
      expect(skipped.length).toBeGreaterThanOrEqual(2);
      expect(a.messages(shop)).toContain(`reconciliation run ${running.id} completed`);
      expect(await db.prisma.orderSync.count({ where: { shop } })).toBe(3);
    } finally {
      await Promise.all([a.job.stop(), b.job.stop()]);
    }
  });

  it("a clean shutdown records the run as failed (shut down) and the next worker starts a new run at once", async () => {
    const w = shopifyWorldOnWallTime({ shop: "shutdown.myshopify.com" });
    const shop = w.fake.shop;
    await installShop(db.prisma, shop);
    w.fake.seed({ count: 3, startAt: new Date(NOW - HOUR), spacingMs: 60_000 });

    const first = worker(w, slowIntake(500));
    const running = await eventually(() => db.prisma.reconciliationRun.findFirst({ where: { shop, status: "running" } }));
    await first.job.stop(); // SIGTERM: deploy or restart
    const stoppedAt = w.clock.now();
    const stopped = await db.prisma.reconciliationRun.findUniqueOrThrow({ where: { id: running.id } });
    expect(stopped.status).toBe("failed");
    expect(stopped.error).toBe("The worker was shut down (restart or deploy) while this check was running. The next check covers the same orders.");
    expect(first.messages(shop)).toContain(`reconciliation run ${running.id} failed: the worker was shut down while it was running`);

    const next = worker(w);
    try {
      const replacement = await eventually(() => db.prisma.reconciliationRun.findFirst({ where: { shop, status: "completed" } }));
      // Its first check runs it: no waiting for the stopped run's heartbeat to go stale.
      expect(replacement.startedAt.getTime() - stoppedAt).toBeLessThan(INTERVAL_MS);
      expect(next.messages(shop)).toEqual([`reconciliation run ${replacement.id} completed`]);
      expect(await db.prisma.orderSync.count({ where: { shop } })).toBe(3);
    } finally {
      await next.job.stop();
    }
  });
});
