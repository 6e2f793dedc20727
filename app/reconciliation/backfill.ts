// Backfill: import the orders created in a date range (a new shop's history,
// or a gap after an outage). Small ranges page through the orders connection;
// large ones run a Shopify bulk operation and stream its JSONL result. Either
// way each order goes through the engine's intake like a webhook would, so a
// backfill overlapping orders already synced creates no duplicates.
//
// Jobs are stored with their cursor / bulk operation id and progress, so a
// backfill survives a worker restart and can be cancelled from the UI.
import type { PrismaClient } from "@prisma/client";
import {
  APP_ACCESS_SCOPES_QUERY,
  BULK_ORDERS_FILTER_PLACEHOLDER,
  BULK_ORDERS_FOR_SYNC_QUERY,
  ORDERS_COUNT_QUERY,
  ORDERS_FOR_SYNC_PAGE_SIZE,
} from "../graphql/orders";
import { parseGid } from "../lib/shopify-gid";
import type { AppAccessScopesQuery, OrderFieldsFragment, OrdersCountQuery } from "../types/admin.generated";
import type { Logger } from "../logging/logger";
import type { AdminClient } from "../shopify-admin/admin-client";
import { groupBulkObjects, type BulkGroup } from "../shopify-admin/bulk-jsonl";
import { cancelBulkOperation, startBulkQuery, streamBulkResult, waitForBulkOperation } from "../shopify-admin/bulk-operation";
import { systemClock, type Clock } from "../lib/clock";
import { isAdminApiError } from "../shopify-admin/errors";
import { graphqlOrderToRestPayload, type GqlOrder } from "./graphql-order-to-rest";
import { fetchOrdersForSyncPage, fetchRefunds } from "./order-fetcher";
import type { RecordOrderSnapshot } from "./ports";
import type { BackfillJob, ReconciliationStore } from "./store";

/** Shopify shows apps only the last 60 days of orders without read_all_orders. */
export const RECENT_ORDERS_WINDOW_MS = 60 * 24 * 3600_000;

export interface BackfillSettings {
  /** Ranges with more orders than this use a bulk operation. */
  bulkThreshold: number;
  bulkPollMs: number;
  bulkMaxPollMs: number;
  /** Bulk mode: store progress (and look for a cancel) every N orders. */
  checkpointEvery: number;
}

export const DEFAULT_BACKFILL_SETTINGS: BackfillSettings = {
  bulkThreshold: 500,
  bulkPollMs: 2000,
  bulkMaxPollMs: 15_000,
  checkpointEvery: 50,
};

export interface BackfillDeps {
  prisma: PrismaClient;
  admin: AdminClient;
  store: ReconciliationStore;
  recordOrderSnapshot: RecordOrderSnapshot;
  /** Downloads the bulk result file (a pre-signed URL, no token). */
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  settings?: Partial<BackfillSettings>;
}

export type PlanResult =
  | { ok: true; job: BackfillJob }
  | { ok: false; code: "INVALID_RANGE" | "MISSING_READ_ALL_ORDERS" | "ALREADY_RUNNING" | "SHOPIFY_ERROR"; message: string };

export function createdBetweenFilter(from: Date, to: Date): string {
  return `created_at:>='${from.toISOString()}' AND created_at:<'${to.toISOString()}'`;
}

/**
 * Check a requested range and create the job (not started). Messages are for
 * the merchant's staff and say what to do.
 */
export async function planBackfill(
  deps: BackfillDeps,
  request: { from: Date; to: Date; requestedBy: string },
): Promise<PlanResult> {
  const settings = { ...DEFAULT_BACKFILL_SETTINGS, ...deps.settings };
  const now = (deps.clock ?? systemClock).now();
  const shop = deps.admin.shop;
  const { from, to } = request;
  if (!(from.getTime() < to.getTime())) {
    return { ok: false, code: "INVALID_RANGE", message: "The start date must be before the end date. Pick the range again." };
  }
  if (await deps.store.findActiveBackfill(shop)) {
    return {
      ok: false,
      code: "ALREADY_RUNNING",
      message: "An import of past orders is already running for this store. Wait for it to finish or cancel it, then start a new one.",
    };
  }
  try {
    if (from.getTime() < now - RECENT_ORDERS_WINDOW_MS) {
      const { data } = await deps.admin.query<AppAccessScopesQuery>(APP_ACCESS_SCOPES_QUERY);
      const granted = data.currentAppInstallation.accessScopes.map((s) => s.handle);
      if (!granted.includes("read_all_orders")) {
        const cutoff = new Date(now - RECENT_ORDERS_WINDOW_MS).toISOString().slice(0, 10);
        return {
          ok: false,
          code: "MISSING_READ_ALL_ORDERS",
          message:
            `Shopify only lets the app read orders from the last 60 days (since ${cutoff}). ` +
            `To import older orders, the app needs the "Read all orders" permission: ask the app's support to request it, approve it in your Shopify admin, then start the import again. ` +
            `You can import orders from ${cutoff} onwards right now.`,
        };
      }
    }
    const { data } = await deps.admin.query<OrdersCountQuery>(ORDERS_COUNT_QUERY, {
      query: createdBetweenFilter(from, to),
    });
    const estimate = data.ordersCount?.count ?? null;
    const mode = estimate === null || estimate > settings.bulkThreshold ? "bulk" : "paged";
    const job = await deps.store.createBackfill({
      shop,
      rangeStart: from,
      rangeEnd: to,
      mode,
      requestedBy: request.requestedBy,
      estimatedTotal: estimate,
      createdAt: new Date(now),
    });
    return { ok: true, job };
  } catch (error) {
    if (!isAdminApiError(error)) throw error;
    return { ok: false, code: "SHOPIFY_ERROR", message: error.userMessage };
  }
}

/** Ask a job to stop; the runner stops at its next checkpoint. */
export async function cancelBackfill(store: ReconciliationStore, id: string, now: Date = new Date()): Promise<BackfillJob | null> {
  const job = await store.getBackfill(id);
  if (!job || job.status === "completed" || job.status === "failed" || job.status === "cancelled") return job;
  if (job.status === "pending") return store.updateBackfill(id, { status: "cancelled", cancelRequested: true, finishedAt: now });
  return store.updateBackfill(id, { cancelRequested: true });
}

export interface BackfillProgress {
  processed: number;
  estimatedTotal: number | null;
  /** 0..100, null when the total is unknown. */
  percent: number | null;
  /** Remaining time at the rate so far, null until there is a rate. */
  remainingMs: number | null;
}

export function backfillProgress(job: BackfillJob, now: number): BackfillProgress {
  const total = job.estimatedTotal;
  const percent = total ? Math.min(100, Math.round((job.processed / total) * 100)) : job.status === "completed" ? 100 : null;
  let remainingMs: number | null = null;
  if (job.startedAt && job.processed > 0 && total && job.status === "running") {
    const perOrder = (now - job.startedAt.getTime()) / job.processed;
    remainingMs = Math.max(0, Math.round(perOrder * (total - job.processed)));
  }
  return { processed: job.processed, estimatedTotal: total, percent, remainingMs };
}

/**
 * Run (or resume) a job to the end, to a cancel, or to a failure. Shutdown
 * (signal) leaves it "running" with its checkpoint so the next worker resumes.
 */
export async function runBackfill(deps: BackfillDeps, jobId: string, signal?: AbortSignal): Promise<BackfillJob> {
  const clock = deps.clock ?? systemClock;
  let job = await deps.store.getBackfill(jobId);
  if (!job) throw new Error(`no backfill job ${jobId}`);
  if (job.status !== "pending" && job.status !== "running") return job;
  job = await deps.store.updateBackfill(job.id, {
    status: "running",
    startedAt: job.startedAt ?? new Date(clock.now()),
    heartbeatAt: new Date(clock.now()),
  });
  const costBefore = deps.admin.stats().actualCost;
  const baseCost = job.costSpent;
  const cost = () => baseCost + deps.admin.stats().actualCost - costBefore;

  try {
    const outcome = job.mode === "bulk" ? await runBulk(deps, job, cost, signal) : await runPaged(deps, job, cost, signal);
    return outcome;
  } catch (error) {
    if (signal?.aborted) throw error;
    const message = isAdminApiError(error)
      ? error.userMessage
      : "Importing past orders stopped because of an unexpected error. Start the import again; orders already imported will not be duplicated.";
    deps.logger?.error({ shop: job.shop, jobId, err: error }, "backfill failed");
    return deps.store.updateBackfill(job.id, { status: "failed", error: message, costSpent: cost(), finishedAt: new Date(clock.now()) });
  }
}

async function record(deps: BackfillDeps, order: GqlOrder, observedAt: Date): Promise<void> {
  await deps.recordOrderSnapshot(deps.prisma, {
    shop: deps.admin.shop,
    source: "backfill",
    payload: graphqlOrderToRestPayload(order),
    observedAt,
  });
}

async function cancelled(deps: BackfillDeps, id: string): Promise<boolean> {
  return (await deps.store.getBackfill(id))?.cancelRequested === true;
}

async function runPaged(deps: BackfillDeps, job: BackfillJob, cost: () => number, signal?: AbortSignal): Promise<BackfillJob> {
  const clock = deps.clock ?? systemClock;
  const filter = createdBetweenFilter(job.rangeStart, job.rangeEnd);
  let { cursor, processed, enqueued } = job;
  for (;;) {
    if (await cancelled(deps, job.id)) {
      return deps.store.updateBackfill(job.id, { status: "cancelled", costSpent: cost(), finishedAt: new Date(clock.now()) });
    }
    const page = await fetchOrdersForSyncPage(deps.admin, filter, ORDERS_FOR_SYNC_PAGE_SIZE, cursor, signal);
    for (const order of page.orders) {
      signal?.throwIfAborted();
      await record(deps, order, new Date(clock.now()));
      processed++;
      enqueued++;
    }
    cursor = page.endCursor ?? cursor;
    job = await deps.store.updateBackfill(job.id, { cursor, processed, enqueued, costSpent: cost(), heartbeatAt: new Date(clock.now()) });
    if (!page.hasNextPage) break;
  }
  return deps.store.updateBackfill(job.id, { status: "completed", costSpent: cost(), finishedAt: new Date(clock.now()) });
}

async function runBulk(deps: BackfillDeps, job: BackfillJob, cost: () => number, signal?: AbortSignal): Promise<BackfillJob> {
  const settings = { ...DEFAULT_BACKFILL_SETTINGS, ...deps.settings };
  const clock = deps.clock ?? systemClock;
  let operationId = job.bulkOperationId;
  if (!operationId) {
    const query = BULK_ORDERS_FOR_SYNC_QUERY.replace(
      BULK_ORDERS_FILTER_PLACEHOLDER,
      JSON.stringify(createdBetweenFilter(job.rangeStart, job.rangeEnd)),
    );
    operationId = await startBulkQuery(deps.admin, query, signal);
    job = await deps.store.updateBackfill(job.id, { bulkOperationId: operationId, heartbeatAt: new Date(clock.now()) });
  }

  let cancelSent = false;
  const state = await waitForBulkOperation(deps.admin, operationId, {
    clock,
    signal,
    pollMs: settings.bulkPollMs,
    maxPollMs: settings.bulkMaxPollMs,
    onProgress: async () => {
      await deps.store.updateBackfill(job.id, { heartbeatAt: new Date(clock.now()) });
      if (!cancelSent && (await cancelled(deps, job.id))) {
        cancelSent = true;
        await cancelBulkOperation(deps.admin, operationId!);
      }
    },
  });
  if (cancelSent || state.status === "CANCELED") {
    return deps.store.updateBackfill(job.id, { status: "cancelled", costSpent: cost(), finishedAt: new Date(clock.now()) });
  }
  if (state.status !== "COMPLETED") {
    return deps.store.updateBackfill(job.id, {
      status: "failed",
      error:
        state.errorCode === "ACCESS_DENIED"
          ? "Shopify refused the order export because the app lacks a permission. Approve the app's permissions in your Shopify admin, then start the import again."
          : "Shopify could not finish the order export. Try a shorter date range, or start the import again later.",
      costSpent: cost(),
      finishedAt: new Date(clock.now()),
    });
  }

  // Resume: skip orders a previous worker already handed in. The result file
  // of a finished operation does not change, so counting roots is exact.
  const skip = job.bulkRootsDone;
  let roots = 0;
  let { processed, enqueued } = job;
  if (state.url) {
    for await (const group of groupBulkObjects(streamBulkResult(state.url, deps.fetch, signal))) {
      signal?.throwIfAborted();
      roots++;
      if (roots <= skip) continue;
      const order = await orderFromBulk(deps, group, signal);
      await record(deps, order, new Date(clock.now()));
      processed++;
      enqueued++;
      if (roots % settings.checkpointEvery === 0) {
        job = await deps.store.updateBackfill(job.id, { bulkRootsDone: roots, processed, enqueued, costSpent: cost(), heartbeatAt: new Date(clock.now()) });
        if (job.cancelRequested) {
          return deps.store.updateBackfill(job.id, { status: "cancelled", finishedAt: new Date(clock.now()) });
        }
      }
    }
  }
  return deps.store.updateBackfill(job.id, {
    status: "completed",
    bulkRootsDone: Math.max(roots, skip),
    processed,
    enqueued,
    estimatedTotal: job.estimatedTotal ?? processed,
    costSpent: cost(),
    finishedAt: new Date(clock.now()),
  });
}

/** Rebuild the GraphQL order from a root line and its child lines. */
async function orderFromBulk(deps: BackfillDeps, group: BulkGroup, signal?: AbortSignal): Promise<GqlOrder> {
  // The bulk query's order node (OrderFields and refund ids); its connections arrive as child lines.
  const root = group.root as unknown as OrderFieldsFragment & { refunds: { id: string }[] };
  const kind = (line: Record<string, unknown>) => {
    const type = parseGid(line.id)?.type;
    if (type === "LineItem") return "line";
    if (type === "ShippingLine") return "shipping";
    if (typeof line.__typename === "string" && line.__typename.endsWith("DiscountApplication")) return "discount";
    return "other";
  };
  const of = <T>(k: string) => group.children.filter((c) => kind(c) === k) as unknown as T[];
  // Bulk queries cannot nest refund lines (connection limits): read refunds one by one.
  const refunds = root.refunds.length ? await fetchRefunds(deps.admin, root.refunds.map((r) => r.id), signal) : [];
  return {
    ...root,
    lineItems: { nodes: of("line") },
    shippingLines: { nodes: of("shipping") },
    discountApplications: { nodes: of("discount") },
    refunds,
  } as GqlOrder;
}
