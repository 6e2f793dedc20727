// The per-shop circuit breaker over the shop's ERP. When an ERP stops
// answering (down for maintenance, unreachable), sending every due order
// into it only burns retries and hammers it when it comes back; instead the
// shop's sends pause, one request at a time checks whether it answers again,
// and everything waiting goes out once it does.
//
// - Closed (normal): transient failures that mean "no answer" (timeouts,
//   connection errors, 5xx; see erp-call-observer.ts) are counted in a row
//   across every worker. A repeat of the order that failed last is not counted
//   again, so one order the ERP chokes on is not an outage. Any answer resets
//   the count.
// - Open: at `openAfterFailures` in a row (10), the first of them at least
//   `openAfterMs` (5 s) ago, the breaker opens. The time span matters with
//   several workers: each learns of another's streak when it next reads the
//   rows (about once a second), and only from then on do its answers reset
//   the count, so a burst of failures within a second is not yet an outage.
//   The shop's orders are no longer claimed (ledger/claim-due-orders.ts), so waiting
//   orders are not charged attempts, and no order of the shop moves to
//   `failed` while it is open (deliver.ts). One worker at a time holds the probe lease and sends
//   one due order (the oldest; a probe that fails pushes that order back by its
//   own backoff, so the next probe tries another). Probes are spaced by the
//   app's backoff rule from 30 s, capped at 1 minute: one request a minute
//   costs an ERP nothing, and the shop's orders go out within about a minute
//   of its return (a 15-minute cap, tried first, kept a shop waiting 15
//   minutes after a 10-minute outage whenever one probe met a stray 503).
// - Any answer to a request sent after the opening closes it: the shop's
//   retrying orders become due at once and sending resumes.
//
// The state is the shop's ErpHealth row, so it survives a restart and every
// worker process shares it; each change is a compare-and-set (updateMany with
// the expected state in its filter), like the ledger rows. Each worker keeps
// the rows it last read (refresh(), about once a second) so a healthy shop
// costs no database work per call.
import { randomUUID } from "node:crypto";
import type { ErpHealth, PrismaClient } from "@prisma/client";
import type { Logger } from "pino";
import { backoffDelayMs, type BackoffPolicy } from "../../lib/backoff";

export interface BreakerPolicy {
  /** Transient failures in a row (different orders) that open the breaker. */
  openAfterFailures: number;
  /** ...provided the first of them is at least this old. */
  openAfterMs: number;
  /** Spacing of probes while open: try n waits backoffDelayMs(n, probe). */
  probe: BackoffPolicy;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  openAfterFailures: 10,
  openAfterMs: 5_000,
  probe: { baseMs: 30_000, maxMs: 60_000 },
};

/** What one ERP call said about the ERP's health. */
export type CallVerdict = "answered" | "unavailable";

export interface ErpBreakerOptions {
  prisma: PrismaClient;
  logger: Logger;
  now: () => Date;
  /** How long a probe may take before another worker may probe instead. */
  probeLeaseMs: number;
  policy?: Partial<BreakerPolicy>;
  random?: () => number;
}

export interface ErpBreaker {
  /** Read again which shops have a failure streak or an open breaker. */
  refresh(): Promise<void>;
  /** The shop's sends are paused (as of the last read or this worker's own change). */
  isOpen(shop: string): boolean;
  /** Take the shop's probe lease if a probe is due and nobody holds it; returns its token. */
  tryStartProbe(shop: string): Promise<string | null>;
  /**
   * The probe is over. `erpCalled`: the probe reached the ERP (when it did and
   * the ERP answered, the breaker is closed already); otherwise (the order
   * needed no ERP call) another probe may go at once.
   */
  finishProbe(shop: string, token: string, erpCalled: boolean): Promise<void>;
  /** An ERP call of this shop ended: count it towards an outage, or close one. */
  record(shop: string, orderSyncId: string, verdict: CallVerdict, callStartedAt: Date): Promise<void>;
}

type Known = Pick<ErpHealth, "failureStreak" | "lastFailedOrderId" | "failingSince" | "openedAt" | "nextProbeAt">;
const KNOWN_COLUMNS = { failureStreak: true, lastFailedOrderId: true, failingSince: true, openedAt: true, nextProbeAt: true } as const;

export function createErpBreaker(options: ErpBreakerOptions): ErpBreaker {
  const { prisma, logger, now } = options;
  const policy: BreakerPolicy = { ...DEFAULT_BREAKER_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  // Shops with trouble as last seen; absent = healthy (no streak, closed).
  const known = new Map<string, Known>();
  const rowExists = new Set<string>();

  const probeDelay = (probeNumber: number) => backoffDelayMs(probeNumber, policy.probe, random);

  async function reread(shop: string): Promise<void> {
    const row = await prisma.erpHealth.findUnique({ where: { shop }, select: KNOWN_COLUMNS });
    if (row && (row.failureStreak > 0 || row.openedAt)) known.set(shop, row);
    else known.delete(shop);
  }

  async function recordUnavailable(shop: string, orderSyncId: string, at: Date): Promise<void> {
    // The order that failed last, failing again: not counted, so nothing to write.
    if (known.get(shop)?.lastFailedOrderId === orderSyncId) return;
    if (!rowExists.has(shop)) {
      await prisma.erpHealth.upsert({ where: { shop }, create: { shop }, update: {} });
      rowExists.add(shop);
    }
    const closed = { shop, openedAt: null };
    const [, , opened] = await prisma.$transaction([
      prisma.erpHealth.updateMany({
        where: { ...closed, OR: [{ lastFailedOrderId: null }, { lastFailedOrderId: { not: orderSyncId } }] },
        data: { failureStreak: { increment: 1 }, lastFailedOrderId: orderSyncId },
      }),
      prisma.erpHealth.updateMany({ where: { ...closed, failingSince: null }, data: { failingSince: at } }),
      prisma.erpHealth.updateMany({
        where: { ...closed, failureStreak: { gte: policy.openAfterFailures }, failingSince: { lte: new Date(at.getTime() - policy.openAfterMs) } },
        data: {
          openedAt: at,
          nextProbeAt: new Date(at.getTime() + probeDelay(1)),
          probes: 0,
          probeToken: null,
          probeExpiresAt: null,
          outageAlertedAt: null,
          recoveryAlertedAt: null,
        },
      }),
    ]);
    await reread(shop);
    if (opened.count === 1) {
      const row = known.get(shop);
      logger.warn(
        { shop, failingSince: row?.failingSince?.toISOString(), failures: policy.openAfterFailures, nextProbeAt: row?.nextProbeAt?.toISOString() },
        "the ERP is not answering: this shop's sends are paused, one order at a time checks whether it answers again",
      );
    }
  }

  async function recordAnswered(shop: string, callStartedAt: Date): Promise<void> {
    // Healthy as far as this worker knows: nothing to reset (the common case, no database work).
    if (!known.has(shop)) return;
    const at = now();
    const [, closed] = await prisma.$transaction([
      prisma.erpHealth.updateMany({
        where: { shop, openedAt: null, failureStreak: { gt: 0 } },
        data: { failureStreak: 0, lastFailedOrderId: null, failingSince: null },
      }),
      // Only an answer to a request sent after the opening proves the ERP is back.
      prisma.erpHealth.updateMany({
        where: { shop, openedAt: { lte: callStartedAt } },
        data: {
          openedAt: null,
          closedAt: at,
          failureStreak: 0,
          lastFailedOrderId: null,
          failingSince: null,
          nextProbeAt: null,
          probeToken: null,
          probeExpiresAt: null,
        },
      }),
    ]);
    if (closed.count === 1) {
      // What waited for the ERP goes now (the shop limiter paces it), not at each order's backoff.
      const released = await prisma.orderSync.updateMany({
        where: { shop, state: "retrying", nextAttemptAt: { gt: at } },
        data: { nextAttemptAt: at },
      });
      logger.info({ shop, released: released.count }, "the ERP answers again: this shop's sends resumed");
    }
    await reread(shop);
  }

  return {
    async refresh() {
      const rows = await prisma.erpHealth.findMany({
        where: { OR: [{ openedAt: { not: null } }, { failureStreak: { gt: 0 } }] },
        select: { shop: true, ...KNOWN_COLUMNS },
      });
      known.clear();
      for (const { shop, ...row } of rows) known.set(shop, row);
      // Rows can go (shop/redact erases them): make sure again at the next failure.
      rowExists.clear();
    },

    isOpen(shop) {
      return Boolean(known.get(shop)?.openedAt);
    },

    async tryStartProbe(shop) {
      const row = known.get(shop);
      const at = now();
      if (!row?.openedAt || (row.nextProbeAt && row.nextProbeAt > at)) return null;
      const token = randomUUID();
      const taken = await prisma.erpHealth.updateMany({
        where: {
          shop,
          openedAt: { not: null },
          OR: [{ nextProbeAt: null }, { nextProbeAt: { lte: at } }],
          AND: [{ OR: [{ probeToken: null }, { probeExpiresAt: { lt: at } }] }],
        },
        data: { probeToken: token, probeExpiresAt: new Date(at.getTime() + options.probeLeaseMs) },
      });
      if (taken.count === 1) return token;
      await reread(shop); // another worker probes, or the breaker closed: learn the new times
      return null;
    },

    async finishProbe(shop, token, erpCalled) {
      const row = await prisma.erpHealth.findUnique({ where: { shop }, select: { probeToken: true, probes: true } });
      if (row?.probeToken !== token) return; // closed meanwhile (the probe was answered)
      const at = now();
      const probes = row.probes + (erpCalled ? 1 : 0);
      await prisma.erpHealth.updateMany({
        where: { shop, probeToken: token },
        data: {
          probeToken: null,
          probeExpiresAt: null,
          probes,
          nextProbeAt: erpCalled ? new Date(at.getTime() + probeDelay(probes + 1)) : at,
        },
      });
      await reread(shop);
    },

    async record(shop, orderSyncId, verdict, callStartedAt) {
      try {
        if (verdict === "unavailable") await recordUnavailable(shop, orderSyncId, now());
        else await recordAnswered(shop, callStartedAt);
      } catch (error) {
        // Bookkeeping only: a database hiccup here must not fail the delivery.
        logger.error({ shop, err: error }, "recording the ERP's health failed");
      }
    },
  };
}

/** Since when the shop's ERP has not answered, while its breaker is open; null when it answers. */
export async function erpDownSince(prisma: PrismaClient, shop: string): Promise<Date | null> {
  const row = await prisma.erpHealth.findUnique({ where: { shop }, select: { openedAt: true, failingSince: true } });
  return row?.openedAt ? (row.failingSince ?? row.openedAt) : null;
}
