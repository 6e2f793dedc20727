// Delivery health alerts (app/health/): when the share of lost webhooks, the
// created_at → ERP lag or the age of the oldest waiting order crosses the
// limit the merchant set, staff get one message; when it is back within the
// limit, one more. Like the ERP-outage alert, nothing repeats in between.
//
// What staff were last told is raised lives in AlertSettings.healthRaised.
// Several worker processes run the alert job: each message is claimed by a
// compare-and-set from the value read to the new one before it is sent, so
// exactly one process sends it; when no channel took it the claim is undone
// and the next check tries again.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logging/logger";
import {
  describeHealthReason,
  healthReasonsThatHold,
  healthTransitions,
  parseHealthReasons,
  type DeliveryHealth,
  type HealthReason,
  type HealthThresholds,
} from "../health/delivery-health";
import { loadDeliveryHealth } from "../health/delivery-health.server";
import { canSendAlerts, sendAlert, type AlertCheckResult, type AlertSenders } from "./alert-check.server";
import { appHomeUrl, type AlertMessage } from "./alert-message";
import { loadAlertTargets } from "./alert-settings.server";

export interface HealthAlertResult extends Pick<AlertCheckResult, "delivered" | "failures"> {
  raised: HealthReason[];
  cleared: HealthReason[];
}

export function composeHealthAlert(
  shop: string,
  change: { raise: HealthReason[]; clear: HealthReason[] },
  health: DeliveryHealth,
  thresholds: HealthThresholds,
  link: string = appHomeUrl(shop),
): AlertMessage {
  const onlyCleared = change.raise.length === 0;
  const subject = onlyCleared
    ? `ERP Order Sync: delivery back within your limits (${shop})`
    : `ERP Order Sync: delivery outside your limits (${shop})`;
  const lines = [
    ...change.raise.map((r) => describeHealthReason(r, health, thresholds, false)),
    ...change.clear.map((r) => describeHealthReason(r, health, thresholds, true)),
  ];
  return { subject, text: [...lines, `Dashboard (card "Delivery health"): ${link}`].join("\n\n") };
}

export async function checkHealthAlert(
  deps: { prisma: PrismaClient; senders: AlertSenders; logger?: Logger; now?: Date; link?: string },
  shop: string,
): Promise<HealthAlertResult> {
  const { prisma } = deps;
  const now = deps.now ?? new Date();
  const none: HealthAlertResult = { raised: [], cleared: [], delivered: [], failures: [] };
  const targets = await loadAlertTargets(prisma, shop);
  if (!targets || !canSendAlerts(targets, deps.senders)) return none;
  const { row } = targets;
  const thresholds: HealthThresholds = { lostWebhookPercent: row.lostWebhookPercent, lagMinutes: row.lagMinutes, backlogMinutes: row.backlogMinutes };
  const told = parseHealthReasons(row.healthRaised);
  // Nothing set and nothing raised: no need to read the ledger.
  if (told.length === 0 && thresholds.lostWebhookPercent === null && thresholds.lagMinutes === null && thresholds.backlogMinutes === null) return none;

  const health = await loadDeliveryHealth(prisma, shop, now);
  const change = healthTransitions(healthReasonsThatHold(health, thresholds), told);
  if (change.raise.length === 0 && change.clear.length === 0) return none;

  const next = [...told.filter((r) => !change.clear.includes(r)), ...change.raise].join(",");
  const claimed = await prisma.alertSettings.updateMany({
    where: { shop, healthRaised: row.healthRaised },
    data: { healthRaised: next, healthAlertedAt: now },
  });
  if (claimed.count === 0) return none; // another process told them

  const message = composeHealthAlert(shop, change, health, thresholds, deps.link);
  const result: HealthAlertResult = { raised: change.raise, cleared: change.clear, ...(await sendAlert(deps.senders, targets, message)) };
  if (result.delivered.length === 0) {
    await prisma.alertSettings.updateMany({
      where: { shop, healthRaised: next },
      data: { healthRaised: row.healthRaised, healthAlertedAt: row.healthAlertedAt },
    });
  }
  deps.logger?.info({ shop, raised: change.raise, cleared: change.clear, delivered: result.delivered, failures: result.failures }, "delivery health alert");
  return result;
}
