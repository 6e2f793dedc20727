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
  /** The worker's tuning (WORKER_* variables, read by the composition root); unset values take the defaults below. */
  settings?: Partial<WorkerSettings>;
  /** Signals that stop the worker (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
  /**
   * Other jobs sharing this process (reconciliation, backfill, alerts,
   * heartbeat): stopped after the worker and before the database closes.
   */
  companions?: BackgroundJob[];
}

export interface WorkerSettings {
  /** This process's name in leases and the heartbeat (default host-pid). */
  workerId: string;
  concurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
}

const DEFAULT_WORKER_SETTINGS = { concurrency: 16, leaseMs: 60_000, pollIntervalMs: 1_000 };

const PURGE_INTERVAL_MS = 60 * 60_000;

/** Runs until a stop signal; resolves once the worker has shut down cleanly. */
export async function runWorkerProcess(options: WorkerProcessOptions): Promise<void> {
  const settings = options.settings ?? {};
  const logger = options.logger ?? createLogger({ base: { service: "erp-sync-worker" } });
  const worker: SyncWorker = createWorker({
    prisma: options.prisma,
    configProvider: options.configProvider,
    workerId: settings.workerId ?? `${hostname()}-${process.pid}`,
    concurrency: settings.concurrency ?? DEFAULT_WORKER_SETTINGS.concurrency,
    leaseMs: settings.leaseMs ?? DEFAULT_WORKER_SETTINGS.leaseMs,
    pollIntervalMs: settings.pollIntervalMs ?? DEFAULT_WORKER_SETTINGS.pollIntervalMs,
    logger,
  });

  const purge = async () => {
    try {
      const result = await purgeSyncLog(options.prisma);
      logger.info(result, "sync log retention purge done");
    } catch (error) {
      logger.error({ err: error }, "sync log purge failed");
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
    await companion.stop().catch((error) => logger.error({ companion: companion.name, err: error }, "stopping a job failed"));
  }
  await options.prisma.$disconnect();
}
