// The sync log staff read: one SyncAttempt row per attempt to write to the
// ERP. Summaries and error texts are scrubbed (no e-mails, phone numbers or
// credentials) and truncated before they are stored.
import type { PrismaClient } from "@prisma/client";
import type { DatabaseProvider } from "../../db/url";
import { scrubText } from "../../logging/logger";
import { insertSyncAttempt, type RawExecutor } from "./ledger-sql";

export const SUMMARY_MAX_LENGTH = 500;

export interface AttemptStart {
  shop: string;
  orderSyncId: string;
  externalId: string;
  localId: string;
  operation: string;
  attemptNumber: number;
  idempotencyKey: string;
  correlationId: string | null;
  startedAt: Date;
}

export interface AttemptEnd {
  outcome: string;
  endedAt: Date;
  erpId?: string | null;
  requestStatus?: string | null;
  responseSummary?: string | null;
  errorMessage?: string | null;
}

/**
 * One row per attempt, written when the attempt ends (one write on the hot
 * path, usually in the transaction that moves the ledger row on). An attempt
 * cut short by a crash leaves no row; the ledger row shows it instead (still
 * "sending" until its lease expires, then retried).
 */
export async function recordAttempt(db: RawExecutor, provider: DatabaseProvider, a: AttemptStart, end: AttemptEnd): Promise<void> {
  // A raw insert: this is on the worker's hot path (ledger-sql.ts says why).
  await insertSyncAttempt(db, provider, {
      shop: a.shop,
      orderSyncId: a.orderSyncId,
      externalId: a.externalId,
      localId: a.localId,
      operation: a.operation,
      attemptNumber: a.attemptNumber,
      idempotencyKey: a.idempotencyKey,
      correlationId: a.correlationId,
      startedAt: a.startedAt,
      outcome: end.outcome,
      endedAt: end.endedAt,
      erpId: end.erpId ?? null,
      requestStatus: end.requestStatus ?? null,
      responseSummary: scrubText(end.responseSummary, SUMMARY_MAX_LENGTH),
      errorMessage: scrubText(end.errorMessage, SUMMARY_MAX_LENGTH),
  });
}

export const DEFAULT_LOG_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

export interface PurgeResult {
  attemptsDeleted: number;
  webhookEventsDeleted: number;
}

/**
 * Retention: delete sync-log rows and processed inbox events (they hold
 * customer data) older than each shop's logRetentionDays (default 30).
 * The ledger rows and staff actions stay: they are the order's history.
 */
export async function purgeSyncLog(prisma: PrismaClient, now: Date = new Date()): Promise<PurgeResult> {
  const settings = await prisma.shopSettings.findMany({ select: { shop: true, logRetentionDays: true } });
  let attemptsDeleted = 0;
  let webhookEventsDeleted = 0;
  const cutoff = (days: number) => new Date(now.getTime() - Math.max(1, days) * DAY_MS);
  for (const s of settings) {
    const before = cutoff(s.logRetentionDays);
    attemptsDeleted += (await prisma.syncAttempt.deleteMany({ where: { shop: s.shop, startedAt: { lt: before } } })).count;
    webhookEventsDeleted += (
      await prisma.webhookEvent.deleteMany({
        where: { shop: s.shop, receivedAt: { lt: before }, processedAt: { not: null } },
      })
    ).count;
  }
  const configured = settings.map((s) => s.shop);
  const defaultCutoff = cutoff(DEFAULT_LOG_RETENTION_DAYS);
  attemptsDeleted += (
    await prisma.syncAttempt.deleteMany({ where: { shop: { notIn: configured }, startedAt: { lt: defaultCutoff } } })
  ).count;
  webhookEventsDeleted += (
    await prisma.webhookEvent.deleteMany({
      where: { shop: { notIn: configured }, receivedAt: { lt: defaultCutoff }, processedAt: { not: null } },
    })
  ).count;
  return { attemptsDeleted, webhookEventsDeleted };
}
