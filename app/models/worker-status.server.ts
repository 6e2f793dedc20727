// Is any sync worker working the queue? The pages use it to say what really
// happens to a request: "Waiting for the worker; no worker has reported for 5
// minutes" instead of "Requested" forever. Reads the heartbeat rows every
// worker writes (app/observability/heartbeat.ts); the age that counts as "no
// worker" is /healthz's (HEALTH_WORKER_MAX_AGE_S, default 60 s).
import type { PrismaClient } from "@prisma/client";
import { summarizeHeartbeats } from "../observability/heartbeat";
import { workerMaxAgeMs } from "../observability/health";
import { formatDuration } from "../components/format";

export interface WorkerStatus {
  /** A worker beat within the allowed age. */
  running: boolean;
  /** Seconds since the newest beat; null when no worker ever reported. */
  lastBeatAgeSeconds: number | null;
  /** One sentence when no worker runs, null when one does. */
  warning: string | null;
}

export function workerWarning(lastBeatAgeSeconds: number | null): string {
  return lastBeatAgeSeconds === null
    ? "Waiting for the worker; no worker has reported yet. Ask whoever runs this app to start the sync worker."
    : `Waiting for the worker; no worker has reported for ${formatDuration(lastBeatAgeSeconds * 1000)}. Ask whoever runs this app to check the sync worker.`;
}

export async function getWorkerStatus(prisma: PrismaClient, now = new Date(), maxAgeMs = workerMaxAgeMs()): Promise<WorkerStatus> {
  const summary = await summarizeHeartbeats(prisma, maxAgeMs, now);
  const running = summary.alive > 0;
  return {
    running,
    lastBeatAgeSeconds: summary.newestAgeSeconds,
    warning: running ? null : workerWarning(summary.newestAgeSeconds),
  };
}

/** Anything of this shop on its way to the ERP (waiting, sending or retrying): the pages then refresh themselves. */
export async function hasOrdersInFlight(prisma: PrismaClient, shop: string): Promise<boolean> {
  const row = await prisma.orderSync.findFirst({ where: { shop, state: { in: ["pending", "sending", "retrying"] } }, select: { id: true } });
  return row !== null;
}
