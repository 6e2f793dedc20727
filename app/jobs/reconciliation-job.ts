// Reconciliation in the worker process: the scheduler checks every syncing
// shop for missed orders every RECONCILE_INTERVAL_MINUTES (default 15), and a
// small loop picks up "Check for missed orders now" requests the web process
// wrote to the database (within a few seconds). Everything it remembers is in
// the database (PrismaReconciliationStore), so a restarted worker still
// answers requests made while it was down, and a run a killed worker left
// `running` is closed as failed and replaced within two intervals (its
// heartbeat counts as stale after at most one interval: staleRunAfterFor).
//
// Orders found go through the engine's intake one at a time; the webhook
// routes never wait on this job.
import type { PrismaClient } from "@prisma/client";
import { config } from "../config.server";
import type { Logger } from "../logging/logger";
import { prismaLedgerReader } from "../reconciliation/ledger";
import type { RecordOrderSnapshot } from "../reconciliation/ports";
import { PrismaReconciliationStore, refuseRequestedRuns, shopsWithRequestedRuns } from "../reconciliation/prisma-store";
import { reconcileShop, staleRunAfterFor, type ReconcileSettings } from "../reconciliation/reconcile";
import { DEFAULT_RECONCILE_INTERVAL_MS, ReconciliationScheduler } from "../reconciliation/scheduler";
import type { AdminClient } from "../shopify-admin/admin-client";
import type { Clock } from "../lib/clock";
import { recordOrderSnapshot } from "../sync/intake/intake";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";
import { listSyncingShops, NOT_SYNCING_MESSAGE } from "./syncing-shops";

export interface ReconciliationJobOptions {
  prisma: PrismaClient;
  adminApi: { forShop(shop: string): AdminClient };
  logger: Logger;
  /** Defaults to the engine's real intake. */
  recordOrderSnapshot?: RecordOrderSnapshot;
  /** Defaults to listSyncingShops. */
  listShops?: () => Promise<string[]>;
  /** Time for run records and Admin API pacing (tests: virtual). */
  clock?: Clock;
  intervalMs?: number;
  /** How often the scheduler looks for due shops. */
  tickMs?: number;
  /** How often requests from the web process are looked for. */
  requestPollMs?: number;
  reconcileSettings?: Partial<ReconcileSettings>;
}

export interface ReconciliationJob extends BackgroundJob {
  readonly scheduler: ReconciliationScheduler;
  /** One look for waiting requests (the loop calls it; tests too). */
  pickUpRequests(): Promise<void>;
}

export function startReconciliationJob(options: ReconciliationJobOptions): ReconciliationJob {
  const { prisma, logger } = options;
  const store = new PrismaReconciliationStore(prisma);
  const ledger = prismaLedgerReader(prisma);
  const listShops = options.listShops ?? (() => listSyncingShops(prisma));
  const intervalMs = options.intervalMs ?? config().reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS;
  const reconcileSettings = { staleRunAfterMs: staleRunAfterFor(intervalMs), ...options.reconcileSettings };
  const scheduler = new ReconciliationScheduler({
    listShops,
    reconcile: (shop, trigger, signal) =>
      reconcileShop(
        {
          prisma,
          admin: options.adminApi.forShop(shop),
          ledger,
          store,
          recordOrderSnapshot: options.recordOrderSnapshot ?? recordOrderSnapshot,
          clock: options.clock,
          logger,
          settings: reconcileSettings,
        },
        trigger,
        signal,
      ),
    intervalMs,
    tickMs: options.tickMs,
    logger,
  });

  const pickUpRequests = async () => {
    const requested = await shopsWithRequestedRuns(prisma);
    if (requested.length === 0) return;
    const syncing = new Set(await listShops());
    for (const shop of requested) {
      if (!syncing.has(shop)) {
        await refuseRequestedRuns(prisma, shop, NOT_SYNCING_MESSAGE);
        continue;
      }
      // Refused while a run for this shop is going: the request stays in the
      // table and is taken at a later look, once that run has finished.
      if (scheduler.requestRun(shop).accepted) logger.info({ shop }, "manual reconciliation requested by staff started");
    }
  };

  scheduler.start();
  const requests = startPollingLoop({ name: "reconciliation-requests", everyMs: options.requestPollMs ?? 3000, round: pickUpRequests, logger });
  return {
    name: "reconciliation",
    scheduler,
    pickUpRequests,
    async stop() {
      await requests.stop();
      await scheduler.stop();
    },
  };
}
