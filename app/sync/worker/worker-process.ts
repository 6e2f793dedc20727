// The worker as its own process (`npm run worker` calls runWorkerProcess from
// app/worker.entry.ts with the real PrismaClient and ShopConfigProvider).
// SIGTERM/SIGINT: stop claiming, let in-flight orders finish (up to the
// lease), then exit; anything unfinished is picked up after its lease.
import { hostname } from "node:os";
import type { PrismaClient } from "@prisma/client";
import { startPollingLoop, type BackgroundJob } from "../../lib/background-job";
import { createLogger, type Logger } from "../../logging/logger";
import type { ShopConfigProvider } from "../shop-config";
import { purgeSyncLog } from "../ledger/sync-log";
import { createWorker, type SyncWorker } from "./worker";

export interface WorkerProcessOptions {
  prisma: PrismaClient;
  configProvider: ShopConfigProvider;
  logger?: Logger;
  env?: Record<string, string | undefined>;
  /** Signals that stop the worker (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
  /**
   * Other jobs sharing this process (reconciliation, backfill, alerts,
   * heartbeat): stopped after the worker and before the database closes.
   */
  companions?: BackgroundJob[];
}

function intFromEnv(value: string | undefined, fallback: number): number {
  const n = value ? Number.parseInt(value, 10) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const PURGE_INTERVAL_MS = 60 * 60_000;

/** Runs until a stop signal; resolves once the worker has shut down cleanly. */
export async function runWorkerProcess(options: WorkerProcessOptions): Promise<void> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger({ base: { service: "erp-sync-worker" } });
  const worker: SyncWorker = createWorker({
    prisma: options.prisma,
    configProvider: options.configProvider,
    workerId: env.WORKER_ID || `${hostname()}-${process.pid}`,
    concurrency: intFromEnv(env.WORKER_CONCURRENCY, 16),
    leaseMs: intFromEnv(env.WORKER_LEASE_MS, 60_000),
    pollIntervalMs: intFromEnv(env.WORKER_POLL_MS, 1_000),
    logger,
  });

  const purge = async () => {
    try {
      const result = await purgeSyncLog(options.prisma);
      logger.info(result, "sync log retention purge done");
    } catch (error) {
      logger.error({ error: error instanceof Error ? error.message : String(error) }, "sync log purge failed");
    }
  };
  const purgeLoop = startPollingLoop({ name: "sync-log-purge", everyMs: PURGE_INTERVAL_MS, round: purge });

  worker.start();
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, "stopping sync worker");
      for (const s of signals) process.off(s, onSignal);
      resolve();
    };
    for (const s of signals) process.on(s, onSignal);
  });
  await worker.stop();
  await purgeLoop.stop();
  for (const companion of options.companions ?? []) {
    await companion.stop().catch((error) => logger.error({ companion: companion.name, error: String(error) }, "stopping a job failed"));
  }
  await options.prisma.$disconnect();
}
