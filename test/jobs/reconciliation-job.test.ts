// The reconciliation job as the worker runs it: real database, real intake,
// the fake Admin API. A missed order reaches the ledger from the scheduled
// run; a merchant's "check now" written while no worker was running is
// answered by the next worker; a shop without an ERP gets a reason instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReconciliationJob } from "../../app/jobs/reconciliation-job";
import { latestReconciliationActivity, requestReconciliation } from "../../app/reconciliation/prisma-store";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { eventually, HOUR, installShop, NOW, quiet, shopifyWorld } from "./helpers";

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
