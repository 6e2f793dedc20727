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
import type { AdminClient } from "../shopify-admin/admin-client";
import { systemClock, type Clock } from "../shopify-admin/clock";
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
  /** A run whose heartbeat is older than this was abandoned by a dead worker. */
  staleRunAfterMs: number;
}

export const DEFAULT_RECONCILE_SETTINGS: ReconcileSettings = {
  overlapMs: 10 * 60_000,
  initialLookbackMs: 24 * 3600_000,
  pageSize: 250,
  staleRunAfterMs: 5 * 60_000,
};

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

interface ListedOrder {
  id: string;
  legacyResourceId: string;
  name: string;
  updatedAt: string;
}

interface ListingPage {
  orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ListedOrder[] };
}

/** Shopify search syntax for "updated in [from, to]". */
export function updatedBetweenFilter(from: Date, to: Date): string {
  return `updated_at:>='${from.toISOString()}' AND updated_at:<='${to.toISOString()}'`;
}

/**
 * One reconciliation run for one shop. Resumes the shop's unfinished run (the
 * worker died mid-way) from its stored cursor; otherwise starts a new window
 * at the watermark. Returns the run record (failed runs carry a plain-words
 * error and leave the watermark where it was, so the next run covers it).
 */
export async function reconcileShop(deps: ReconcileDeps, trigger: RunTrigger, signal?: AbortSignal): Promise<ReconciliationRun> {
  const settings = { ...DEFAULT_RECONCILE_SETTINGS, ...deps.settings };
  const clock = deps.clock ?? systemClock;
  const shop = deps.admin.shop;
  const startedMs = clock.now();
  const costBefore = deps.admin.stats();

  let run = await deps.store.findRunningRun(shop);
  if (run && startedMs - run.heartbeatAt.getTime() < settings.staleRunAfterMs) {
    // Another worker is on it right now; do not run the same window twice.
    return run;
  }
  if (run) {
    deps.logger?.info({ shop, runId: run.id, cursor: run.cursor }, "resuming an interrupted reconciliation run");
    run = await deps.store.updateRun(run.id, { heartbeatAt: new Date(startedMs) });
  } else {
    const watermark = await deps.store.getWatermark(shop);
    const windowEnd = new Date(startedMs);
    const windowStart = new Date((watermark?.getTime() ?? startedMs - settings.initialLookbackMs) - settings.overlapMs);
    run = await deps.store.createRun({ shop, trigger, windowStart, windowEnd, startedAt: new Date(startedMs) });
  }

  const filter = updatedBetweenFilter(run.windowStart, run.windowEnd);
  let cursor = run.cursor;
  const counts = {
    ordersSeen: run.ordersSeen,
    missingFound: run.missingFound,
    staleFound: run.staleFound,
    enqueued: run.enqueued,
  };
  // Earlier attempts of a resumed run spent points too: add ours to theirs.
  const base = { costSpent: run.costSpent, throttled: run.throttled };
  const spent = () => {
    const now = deps.admin.stats();
    return {
      costSpent: base.costSpent + now.actualCost - costBefore.actualCost,
      throttled: base.throttled + now.throttled - costBefore.throttled,
    };
  };

  try {
    for (;;) {
      const { data } = await deps.admin.query<ListingPage>(
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
      run = await deps.store.updateRun(run.id, { cursor, ...counts, ...spent(), heartbeatAt: new Date(clock.now()) });
      if (!data.orders.pageInfo.hasNextPage) break;
    }
    const refreshed = await refreshEditedOrders({ ...deps, now: new Date(clock.now()) }, signal);
    counts.staleFound += refreshed;
    counts.enqueued += refreshed;
  } catch (error) {
    if (signal?.aborted) throw error; // shutdown: leave the run "running" to resume
    const message = isAdminApiError(error) ? error.userMessage : "Checking Shopify for missed orders failed unexpectedly. It will be tried again at the next run.";
    deps.logger?.error({ shop, runId: run.id, err: error instanceof Error ? error.message : String(error) }, "reconciliation failed");
    return deps.store.updateRun(run.id, {
      status: "failed",
      error: message,
      ...counts,
      ...spent(),
      finishedAt: new Date(clock.now()),
      durationMs: clock.now() - run.startedAt.getTime(),
    });
  }

  await deps.store.setWatermark(shop, run.windowEnd);
  return deps.store.updateRun(run.id, {
    status: "completed",
    ...counts,
    ...spent(),
    finishedAt: new Date(clock.now()),
    durationMs: clock.now() - run.startedAt.getTime(),
  });
}
