// What the merchant pages show and do about reconciliation ("Check for
// missed orders now") and backfill ("Import past orders"). The web process
// only writes requests and reads state: the worker does the work
// (app/jobs/), so every page returns at once and a merchant can leave and
// come back (everything is in the database).
import type { PrismaClient } from "@prisma/client";
import {
  backfillProgress,
  cancelBackfill,
  planBackfill,
  RECENT_ORDERS_WINDOW_MS,
} from "../reconciliation/backfill";
import { latestReconciliationActivity, PrismaReconciliationStore, requestReconciliation } from "../reconciliation/prisma-store";
import type { BackfillJob, ReconciliationRun } from "../reconciliation/store";
import type { AdminClient } from "../shopify-admin/admin-client";
import { systemClock } from "../lib/clock";
import { getWorkerStatus } from "./worker-status.server";

export type CheckState = "never" | "requested" | "running" | "completed" | "failed";

export interface ReconciliationPanel {
  state: CheckState;
  /** One line for the health banner, e.g. "Checked 120 orders … 2 missing orders found and queued." */
  summary: string | null;
  /** When the shown run started (or the request was made). */
  at: string | null;
  /** Plain-words reason of a failed run. */
  error: string | null;
  /** Set while a check is requested or running but no worker reports (worker-status.server.ts). */
  workerWarning: string | null;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const timeOf = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export function describeRun(run: ReconciliationRun): string {
  const window = `orders updated between ${timeOf(run.windowStart)} and ${timeOf(run.windowEnd)}`;
  const who = run.trigger === "manual" ? "Check requested by staff" : "Scheduled check";
  if (run.status === "running") return `${who} in progress: ${plural(run.ordersSeen, "order", "orders")} compared so far (${window}).`;
  const found =
    run.missingFound + run.staleFound === 0
      ? "nothing was missing"
      : [
          run.missingFound ? `${plural(run.missingFound, "missed order", "missed orders")} found` : null,
          run.staleFound ? `${plural(run.staleFound, "missed update", "missed updates")} found` : null,
        ]
          .filter(Boolean)
          .join(" and ") + `, ${plural(run.enqueued, "order", "orders")} queued for the ERP`;
  // A request the worker refused never had a window: its reason says it all.
  if (run.status === "failed" && run.windowStart.getTime() === run.windowEnd.getTime() && run.error) return run.error;
  if (run.status === "failed") {
    return `${who} stopped after comparing ${plural(run.ordersSeen, "order", "orders")} (${window}): ${run.error ?? "unknown error"}`;
  }
  return `${who}: compared ${plural(run.ordersSeen, "order", "orders")} (${window}); ${found}.`;
}

export async function loadReconciliationPanel(prisma: PrismaClient, shop: string): Promise<ReconciliationPanel> {
  const [activity, worker] = await Promise.all([latestReconciliationActivity(prisma, shop), getWorkerStatus(prisma)]);
  if (!activity) return { state: "never", summary: null, at: null, error: null, workerWarning: null };
  if (activity.kind === "requested") {
    return {
      state: "requested",
      // Requested but not started says why, instead of "Requested" forever.
      summary: worker.warning ?? "Check for missed orders requested: it starts within a few seconds.",
      at: activity.requestedAt.toISOString(),
      error: null,
      workerWarning: worker.warning,
    };
  }
  const run = activity.run;
  return {
    state: run.status,
    summary: describeRun(run),
    at: run.startedAt.toISOString(),
    error: run.error,
    workerWarning: run.status === "running" ? worker.warning : null,
  };
}

export async function requestCheckNow(prisma: PrismaClient, shop: string): Promise<{ ok: boolean; message: string; panel: ReconciliationPanel }> {
  const { created } = await requestReconciliation(prisma, shop);
  return {
    ok: true,
    message: created ? "Checking Shopify for missed orders" : "A check for missed orders is already on its way",
    panel: await loadReconciliationPanel(prisma, shop),
  };
}

// ---------------------------------------------------------------- backfill

export interface BackfillView {
  id: string;
  status: BackfillJob["status"];
  from: string;
  to: string;
  processed: number;
  estimatedTotal: number | null;
  percent: number | null;
  remainingMs: number | null;
  error: string | null;
  cancelRequested: boolean;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface BackfillPanel {
  active: BackfillView | null;
  recent: BackfillView[];
  /** The offline session holds read_all_orders (orders older than 60 days are visible). */
  readAllOrders: boolean;
  /** First day (YYYY-MM-DD) the app can import without read_all_orders. */
  recentFrom: string;
  /** Why an active import does not move: no worker reports (worker-status.server.ts). */
  workerWarning: string | null;
}

function view(job: BackfillJob, now: number): BackfillView {
  const progress = backfillProgress(job, now);
  return {
    id: job.id,
    status: job.status,
    from: job.rangeStart.toISOString().slice(0, 10),
    to: new Date(job.rangeEnd.getTime() - 1).toISOString().slice(0, 10),
    processed: job.processed,
    estimatedTotal: job.estimatedTotal,
    percent: progress.percent,
    remainingMs: progress.remainingMs,
    error: job.error,
    cancelRequested: job.cancelRequested,
    requestedBy: job.requestedBy,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

export function scopeIncludes(scope: string | null | undefined, wanted: string): boolean {
  return (scope ?? "")
    .split(",")
    .map((s) => s.trim())
    .includes(wanted);
}

export async function loadBackfillPanel(prisma: PrismaClient, shop: string, now = new Date()): Promise<BackfillPanel> {
  const store = new PrismaReconciliationStore(prisma);
  const [active, recent, session, worker] = await Promise.all([
    store.findActiveBackfill(shop),
    store.listBackfills(shop, 4),
    prisma.session.findFirst({ where: { shop, isOnline: false }, select: { scope: true } }),
    getWorkerStatus(prisma, now),
  ]);
  return {
    active: active ? view(active, now.getTime()) : null,
    recent: recent.filter((j) => j.id !== active?.id).slice(0, 3).map((j) => view(j, now.getTime())),
    readAllOrders: scopeIncludes(session?.scope, "read_all_orders"),
    recentFrom: new Date(now.getTime() - RECENT_ORDERS_WINDOW_MS).toISOString().slice(0, 10),
    workerWarning: active ? worker.warning : null,
  };
}

export type StartBackfillResult = { ok: true; message: string } | { ok: false; message: string; fieldErrors: Record<string, string> };

const DAY_MS = 24 * 3600_000;

/** Dates as the merchant picks them (YYYY-MM-DD, whole days in UTC, both included). */
export async function startBackfill(
  prisma: PrismaClient,
  admin: AdminClient,
  input: { from: unknown; to: unknown; requestedBy: string },
  now = new Date(),
): Promise<StartBackfillResult> {
  const fieldErrors: Record<string, string> = {};
  const day = (v: unknown) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? new Date(`${v}T00:00:00Z`) : null);
  const from = day(input.from);
  const toDay = day(input.to);
  if (!from) fieldErrors.from = "Pick the first day to import.";
  if (!toDay) fieldErrors.to = "Pick the last day to import.";
  if (from && toDay && toDay < from) fieldErrors.to = "The last day must be on or after the first day.";
  if (from && from.getTime() > now.getTime()) fieldErrors.from = "The first day is in the future: there are no orders to import yet.";
  if (Object.keys(fieldErrors).length) return { ok: false, message: "Correct the marked dates.", fieldErrors };
  // The last day is included; the range never reaches into the future.
  const to = new Date(Math.min(toDay!.getTime() + DAY_MS, now.getTime()));
  const store = new PrismaReconciliationStore(prisma);
  try {
    // The same "now" as the checks above, so the 60-day cutoff the merchant is
    // told about is the one the range was checked against.
    const clock = { ...systemClock, now: () => now.getTime() };
    const plan = await planBackfill(
      { prisma, admin, store, clock, recordOrderSnapshot: async () => undefined },
      { from: from!, to, requestedBy: input.requestedBy },
    );
    if (plan.ok) {
      const count = plan.job.estimatedTotal;
      return { ok: true, message: count === null ? "Import of past orders started" : `Importing about ${plural(count, "order", "orders")}` };
    }
    const field = plan.code === "MISSING_READ_ALL_ORDERS" ? "from" : plan.code === "INVALID_RANGE" ? "to" : null;
    return { ok: false, message: plan.message, fieldErrors: field ? { [field]: plan.message } : {} };
  } catch {
    return { ok: false, message: "Shopify could not be asked how many orders are in this range. Try again in a minute.", fieldErrors: {} };
  }
}

/** Cancel one of this shop's imports (another shop's id is simply not found). */
export async function cancelShopBackfill(prisma: PrismaClient, shop: string, id: unknown): Promise<{ ok: boolean; message: string }> {
  const store = new PrismaReconciliationStore(prisma);
  const job = typeof id === "string" ? await store.getBackfill(id) : null;
  if (!job || job.shop !== shop) return { ok: false, message: "That import no longer exists. Reload the page." };
  const after = await cancelBackfill(store, job.id);
  if (after?.status === "cancelled") return { ok: true, message: "Import cancelled" };
  if (after?.cancelRequested) return { ok: true, message: "Stopping the import: orders already imported stay" };
  return { ok: false, message: "The import had already finished." };
}
