// Delivery health of one shop, as pure functions of ledger facts: how orders
// were first seen (webhook, or found later by reconciliation / backfill, i.e.
// lost webhooks made visible), how long Shopify's created_at took to become
// an ERP document (p50 / p99 over 24 hours and 14 days), and how long the
// oldest order still waiting has waited. The SQL reader
// (delivery-health.server.ts) gathers the facts; the dashboard, /metrics and
// the health alerts all read the same figures from here.
import { formatDuration as formatMs } from "../components/format";

export const DAY_MS = 24 * 60 * 60_000;
export const HEALTH_WINDOWS = { day: DAY_MS, fortnight: 14 * DAY_MS } as const;
export type HealthWindow = keyof typeof HEALTH_WINDOWS;

/** How the app first learned of an order (OrderSync.firstSeenBy). */
export const FIRST_SEEN_SOURCES = ["webhook", "reconciliation", "backfill", "refetch", "unknown"] as const;
export type FirstSeenSource = (typeof FIRST_SEEN_SOURCES)[number];

/** States of an order the app still means to write to the ERP. */
export const WAITING_STATES = ["pending", "sending", "retrying", "needs_attention"] as const;

/** The intake topic ("orders/create", "snapshot/reconciliation", …) as a first-seen source. */
export function firstSeenByOf(topic: string): FirstSeenSource {
  if (!topic.startsWith("snapshot/")) return "webhook";
  const source = topic.slice("snapshot/".length);
  return (FIRST_SEEN_SOURCES as readonly string[]).includes(source) ? (source as FirstSeenSource) : "unknown";
}

export function normalizeSource(value: string | null | undefined): FirstSeenSource {
  return value && (FIRST_SEEN_SOURCES as readonly string[]).includes(value) ? (value as FirstSeenSource) : "unknown";
}

export interface HealthFacts {
  /** Orders created in the window (by Shopify's created_at), counted by how they were first seen. */
  firstSeen: Record<HealthWindow, Partial<Record<FirstSeenSource, number>>>;
  /** Milliseconds from created_at to the ERP document, for documents committed in each window (any order). */
  lagsMs: Record<HealthWindow, number[]>;
  /** Orders still waiting, and the earliest time one of them was created in Shopify (or reached the app). */
  waitingCount: number;
  oldestWaitingSince: Date | null;
}

export interface SourceShare {
  counts: Record<FirstSeenSource, number>;
  total: number;
  /**
   * Orders found only by reconciliation, as a share of orders that Shopify
   * should have announced by webhook (webhook + reconciliation). Backfill
   * imports past orders on purpose and re-fetches start from an order staff
   * already saw, so neither counts as a lost webhook. null: no orders.
   */
  lostWebhookShare: number | null;
}

export interface LagFigures {
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface DeliveryHealth {
  at: string;
  sources: Record<HealthWindow, SourceShare>;
  lag: Record<HealthWindow, LagFigures>;
  backlog: { waiting: number; oldestAgeMs: number | null };
}

/** Nearest-rank quantile of ascending numbers (the same rule /metrics uses). */
export function nearestRank(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

export function sourceShare(counts: Partial<Record<FirstSeenSource, number>>): SourceShare {
  const full = Object.fromEntries(FIRST_SEEN_SOURCES.map((s) => [s, counts[s] ?? 0])) as Record<FirstSeenSource, number>;
  const total = FIRST_SEEN_SOURCES.reduce((sum, s) => sum + full[s], 0);
  const announced = full.webhook + full.reconciliation;
  return { counts: full, total, lostWebhookShare: announced === 0 ? null : full.reconciliation / announced };
}

export function lagFigures(lagsMs: number[]): LagFigures {
  // Clock skew between Shopify and this server can make a lag slightly negative: count it as 0.
  const sorted = lagsMs.map((l) => Math.max(0, l)).sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: nearestRank(sorted, 0.5),
    p99Ms: nearestRank(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : null,
  };
}

export function deliveryHealth(facts: HealthFacts, now: Date): DeliveryHealth {
  return {
    at: now.toISOString(),
    sources: { day: sourceShare(facts.firstSeen.day), fortnight: sourceShare(facts.firstSeen.fortnight) },
    lag: { day: lagFigures(facts.lagsMs.day), fortnight: lagFigures(facts.lagsMs.fortnight) },
    backlog: {
      waiting: facts.waitingCount,
      oldestAgeMs: facts.oldestWaitingSince ? Math.max(0, now.getTime() - facts.oldestWaitingSince.getTime()) : null,
    },
  };
}

// ---- thresholds the merchant sets (AlertSettings) ----

export type HealthReason = "lost_webhooks" | "lag" | "backlog";
export const HEALTH_REASONS: HealthReason[] = ["lost_webhooks", "lag", "backlog"];

export interface HealthThresholds {
  /** Percent of the last 24 h's orders found only by reconciliation (null = never). */
  lostWebhookPercent: number | null;
  /** Minutes, p99 of created_at → ERP document over 24 h (null = never). */
  lagMinutes: number | null;
  /** Minutes the oldest waiting order has waited (null = never). */
  backlogMinutes: number | null;
}

/**
 * Below this many orders a day, one lost webhook is a large share: the
 * lost-webhook alert waits for enough orders to mean something.
 */
export const MIN_ORDERS_FOR_SHARE = 5;

export function healthReasonsThatHold(health: DeliveryHealth, thresholds: HealthThresholds): HealthReason[] {
  const reasons: HealthReason[] = [];
  const day = health.sources.day;
  const announced = day.counts.webhook + day.counts.reconciliation;
  if (
    thresholds.lostWebhookPercent !== null &&
    day.lostWebhookShare !== null &&
    announced >= MIN_ORDERS_FOR_SHARE &&
    day.lostWebhookShare * 100 >= thresholds.lostWebhookPercent
  ) {
    reasons.push("lost_webhooks");
  }
  const p99 = health.lag.day.p99Ms;
  if (thresholds.lagMinutes !== null && p99 !== null && p99 >= thresholds.lagMinutes * 60_000) reasons.push("lag");
  const oldest = health.backlog.oldestAgeMs;
  if (thresholds.backlogMinutes !== null && oldest !== null && oldest >= thresholds.backlogMinutes * 60_000) reasons.push("backlog");
  return reasons;
}

export function parseHealthReasons(text: string | null | undefined): HealthReason[] {
  return (text ?? "").split(",").filter((r): r is HealthReason => (HEALTH_REASONS as string[]).includes(r));
}

/**
 * What to tell staff now, given what they were last told is raised: a reason
 * that started to hold is raised once, one that stopped is cleared once.
 * Nothing is repeated while the set stays the same.
 */
export function healthTransitions(holding: HealthReason[], raised: HealthReason[]): { raise: HealthReason[]; clear: HealthReason[] } {
  return {
    raise: holding.filter((r) => !raised.includes(r)),
    clear: raised.filter((r) => !holding.includes(r)),
  };
}

// ---- words ----

/** A duration in words (the app's one formatter), "–" when there is none. */
export function formatDuration(ms: number | null): string {
  return ms === null ? "–" : formatMs(ms);
}

export function formatShare(share: number | null): string {
  return share === null ? "–" : `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)} %`;
}

/** One line per reason, in plain words, saying what to do in this app first. */
export function describeHealthReason(reason: HealthReason, health: DeliveryHealth, thresholds: HealthThresholds, cleared: boolean): string {
  switch (reason) {
    case "lost_webhooks": {
      const day = health.sources.day;
      return cleared
        ? `Webhooks are arriving again: ${formatShare(day.lostWebhookShare)} of the last 24 hours' orders were found only by reconciliation (your limit: ${thresholds.lostWebhookPercent ?? "–"} %).`
        : `${day.counts.reconciliation} of the last 24 hours' ${day.counts.webhook + day.counts.reconciliation} orders (${formatShare(day.lostWebhookShare)}) never arrived by webhook and were found only by reconciliation (your limit: ${thresholds.lostWebhookPercent} %). Nothing is lost, but orders reach the ERP late. Open Settings → Reconciliation and run it now; if it keeps happening, reinstall the app so Shopify registers its webhooks again.`;
    }
    case "lag":
      return cleared
        ? `Orders reach the ERP quickly again: 99 % within ${formatDuration(health.lag.day.p99Ms)} over the last 24 hours.`
        : `Orders take long to reach the ERP: 99 % within ${formatDuration(health.lag.day.p99Ms)} of being placed over the last 24 hours (your limit: ${thresholds.lagMinutes} min). Open the dashboard to see whether the ERP is down or orders are waiting for a fix.`;
    case "backlog":
      return cleared
        ? `No order has been waiting long any more (${health.backlog.waiting} waiting).`
        : `${health.backlog.waiting} orders are waiting to reach the ERP; the oldest has waited ${formatDuration(health.backlog.oldestAgeMs)} (your limit: ${thresholds.backlogMinutes} min). Open the order log filtered on "Needs attention" and "Retrying" to see what they wait for.`;
  }
}
