// In-memory ReconciliationStore for tests and bench:reconcile. A "restart"
// in tests keeps this object and throws everything else away, which is what a
// database would give a restarted worker.
import { randomUUID } from "node:crypto";
import type { BackfillJob, NewBackfill, NewRun, ReconciliationRun, ReconciliationStore } from "../app/reconciliation/store";

export class MemoryReconciliationStore implements ReconciliationStore {
  private readonly watermarks = new Map<string, Date>();
  private readonly runs = new Map<string, ReconciliationRun>();
  private readonly backfills = new Map<string, BackfillJob>();

  async getWatermark(shop: string) {
    return this.watermarks.get(shop) ?? null;
  }
  async setWatermark(shop: string, at: Date) {
    this.watermarks.set(shop, at);
  }

  async createRun(input: NewRun) {
    const run: ReconciliationRun = {
      ...input,
      id: randomUUID(),
      status: "running",
      cursor: null,
      ordersSeen: 0,
      missingFound: 0,
      staleFound: 0,
      enqueued: 0,
      costSpent: 0,
      throttled: 0,
      heartbeatAt: input.startedAt,
      finishedAt: null,
      durationMs: null,
      error: null,
    };
    this.runs.set(run.id, run);
    return { ...run };
  }
  async updateRun(id: string, patch: Partial<ReconciliationRun>) {
    const run = this.runs.get(id);
    if (!run) throw new Error(`no reconciliation run ${id}`);
    Object.assign(run, patch);
    return { ...run };
  }
  async updateRunningRun(id: string, patch: Partial<ReconciliationRun>, heartbeatAt?: Date) {
    const run = this.runs.get(id);
    if (!run || run.status !== "running" || (heartbeatAt && run.heartbeatAt.getTime() !== heartbeatAt.getTime())) return null;
    Object.assign(run, patch);
    return { ...run };
  }
  async findRunningRun(shop: string) {
    const run = [...this.runs.values()].find((r) => r.shop === shop && r.status === "running");
    return run ? { ...run } : null;
  }
  async listRuns(shop: string, limit: number) {
    return [...this.runs.values()]
      .filter((r) => r.shop === shop)
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  async createBackfill(input: NewBackfill) {
    const job: BackfillJob = {
      ...input,
      id: randomUUID(),
      status: "pending",
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
    };
    this.backfills.set(job.id, job);
    return { ...job };
  }
  async getBackfill(id: string) {
    const job = this.backfills.get(id);
    return job ? { ...job } : null;
  }
  async updateBackfill(id: string, patch: Partial<BackfillJob>) {
    const job = this.backfills.get(id);
    if (!job) throw new Error(`no backfill ${id}`);
    Object.assign(job, patch);
    return { ...job };
  }
  async findActiveBackfill(shop: string) {
    const job = [...this.backfills.values()].find((j) => j.shop === shop && (j.status === "pending" || j.status === "running"));
    return job ? { ...job } : null;
  }
  async listBackfills(shop: string, limit: number) {
    return [...this.backfills.values()]
      .filter((j) => j.shop === shop)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, limit)
      .map((j) => ({ ...j }));
  }
}
