// One alert check for one shop: read what the ledger says, decide with the
// rules, send one message to every configured channel, and remember when and
// why, so the next check (a minute later) stays quiet. The time is recorded
// only if at least one channel took the message: an unreachable webhook is
// tried again at the next check instead of the alert being lost.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logging/logger";
import { composeAlert, type AlertMessage } from "./alert-message";
import { reasonsThatHold, reasonsToSend, type AlertFacts, type AlertReason } from "./alert-rules";
import { loadAlertTargets } from "./alert-settings.server";

export interface AlertSenders {
  webhook(url: string, message: AlertMessage): Promise<void>;
  /** null when e-mail is not configured on the server. */
  email: ((to: string[], message: AlertMessage) => Promise<void>) | null;
}

export interface AlertCheckResult {
  reasons: AlertReason[];
  delivered: ("webhook" | "email")[];
  failures: string[];
}

export async function alertFacts(prisma: PrismaClient, shop: string): Promise<AlertFacts> {
  const waitingStates = ["pending", "retrying", "sending"];
  const [attentionCount, waitingCount, firstTried, firstUntried, lastSynced, erp] = await Promise.all([
    prisma.orderSync.count({ where: { shop, state: { in: ["needs_attention", "failed"] } } }),
    prisma.orderSync.count({ where: { shop, state: { in: waitingStates } } }),
    // Retried orders keep firstAttemptAt across attempts (updatedAt moves every attempt).
    prisma.orderSync.findFirst({ where: { shop, state: { in: waitingStates }, firstAttemptAt: { not: null } }, orderBy: { firstAttemptAt: "asc" }, select: { firstAttemptAt: true } }),
    prisma.orderSync.findFirst({ where: { shop, state: { in: waitingStates }, firstAttemptAt: null }, orderBy: { updatedAt: "asc" }, select: { updatedAt: true } }),
    prisma.orderSync.findFirst({ where: { shop, syncedAt: { not: null } }, orderBy: { syncedAt: "desc" }, select: { syncedAt: true } }),
    prisma.erpHealth.findUnique({ where: { shop }, select: { openedAt: true, closedAt: true } }),
  ]);
  const since = [firstTried?.firstAttemptAt, firstUntried?.updatedAt].filter((d): d is Date => d instanceof Date);
  return {
    attentionCount,
    waitingCount,
    waitingSince: since.length ? new Date(Math.min(...since.map((d) => d.getTime()))) : null,
    lastSyncedAt: lastSynced?.syncedAt ?? null,
    erpDown: Boolean(erp?.openedAt),
    erpBackAt: erp?.closedAt ?? null,
  };
}

type AlertTargets = NonNullable<Awaited<ReturnType<typeof loadAlertTargets>>>;

/** Whether any channel can carry a message (a webhook, or addresses and a configured SMTP server). */
export function canSendAlerts(targets: AlertTargets, senders: AlertSenders): boolean {
  return Boolean(targets.webhookUrl) || (targets.emails.length > 0 && senders.email !== null);
}

/** One message to every configured channel; a channel that fails does not stop the others. */
export async function sendAlert(
  senders: AlertSenders,
  targets: AlertTargets,
  message: AlertMessage,
): Promise<Pick<AlertCheckResult, "delivered" | "failures">> {
  const result: Pick<AlertCheckResult, "delivered" | "failures"> = { delivered: [], failures: [] };
  if (targets.webhookUrl) {
    await senders.webhook(targets.webhookUrl, message).then(
      () => result.delivered.push("webhook"),
      (error: Error) => result.failures.push(error.message),
    );
  }
  if (targets.emails.length > 0 && senders.email) {
    await senders.email(targets.emails, message).then(
      () => result.delivered.push("email"),
      (error: Error) => result.failures.push(error.message),
    );
  }
  return result;
}

export async function checkShopAlerts(
  deps: { prisma: PrismaClient; senders: AlertSenders; logger?: Logger; now?: Date; link?: string },
  shop: string,
): Promise<AlertCheckResult> {
  const now = deps.now ?? new Date();
  const targets = await loadAlertTargets(deps.prisma, shop);
  const none: AlertCheckResult = { reasons: [], delivered: [], failures: [] };
  if (!targets) return none;
  const { row } = targets;
  if (!canSendAlerts(targets, deps.senders)) {
    if (targets.webhookProblem) deps.logger?.warn({ shop }, targets.webhookProblem);
    return none;
  }
  const thresholds = { attentionThreshold: row.attentionThreshold, noSyncMinutes: row.noSyncMinutes };
  const facts = await alertFacts(deps.prisma, shop);
  const reasons = reasonsToSend(reasonsThatHold(facts, thresholds, now), row, now);
  if (reasons.length === 0) return none;

  const message = composeAlert(shop, reasons, facts, thresholds, now, deps.link);
  const result: AlertCheckResult = { reasons, ...(await sendAlert(deps.senders, targets, message)) };
  if (result.delivered.length > 0) {
    // Compare-and-set on the previous time: two workers checking at once send at most twice, never every minute.
    await deps.prisma.alertSettings.updateMany({
      where: { shop, lastAlertAt: row.lastAlertAt },
      data: { lastAlertAt: now, lastAlertReason: reasons.join(",") },
    });
  }
  deps.logger?.info({ shop, reasons, delivered: result.delivered, failures: result.failures }, "alert check sent a message");
  return result;
}
