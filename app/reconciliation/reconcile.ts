// Reconciliation: webhooks arrive at least once, maybe late, maybe never.
// Every few minutes each shop's orders updated since the last watermark (minus
// an overlap, because Shopify's updated_at and our clock are not perfectly in
// step) are listed cheaply and compared with the ledger; orders the ledger
// lacks, or holds an older version of, are read in full and handed to the
// engine's intake exactly like a webhook would be.
//
// It runs in the worker, never in a web request, and writes only through the
// intake (one short write per order), so the webhook path never waits on it.
import type { PrismaClient } from "@prisma/client";
import { RECONCILE_ORDERS_PAGE_QUERY } from "../graphql/orders";
import type { ReconcileOrdersPageQuery } from "../types/admin.generated";
import type { AdminClient } from "../shopify-admin/admin-client";
import { systemClock, type Clock } from "../lib/clock";
import { isAdminApiError } from "../shopify-admin/errors";
import type { Logger } from "../logging/logger";
import { graphqlOrderToRestPayload } from "./graphql-order-to-rest";
import { fetchOrderForSync } from "./order-fetcher";
import { refreshEditedOrders } from "./refresh-edited-orders";
import type { LedgerReader, RecordOrderSnapshot } from "./ports";
import type { ReconciliationRun, ReconciliationStore, RunTrigger } from "./store";

export interface ReconcileSettings {
  /** Re-read this much before the watermark (late updated_at, clock skew). */
  overlapMs: number;
  /** How far back the very first run looks. */
  initialLookbackMs: number;
  /** Orders per listing page (each costs about one point). */
  pageSize: number;
  /**
   * A run whose heartbeat is older than this was abandoned by a dead worker.
   * A live run beats four times as often, whatever its pages cost.
   */
  staleRunAfterMs: number;
}

export const DEFAULT_RECONCILE_SETTINGS: ReconcileSettings = {
  overlapMs: 10 * 60_000,
  initialLookbackMs: 24 * 3600_000,
  pageSize: 250,
  staleRunAfterMs: 5 * 60_000,
};

/**
 * staleRunAfterMs for runs started every `intervalMs`: never longer than the
 * interval, so a run left behind by a killed worker is taken over at the
 * latest by the second check after its last heartbeat.
 */
export function staleRunAfterFor(intervalMs: number): number {
  return Math.min(DEFAULT_RECONCILE_SETTINGS.staleRunAfterMs, intervalMs);
}

/** The record of a run whose worker died: the page shows it, the log says it. */
export const WORKER_STOPPED_MESSAGE = "The worker stopped while this check was running. The next check covers the same orders.";
/** The record of a run stopped by a clean shutdown (SIGTERM: restart, deploy). */
export const WORKER_SHUT_DOWN_MESSAGE = "The worker was shut down (restart or deploy) while this check was running. The next check covers the same orders.";

/** This worker's run was closed by another worker that took it for abandoned: this one stops without writing. */
export class RunTakenOverError extends Error {
  constructor(readonly runId: string) {
    super(`reconciliation run ${runId} was taken over by another worker (its heartbeat looked stale); this worker stopped it`);
    this.name = "RunTakenOverError";
  }
}

export interface ReconcileDeps {
  prisma: PrismaClient;
  admin: AdminClient;
  ledger: LedgerReader;
  store: ReconciliationStore;
  recordOrderSnapshot: RecordOrderSnapshot;
  clock?: Clock;
  logger?: Logger;
  settings?: Partial<ReconcileSettings>;
}


/** Shopify search syntax for "updated in [from, to]". */
export function updatedBetweenFilter(from: Date, to: Date): string {
  return `updated_at:>='${from.toISOString()}' AND updated_at:<='${to.toISOString()}'`;
}

/**
 * The shop's run another worker is on right now (returned: the same window
 * is not run twice), or null once no run is in the way. A run whose
 * heartbeat is older than staleRunAfterMs was left behind by a worker that
 * died: it is closed as failed with WORKER_STOPPED_MESSAGE, so its record and
 * the log say what happened to it, and the caller's new run covers its
 * window (the watermark only moves when a run completes). Closing is a
 * compare-and-set on the heartbeat it saw: a run that beat again meanwhile,
 * or that another worker closed first, is looked at afresh.
 */
async function closeAbandonedRun(deps: ReconcileDeps, shop: string, staleRunAfterMs: number, now: number): Promise<ReconciliationRun | null> {
  for (;;) {
    const running = await deps.store.findRunningRun(shop);
    if (!running) return null;
    if (now - running.heartbeatAt.getTime() < staleRunAfterMs) return running;
    const closed = await deps.store.updateRunningRun(
      running.id,
      {
        status: "failed",
        error: WORKER_STOPPED_MESSAGE,
        // Its last sign of life is the last moment it is known to have run.
        finishedAt: running.heartbeatAt,
        durationMs: running.heartbeatAt.getTime() - running.startedAt.getTime(),
      },
      running.heartbeatAt,
    );
    if (closed) {
      deps.logger?.warn(
        { shop, runId: closed.id, status: closed.status, trigger: closed.trigger, lastHeartbeatAt: running.heartbeatAt.toISOString() },
        `reconciliation run ${closed.id} failed: the worker stopped while it was running`,
      );
    }
  }
}

/**
 * Renews a running run's heartbeat on a timer, so a run busy on one slow page
 * (Admin API pacing, many full orders) still shows it is alive. Notices when
 * another worker has closed the run.
 */
/** Beats never come closer than this, however short the stale limit: each one is a database write. */
const MIN_HEARTBEAT_MS = 1_000;

function startHeartbeat(deps: ReconcileDeps, runId: string, clock: Clock, everyMs: number) {
  let takenOver = false;
  let beating = false;
  const timer = setInterval(
    () => {
      // One beat at a time: a slow database must not pile beats up (they would take every pooled connection).
      if (beating) return;
      beating = true;
      deps.store
        .updateRunningRun(runId, { heartbeatAt: new Date(clock.now()) })
        .then((run) => {
          if (!run) takenOver = true;
        })
        // A missed beat is not fatal: the next one, or the next checkpoint, renews it.
        .catch((error) => deps.logger?.warn({ runId, err: error }, "reconciliation heartbeat failed"))
        .finally(() => (beating = false));
    },
    Math.max(MIN_HEARTBEAT_MS, everyMs),
  );
  timer.unref();
  return {
    get takenOver() {
      return takenOver;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * One reconciliation run for one shop, over the window from the watermark
 * (minus the overlap) to now. First closes a run a dead worker left behind
 * (closeAbandonedRun); returns the other worker's run, untouched and still
 * `running`, when a live one is on this shop. Otherwise returns this run's
 * record: failed runs carry a plain-words error and leave the watermark where
 * it was, so the next run covers their window. A shutdown (signal aborted)
 * closes the run as failed with WORKER_SHUT_DOWN_MESSAGE and rethrows.
 */
export async function reconcileShop(deps: ReconcileDeps, trigger: RunTrigger, signal?: AbortSignal): Promise<ReconciliationRun> {
  const settings = { ...DEFAULT_RECONCILE_SETTINGS, ...deps.settings };
  const clock = deps.clock ?? systemClock;
  const shop = deps.admin.shop;
  const startedMs = clock.now();
  const costBefore = deps.admin.stats();

  const busy = await closeAbandonedRun(deps, shop, settings.staleRunAfterMs, startedMs);
  if (busy) return busy;
  const watermark = await deps.store.getWatermark(shop);
  const windowEnd = new Date(startedMs);
  const windowStart = new Date((watermark?.getTime() ?? startedMs - settings.initialLookbackMs) - settings.overlapMs);
  let run = await deps.store.createRun({ shop, trigger, windowStart, windowEnd, startedAt: new Date(startedMs) });
  const runId = run.id;
  const heartbeat = startHeartbeat(deps, runId, clock, settings.staleRunAfterMs / 4);
  /** Writes to this run while it is still ours. */
  const write = async (patch: Partial<Omit<ReconciliationRun, "id" | "shop">>): Promise<ReconciliationRun> => {
    const written = await deps.store.updateRunningRun(runId, patch);
    if (!written) throw new RunTakenOverError(runId);
    return written;
  };

  const filter = updatedBetweenFilter(run.windowStart, run.windowEnd);
  let cursor = run.cursor; // null: a run starts at the first page
  const counts = { ordersSeen: 0, missingFound: 0, staleFound: 0, enqueued: 0 };
  // The client is shared by every run of this shop in the process: count ours only.
  const spent = () => {
    const now = deps.admin.stats();
    return { costSpent: now.actualCost - costBefore.actualCost, throttled: now.throttled - costBefore.throttled };
  };

  try {
    for (;;) {
      if (heartbeat.takenOver) throw new RunTakenOverError(runId);
      const { data } = await deps.admin.query<ReconcileOrdersPageQuery>(
        RECONCILE_ORDERS_PAGE_QUERY,
        { first: settings.pageSize, after: cursor, query: filter },
        { signal },
      );
      const orders = data.orders.nodes;
      const known = await deps.ledger.entries(
        shop,
        orders.map((o) => o.legacyResourceId),
      );
      for (const order of orders) {
        counts.ordersSeen++;
        const entry = known.get(order.legacyResourceId);
        const shopifyVersion = Date.parse(order.updatedAt);
        const missing = !entry;
        const stale = !!entry && entry.sourceUpdatedAt.getTime() < shopifyVersion;
        if (!missing && !stale) continue;
        if (missing) counts.missingFound++;
        else counts.staleFound++;
        const full = await fetchOrderForSync(deps.admin, order.id, signal);
        if (!full) continue; // deleted between listing and reading: nothing to sync
        await deps.recordOrderSnapshot(deps.prisma, {
          shop,
          source: "reconciliation",
          payload: graphqlOrderToRestPayload(full),
          observedAt: new Date(clock.now()),
        });
        counts.enqueued++;
        deps.logger?.info({ shop, orderId: order.legacyResourceId, orderName: order.name, reason: missing ? "missing" : "stale" }, "reconciliation enqueued an order");
      }
      cursor = data.orders.pageInfo.endCursor ?? cursor;
      // Checkpoint after each page: a restart redoes at most one page, and
      // the intake ignores what it already has.
      run = await write({ cursor, ...counts, ...spent(), heartbeatAt: new Date(clock.now()) });
      if (!data.orders.pageInfo.hasNextPage) break;
    }
    const refreshed = await refreshEditedOrders({ ...deps, now: new Date(clock.now()) }, signal);
    counts.staleFound += refreshed;
    counts.enqueued += refreshed;
  } catch (error) {
    heartbeat.stop();
    if (error instanceof RunTakenOverError) throw error;
    const ended = { ...counts, ...spent(), finishedAt: new Date(clock.now()), durationMs: clock.now() - run.startedAt.getTime() };
    if (signal?.aborted) {
      // Shutdown: the record says so, and the next worker starts afresh at once.
      const closed = await deps.store.updateRunningRun(runId, { status: "failed", error: WORKER_SHUT_DOWN_MESSAGE, ...ended }).catch(() => null);
      if (closed) deps.logger?.warn({ shop, runId, status: closed.status }, `reconciliation run ${runId} failed: the worker was shut down while it was running`);
      throw error;
    }
    const message = isAdminApiError(error) ? error.userMessage : "Checking Shopify for missed orders failed unexpectedly. It will be tried again at the next run.";
    deps.logger?.error({ shop, runId, err: error }, "reconciliation failed");
    return write({ status: "failed", error: message, ...ended });
  }

  heartbeat.stop();
  await deps.store.setWatermark(shop, run.windowEnd);
  return write({
    status: "completed",
    ...counts,
    ...spent(),
    finishedAt: new Date(clock.now()),
    durationMs: clock.now() - run.startedAt.getTime(),
  });
}
