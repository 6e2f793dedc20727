// Backfill in the worker process: picks up imports of past orders that staff
// started in Settings (pending BackfillJob rows) and runs them with
// runBackfill, which stores its cursor / bulk operation and progress as it
// goes and stops at a cancel. A job left "running" by a worker that died is
// resumed once its heartbeat is old; a worker that is shut down cleanly
// releases its job (heartbeat cleared) so the next worker resumes it at once.
//
// Each job is claimed with a compare-and-set on (status, heartbeat), so two
// worker processes never run the same import.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logging/logger";
import { runBackfill, type BackfillSettings } from "../reconciliation/backfill";
import type { RecordOrderSnapshot } from "../reconciliation/ports";
import { PrismaReconciliationStore } from "../reconciliation/prisma-store";
import type { AdminClient } from "../shopify-admin/admin-client";
import { systemClock, type Clock } from "../lib/clock";
import { recordOrderSnapshot } from "../sync/intake/intake";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";

export interface BackfillJobOptions {
  prisma: PrismaClient;
  adminApi: { forShop(shop: string): AdminClient };
  logger: Logger;
  recordOrderSnapshot?: RecordOrderSnapshot;
  /** Downloads bulk results (tests: the fake API's fetch). */
  fetch?: typeof fetch;
  clock?: Clock;
  pollMs?: number;
  /** A running job whose heartbeat is older than this was abandoned. */
  staleAfterMs?: number;
  /** Imports run at once by this process (each for a different shop). */
  maxConcurrent?: number;
  backfillSettings?: Partial<BackfillSettings>;
}

export interface BackfillRunnerJob extends BackgroundJob {
  /** One look for work (the loop calls it; tests too). Returns the job ids started. */
  pickUp(): Promise<string[]>;
  /** Resolves when every import started by this process has stopped. */
  idle(): Promise<void>;
}

export const DEFAULT_BACKFILL_STALE_MS = 5 * 60_000;

export function startBackfillJob(options: BackfillJobOptions): BackfillRunnerJob {
  const { prisma, logger } = options;
  const clock = options.clock ?? systemClock;
  const store = new PrismaReconciliationStore(prisma);
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_BACKFILL_STALE_MS;
  const maxConcurrent = options.maxConcurrent ?? 2;
  const running = new Map<string, { shop: string; done: Promise<void> }>();
  const abort = new AbortController();

  const run = (id: string, shop: string) => {
    const done = runBackfill(
      {
        prisma,
        admin: options.adminApi.forShop(shop),
        store,
        recordOrderSnapshot: options.recordOrderSnapshot ?? recordOrderSnapshot,
        fetch: options.fetch,
        clock: options.clock,
        logger,
        settings: options.backfillSettings,
      },
      id,
      abort.signal,
    )
      .then((job) => logger.info({ shop, jobId: id, status: job.status, processed: job.processed }, "backfill stopped"))
      .catch(async (error) => {
        if (abort.signal.aborted) {
          // Shutdown: hand the job to the next worker without waiting for staleness.
          await prisma.backfillJob.updateMany({ where: { id, status: "running" }, data: { heartbeatAt: null } });
          return;
        }
        logger.error({ shop, jobId: id, err: error }, "backfill runner error; will resume when stale");
      })
      .finally(() => running.delete(id));
    running.set(id, { shop, done });
  };

  const pickUp = async (): Promise<string[]> => {
    if (abort.signal.aborted || running.size >= maxConcurrent) return [];
    const staleBefore = new Date(clock.now() - staleAfterMs);
    const candidates = await prisma.backfillJob.findMany({
      where: {
        OR: [{ status: "pending" }, { status: "running", OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: staleBefore } }] }],
      },
      orderBy: { createdAt: "asc" },
      take: 20,
      select: { id: true, shop: true, status: true, heartbeatAt: true },
    });
    const started: string[] = [];
    const busyShops = new Set([...running.values()].map((r) => r.shop));
    for (const job of candidates) {
      if (running.size >= maxConcurrent) break;
      if (busyShops.has(job.shop)) continue;
      const claimed = await prisma.backfillJob.updateMany({
        where: { id: job.id, status: job.status, heartbeatAt: job.heartbeatAt },
        data: { status: "running", heartbeatAt: new Date(clock.now()) },
      });
      if (claimed.count !== 1) continue; // another worker was quicker
      if (job.status === "running") logger.info({ shop: job.shop, jobId: job.id }, "resuming an interrupted backfill");
      busyShops.add(job.shop);
      run(job.id, job.shop);
      started.push(job.id);
    }
    return started;
  };

  const loop = startPollingLoop({ name: "backfill", everyMs: options.pollMs ?? 3000, round: async () => void (await pickUp()), logger });
  const idle = async () => {
    await Promise.allSettled([...running.values()].map((r) => r.done));
  };
  return {
    name: "backfill",
    pickUp,
    idle,
    async stop() {
      abort.abort(new Error("backfill runner stopped"));
      await loop.stop();
      await idle();
    },
  };
}
