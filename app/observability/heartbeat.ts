// Worker heartbeat: each worker process rewrites one small row every few
// seconds (WorkerHeartbeat). /healthz and /metrics read the newest beat to
// tell whether anything is working the queue, across any number of machines.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "pino";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
/** Rows of workers gone this long are removed by the next beat of any worker. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

export interface HeartbeatBeat {
  workerId: string;
  startedAt: Date;
  inFlight?: number;
  now?: Date;
}

/** One beat (upsert of this worker's row). Cheap: one indexed write. */
export async function recordWorkerHeartbeat(prisma: PrismaClient, beat: HeartbeatBeat): Promise<void> {
  const beatAt = beat.now ?? new Date();
  const inFlight = beat.inFlight ?? 0;
  await prisma.workerHeartbeat.upsert({
    where: { workerId: beat.workerId },
    create: { workerId: beat.workerId, startedAt: beat.startedAt, beatAt, inFlight },
    update: { beatAt, inFlight },
  });
}

export interface WorkerHeartbeatOptions {
  workerId: string;
  /** Orders in flight right now (e.g. () => worker.inFlight). */
  inFlight?: () => number;
  intervalMs?: number;
  logger?: Logger;
}

/**
 * Beats now and every `intervalMs` until stop(), which also removes this
 * worker's row (a clean stop is not a dead worker). A failed beat is logged
 * and tried again at the next round: the database being briefly away must not
 * stop the worker; /healthz shows the beat ageing meanwhile.
 */
export function startWorkerHeartbeat(prisma: PrismaClient, options: WorkerHeartbeatOptions): BackgroundJob {
  const startedAt = new Date();
  let beats = 0;
  const beat = async () => {
    try {
      await recordWorkerHeartbeat(prisma, { workerId: options.workerId, startedAt, inFlight: options.inFlight?.() ?? 0 });
      // Now and then, forget workers that are long gone (renamed hosts, old pids).
      if (beats++ % 720 === 0) {
        await prisma.workerHeartbeat.deleteMany({ where: { beatAt: { lt: new Date(Date.now() - FORGET_AFTER_MS) } } });
      }
    } catch (error) {
      options.logger?.warn({ err: error }, "worker heartbeat failed");
    }
  };
  const loop = startPollingLoop({ name: "heartbeat", everyMs: options.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS, round: beat });
  return {
    name: "heartbeat",
    async stop() {
      await loop.stop();
      await prisma.workerHeartbeat.deleteMany({ where: { workerId: options.workerId } }).catch(() => undefined);
    },
  };
}

export interface HeartbeatSummary {
  /** Workers whose last beat is at most `maxAgeMs` old. */
  alive: number;
  /** All rows, including stale ones. */
  known: number;
  /** Age of the newest beat in seconds (null when no worker ever beat). */
  newestAgeSeconds: number | null;
  workers: Array<{ workerId: string; ageSeconds: number; inFlight: number }>;
}

export async function summarizeHeartbeats(prisma: PrismaClient, maxAgeMs: number, now = new Date()): Promise<HeartbeatSummary> {
  const rows = await prisma.workerHeartbeat.findMany({ orderBy: { beatAt: "desc" }, take: 500 });
  const workers = rows.map((r) => ({
    workerId: r.workerId,
    ageSeconds: Math.max(0, (now.getTime() - r.beatAt.getTime()) / 1000),
    inFlight: r.inFlight,
  }));
  return {
    alive: workers.filter((w) => w.ageSeconds * 1000 <= maxAgeMs).length,
    known: workers.length,
    newestAgeSeconds: workers.length ? workers[0].ageSeconds : null,
    workers,
  };
}
