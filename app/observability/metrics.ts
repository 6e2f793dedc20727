// Prometheus metrics (prom-client), served by the web process at /metrics.
//
// Two kinds, on purpose:
// - Queue, attempt and worker figures are read from the database at scrape
//   time, so they are right however many worker processes run on however
//   many machines (the worker processes serve no HTTP).
// - Webhook acknowledgement latency is measured where it happens, in the web
//   process (observeWebhookAck), as a histogram.
// Only counts, durations and ages: no order ids or names. Delivery health
// (app/health/health-metrics.ts) is per shop, labelled with the shop's domain.
import type { PrismaClient } from "@prisma/client";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { summarizeHeartbeats } from "./heartbeat";
import { workerMaxAgeMs } from "./health";
import { createHealthMetrics, type HealthMetrics } from "../health/health-metrics";

/** Window for the attempt and ERP-latency figures computed from the sync log. */
export const RECENT_WINDOW_MS = 15 * 60_000;
const LATENCY_SAMPLE_LIMIT = 20_000;
const LEDGER_STATES = ["pending", "sending", "synced", "retrying", "needs_attention", "failed", "skipped"];
const ATTEMPT_OUTCOMES = ["synced", "retrying", "needs_attention", "failed", "skipped", "lease_lost"];

interface AppMetrics {
  registry: Registry;
  webhookAck: Histogram<"topic" | "status">;
  queue: Gauge<"state">;
  due: Gauge;
  oldestDueAge: Gauge;
  attempts: Gauge<"outcome">;
  erpLatency: Gauge<"quantile">;
  erpCalls: Gauge;
  workersAlive: Gauge;
  heartbeatAge: Gauge;
  erpDownShops: Gauge;
  erpDownLongest: Gauge;
  health: HealthMetrics;
}

function createAppMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    webhookAck: new Histogram({
      name: "erp_sync_webhook_ack_seconds",
      help: "Time from receiving a Shopify webhook to answering it (Shopify allows 5 s)",
      labelNames: ["topic", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers,
    }),
    queue: new Gauge({ name: "erp_sync_orders", help: "Ledger rows (orders) by sync state, all shops", labelNames: ["state"], registers }),
    due: new Gauge({ name: "erp_sync_orders_due", help: "Orders due for an ERP write now (pending/retrying due, or an expired claim)", registers }),
    oldestDueAge: new Gauge({ name: "erp_sync_oldest_due_age_seconds", help: "How long the longest-waiting due order has been due (0 when none)", registers }),
    attempts: new Gauge({
      name: "erp_sync_attempts_recent",
      help: "ERP write attempts started in the last 15 minutes, by outcome (from the sync log)",
      labelNames: ["outcome"],
      registers,
    }),
    erpLatency: new Gauge({
      name: "erp_sync_attempt_duration_seconds_recent",
      help: "Duration of ERP write attempts finished in the last 15 minutes (look-up + write), by quantile",
      labelNames: ["quantile"],
      registers,
    }),
    erpCalls: new Gauge({ name: "erp_sync_attempt_duration_samples_recent", help: "Attempts the duration quantiles are computed from", registers }),
    workersAlive: new Gauge({ name: "erp_sync_workers_alive", help: "Worker processes with a fresh heartbeat (HEALTH_WORKER_MAX_AGE_S)", registers }),
    heartbeatAge: new Gauge({
      name: "erp_sync_worker_heartbeat_age_seconds",
      help: "Age of the newest worker heartbeat (+Inf when no worker ever beat)",
      registers,
    }),
    erpDownShops: new Gauge({
      name: "erp_sync_erp_down_shops",
      help: "Shops whose ERP is not answering: circuit breaker open, sends paused, one probe at a time",
      registers,
    }),
    erpDownLongest: new Gauge({
      name: "erp_sync_erp_down_longest_seconds",
      help: "How long the longest ongoing ERP outage has lasted, from its first failed request (0 when none)",
      registers,
    }),
    health: createHealthMetrics(registers),
  };
}

declare global {
  // Remix's dev server re-imports modules; metrics must be registered once.
  var erpSyncMetrics: AppMetrics | undefined;
}

function metrics(): AppMetrics {
  globalThis.erpSyncMetrics ??= createAppMetrics();
  return globalThis.erpSyncMetrics;
}

// "orders/create" (header) or "orders_create" (the library's ORDERS_CREATE, lowercased).
const TOPIC_PATTERN = /^[a-z_]{1,40}(\/[a-z_]{1,40})?$/;

/**
 * Hook for the webhook handler: call once per delivery with the topic (as in
 * X-Shopify-Topic), the HTTP status answered and the seconds it took.
 * Unknown-looking topics are folded into "other" so a caller cannot create
 * unbounded label values.
 */
export function observeWebhookAck(topic: string | null | undefined, status: number, seconds: number): void {
  const normalized = (topic ?? "").toLowerCase();
  const label = TOPIC_PATTERN.test(normalized) ? normalized : "other";
  metrics().webhookAck.observe({ topic: label, status: String(status) }, Math.max(0, seconds));
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

async function refreshFromDatabase(prisma: PrismaClient, now: Date): Promise<void> {
  const m = metrics();
  const byState = await prisma.orderSync.groupBy({ by: ["state"], _count: { _all: true } });
  const counts = new Map(byState.map((r) => [r.state, r._count._all]));
  for (const state of new Set([...LEDGER_STATES, ...counts.keys()])) m.queue.set({ state }, counts.get(state) ?? 0);

  const due = {
    OR: [
      { state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: now } },
      { state: "sending", leaseExpiresAt: { lt: now } },
    ],
  };
  const [dueCount, oldest] = await Promise.all([
    prisma.orderSync.count({ where: due }),
    prisma.orderSync.findFirst({ where: due, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } }),
  ]);
  m.due.set(dueCount);
  m.oldestDueAge.set(oldest ? Math.max(0, (now.getTime() - oldest.nextAttemptAt.getTime()) / 1000) : 0);

  const since = new Date(now.getTime() - RECENT_WINDOW_MS);
  const byOutcome = await prisma.syncAttempt.groupBy({ by: ["outcome"], where: { startedAt: { gte: since } }, _count: { _all: true } });
  const outcomes = new Map(byOutcome.map((r) => [r.outcome, r._count._all]));
  for (const outcome of new Set([...ATTEMPT_OUTCOMES, ...outcomes.keys()])) m.attempts.set({ outcome }, outcomes.get(outcome) ?? 0);

  const finished = await prisma.syncAttempt.findMany({
    where: { startedAt: { gte: since }, endedAt: { not: null } },
    select: { startedAt: true, endedAt: true },
    orderBy: { startedAt: "desc" },
    take: LATENCY_SAMPLE_LIMIT,
  });
  const durations = finished.map((a) => Math.max(0, (a.endedAt!.getTime() - a.startedAt.getTime()) / 1000)).sort((a, b) => a - b);
  m.erpCalls.set(durations.length);
  for (const q of [0.5, 0.9, 0.99]) m.erpLatency.set({ quantile: String(q) }, quantile(durations, q));
  m.erpLatency.set({ quantile: "1" }, durations.length ? durations[durations.length - 1] : Number.NaN);

  const outages = await prisma.erpHealth.findMany({ where: { openedAt: { not: null } }, select: { openedAt: true, failingSince: true } });
  m.erpDownShops.set(outages.length);
  const downSince = outages.map((o) => (o.failingSince ?? o.openedAt!).getTime());
  m.erpDownLongest.set(downSince.length ? Math.max(0, (now.getTime() - Math.min(...downSince)) / 1000) : 0);

  const beats = await summarizeHeartbeats(prisma, workerMaxAgeMs(), now);
  m.workersAlive.set(beats.alive);
  m.heartbeatAge.set(beats.newestAgeSeconds ?? Number.POSITIVE_INFINITY);
  await m.health.refresh(prisma, now);
}

/** The Prometheus text exposition, database figures refreshed now. */
export async function renderMetrics(prisma: PrismaClient, now = new Date()): Promise<{ contentType: string; body: string }> {
  await refreshFromDatabase(prisma, now);
  const registry = metrics().registry;
  return { contentType: registry.contentType, body: await registry.metrics() };
}
