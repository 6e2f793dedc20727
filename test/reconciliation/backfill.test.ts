// Backfill imports a date range: small ranges page through orders, large ones
// use a bulk operation whose JSONL result (thousands of lines) is streamed.
// Jobs report progress, can be cancelled, resume after a restart without a
// second bulk operation, and explain a missing read_all_orders permission.
import { describe, expect, it } from "vitest";
import { backfillProgress, cancelBackfill, planBackfill, runBackfill, type BackfillDeps } from "../../app/reconciliation/backfill";
import { shopifyRestOrderSchema } from "../../app/sync/order/shopify-rest-order";
import { noPrisma, quiet, world } from "./helpers";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const DAY = 24 * 3600_000;

function deps(w: ReturnType<typeof world>, extra: Partial<BackfillDeps> = {}): BackfillDeps {
  return {
    prisma: noPrisma,
    admin: w.newAdmin(),
    store: w.store,
    recordOrderSnapshot: w.intake.record,
    fetch: w.fake.fetch,
    clock: w.clock,
    logger: quiet,
    settings: { bulkThreshold: 100, bulkPollMs: 1000, checkpointEvery: 100 },
    ...extra,
  };
}

type Payload = { id: string; line_items: unknown[]; refunds: unknown[] };

describe("backfill", () => {
  it("pages through a small range, completing orders with many lines", async () => {
    const w = world({ restoreRate: 100 });
    const orders = w.fake.seed({ count: 30, startAt: new Date(NOW - 5 * DAY), spacingMs: 3600_000, bigOrderEvery: 10, bigOrderLines: 45, refundEvery: 7 });
    const plan = await planBackfill(deps(w), { from: new Date(NOW - 6 * DAY), to: new Date(NOW), requestedBy: "staff@example.com" });
    expect(plan).toMatchObject({ ok: true, job: { mode: "paged", estimatedTotal: 30 } });
    if (!plan.ok) return;
    const job = await runBackfill(deps(w), plan.job.id);
    expect(job).toMatchObject({ status: "completed", processed: 30, enqueued: 30 });
    expect(backfillProgress(job, w.clock.now())).toMatchObject({ percent: 100 });
    const byId = new Map(w.intake.calls.map((c) => [(c.payload as Payload).id, c.payload as Payload]));
    for (const o of orders) {
      expect(byId.get(o.legacyResourceId)?.line_items).toHaveLength(o.lineItems.length);
      expect(byId.get(o.legacyResourceId)?.refunds).toHaveLength(o.refunds.length);
    }
    expect(w.intake.calls.every((c) => c.source === "backfill")).toBe(true);
    expect(w.fake.throttledCount).toBe(0);
  });

  it("uses a bulk operation for a large range and streams thousands of JSONL lines", async () => {
    const w = world({ restoreRate: 100, jsonlChunkBytes: 4096 });
    const orders = w.fake.seed({ count: 2000, startAt: new Date(NOW - 30 * DAY), spacingMs: 20 * 60_000, bigOrderEvery: 100, refundEvery: 50 });
    const plan = await planBackfill(deps(w), { from: new Date(NOW - 31 * DAY), to: new Date(NOW), requestedBy: "staff" });
    expect(plan).toMatchObject({ ok: true, job: { mode: "bulk", estimatedTotal: 2000 } });
    if (!plan.ok) return;
    const job = await runBackfill(deps(w), plan.job.id);

    expect(job).toMatchObject({ status: "completed", processed: 2000, bulkRootsDone: 2000 });
    const lines = w.fake.bulkOperations[0].lines!;
    expect(lines.length).toBeGreaterThan(5000);
    expect(w.fake.bulkOperations[0].groupObjects).toBe(true);
    const byId = new Map(w.intake.calls.map((c) => [(c.payload as Payload).id, c.payload as Payload]));
    expect(byId.size).toBe(2000);
    for (const o of orders) {
      const p = byId.get(o.legacyResourceId)!;
      expect(p.line_items).toHaveLength(o.lineItems.length);
      expect(p.refunds).toHaveLength(o.refunds.length);
    }
    expect(() => shopifyRestOrderSchema.parse(w.intake.calls[99].payload)).not.toThrow();
    expect(w.fake.invalidQueries).toEqual([]);
  });

  it("resumes a bulk import after a restart without starting another export", async () => {
    const w = world({ restoreRate: 1000 });
    w.fake.seed({ count: 600, startAt: new Date(NOW - 10 * DAY), spacingMs: 20 * 60_000 });
    const plan = await planBackfill(deps(w), { from: new Date(NOW - 11 * DAY), to: new Date(NOW), requestedBy: "staff" });
    if (!plan.ok) throw new Error(plan.message);
    const shutdown = new AbortController();
    let handed = 0;
    const stopping = async (...args: Parameters<typeof w.intake.record>) => {
      if (++handed === 250) shutdown.abort(new Error("SIGTERM"));
      return w.intake.record(...args);
    };
    await expect(runBackfill(deps(w, { recordOrderSnapshot: stopping }), plan.job.id, shutdown.signal)).rejects.toThrow();
    expect(await w.store.getBackfill(plan.job.id)).toMatchObject({ status: "running", bulkRootsDone: 200 });

    const done = await runBackfill(deps(w), plan.job.id);
    expect(done).toMatchObject({ status: "completed", processed: 600 });
    expect(w.fake.bulkOperations).toHaveLength(1);
    expect(new Set(w.intake.recordedIds()).size).toBe(600);
    expect(w.intake.calls.length).toBeLessThanOrEqual(650); // only the unsaved tail of the first attempt is redone
  });

  it("stops when cancelled", async () => {
    const w = world({ restoreRate: 1000 });
    w.fake.seed({ count: 60, startAt: new Date(NOW - 3 * DAY), spacingMs: 60_000 });
    const plan = await planBackfill(deps(w), { from: new Date(NOW - 4 * DAY), to: new Date(NOW), requestedBy: "staff" });
    if (!plan.ok) throw new Error(plan.message);
    const cancelling = async (...args: Parameters<typeof w.intake.record>) => {
      if (w.intake.calls.length === 10) await cancelBackfill(w.store, plan.job.id);
      return w.intake.record(...args);
    };
    const job = await runBackfill(deps(w, { recordOrderSnapshot: cancelling }), plan.job.id);
    expect(job.status).toBe("cancelled");
    expect(job.processed).toBeLessThan(60);
    expect(job.processed).toBeGreaterThanOrEqual(10);
  });

  it("explains that orders older than 60 days need read_all_orders", async () => {
    const w = world({ scopes: ["read_orders"] });
    const denied = await planBackfill(deps(w), { from: new Date(NOW - 90 * DAY), to: new Date(NOW), requestedBy: "staff" });
    expect(denied).toMatchObject({ ok: false, code: "MISSING_READ_ALL_ORDERS" });
    if (!denied.ok) expect(denied.message).toMatch(/Read all orders.*approve it/);

    const granted = world({ scopes: ["read_orders", "read_all_orders"] });
    granted.fake.seed({ count: 5, startAt: new Date(NOW - 80 * DAY) });
    const ok = await planBackfill(deps(granted), { from: new Date(NOW - 90 * DAY), to: new Date(NOW), requestedBy: "staff" });
    expect(ok).toMatchObject({ ok: true, job: { estimatedTotal: 5 } });
  });

  it("refuses a reversed range and a second concurrent import", async () => {
    const w = world();
    expect(await planBackfill(deps(w), { from: new Date(NOW), to: new Date(NOW - DAY), requestedBy: "staff" })).toMatchObject({ ok: false, code: "INVALID_RANGE" });
    await planBackfill(deps(w), { from: new Date(NOW - DAY), to: new Date(NOW), requestedBy: "staff" });
    expect(await planBackfill(deps(w), { from: new Date(NOW - DAY), to: new Date(NOW), requestedBy: "staff" })).toMatchObject({ ok: false, code: "ALREADY_RUNNING" });
  });
});
