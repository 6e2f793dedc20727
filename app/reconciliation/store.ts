// Where reconciliation runs and backfill jobs are remembered, so a restarted
// worker resumes a backfill from its stored cursor instead of starting over,
// and knows which reconciliation run a dead worker left behind. The app keeps
// them in the database (prisma-store.ts); tests and bench:reconcile keep them
// in memory (testkit/memory-reconciliation-store.ts).

export type RunTrigger = "schedule" | "manual";
export type RunStatus = "running" | "completed" | "failed";

export interface ReconciliationRun {
  id: string;
  shop: string;
  trigger: RunTrigger;
  status: RunStatus;
  /** Orders updated in [windowStart, windowEnd] are compared with the ledger. */
  windowStart: Date;
  windowEnd: Date;
  /** Page cursor after the last fully processed page (progress). */
  cursor: string | null;
  ordersSeen: number;
  missingFound: number;
  staleFound: number;
  enqueued: number;
  /** Admin API cost points actually spent. */
  costSpent: number;
  throttled: number;
  startedAt: Date;
  /** Last sign of life (renewed on a timer and at every page); an old one means the worker died mid-run. */
  heartbeatAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  /** Plain-words reason when failed. */
  error: string | null;
}

export type BackfillMode = "paged" | "bulk";
export type BackfillStatus = "pending" | "running" | "completed" | "failed" | "cancelled";

export interface BackfillJob {
  id: string;
  shop: string;
  /** Orders created in [rangeStart, rangeEnd). */
  rangeStart: Date;
  rangeEnd: Date;
  mode: BackfillMode;
  status: BackfillStatus;
  /** Paged mode: cursor after the last processed page. */
  cursor: string | null;
  /** Bulk mode: the Shopify bulk operation, reused after a restart. */
  bulkOperationId: string | null;
  /** Bulk mode: result lines' root objects already handed in (skipped on resume). */
  bulkRootsDone: number;
  estimatedTotal: number | null;
  processed: number;
  enqueued: number;
  costSpent: number;
  requestedBy: string;
  cancelRequested: boolean;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
}

export type NewRun = Pick<ReconciliationRun, "shop" | "trigger" | "windowStart" | "windowEnd" | "startedAt">;
export type NewBackfill = Pick<BackfillJob, "shop" | "rangeStart" | "rangeEnd" | "mode" | "requestedBy" | "estimatedTotal" | "createdAt">;

export interface ReconciliationStore {
  /** Latest updated_at known to be fully compared with the ledger. */
  getWatermark(shop: string): Promise<Date | null>;
  setWatermark(shop: string, at: Date): Promise<void>;

  createRun(run: NewRun): Promise<ReconciliationRun>;
  updateRun(id: string, patch: Partial<Omit<ReconciliationRun, "id" | "shop">>): Promise<ReconciliationRun>;
  /**
   * updateRun as a compare-and-set: writes only while the run is still
   * `running` (and, when `heartbeatAt` is given, still carries that
   * heartbeat). Null when another worker has closed or taken it over since.
   */
  updateRunningRun(id: string, patch: Partial<Omit<ReconciliationRun, "id" | "shop">>, heartbeatAt?: Date): Promise<ReconciliationRun | null>;
  /** The shop's run still marked running (a crash leaves one behind). */
  findRunningRun(shop: string): Promise<ReconciliationRun | null>;
  listRuns(shop: string, limit: number): Promise<ReconciliationRun[]>;

  createBackfill(job: NewBackfill): Promise<BackfillJob>;
  getBackfill(id: string): Promise<BackfillJob | null>;
  updateBackfill(id: string, patch: Partial<Omit<BackfillJob, "id" | "shop">>): Promise<BackfillJob>;
  /** The shop's pending or running backfill, if any (one at a time per shop). */
  findActiveBackfill(shop: string): Promise<BackfillJob | null>;
  listBackfills(shop: string, limit: number): Promise<BackfillJob[]>;
}
