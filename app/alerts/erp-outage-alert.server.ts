// Two messages per ERP outage, not one per order: one when the shop's ERP
// stops answering (its circuit breaker opened, app/sync/delivery/erp-breaker.ts) and
// one when it answers again. The alert job calls this every minute beside the
// usual alert check, so an outage that ended before the next check (under a
// minute, nothing for staff to do) sends nothing, and "it is back" is sent
// only after "it is down" was.
//
// Several worker processes run the alert job: each message is claimed on the
// shop's ErpHealth row (a compare-and-set on its time column) before it is
// sent, so exactly one process sends it; when no channel took it, the claim
// is undone and the next check tries again.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logging/logger";
import { canSendAlerts, sendAlert, type AlertCheckResult, type AlertSenders } from "./alert-check.server";
import { composeErpBackAlert, composeErpDownAlert, type AlertMessage } from "./alert-message";
import { loadAlertTargets } from "./alert-settings.server";

export type ErpOutageNotice = "erp_down" | "erp_back";

export interface ErpOutageAlertResult extends Pick<AlertCheckResult, "delivered" | "failures"> {
  notice: ErpOutageNotice | null;
}

const WAITING_STATES = ["pending", "retrying", "sending"];

export async function checkErpOutageAlert(
  deps: { prisma: PrismaClient; senders: AlertSenders; logger?: Logger; now?: Date; link?: string },
  shop: string,
): Promise<ErpOutageAlertResult> {
  const { prisma } = deps;
  const now = deps.now ?? new Date();
  const none: ErpOutageAlertResult = { notice: null, delivered: [], failures: [] };
  const health = await prisma.erpHealth.findUnique({ where: { shop } });
  if (!health) return none;
  const down = health.openedAt !== null && health.outageAlertedAt === null;
  const back = health.openedAt === null && health.outageAlertedAt !== null && health.recoveryAlertedAt === null;
  if (!down && !back) return none;
  const targets = await loadAlertTargets(prisma, shop);
  if (!targets || !canSendAlerts(targets, deps.senders)) return none;

  const notice: ErpOutageNotice = down ? "erp_down" : "erp_back";
  // Claim the message on the row; the filter is the state it was read in.
  const column = down ? "outageAlertedAt" : "recoveryAlertedAt";
  const claim = down
    ? { shop, openedAt: health.openedAt, outageAlertedAt: null }
    : { shop, openedAt: null, outageAlertedAt: health.outageAlertedAt, recoveryAlertedAt: null };
  const claimed = await prisma.erpHealth.updateMany({ where: claim, data: { [column]: now } });
  if (claimed.count === 0) return none; // another process sends it, or the breaker moved on

  const waitingCount = await prisma.orderSync.count({ where: { shop, state: { in: WAITING_STATES } } });
  const message: AlertMessage = down
    ? composeErpDownAlert(shop, health.failingSince ?? health.openedAt!, waitingCount, deps.link)
    : composeErpBackAlert(shop, health.closedAt ?? now, waitingCount, deps.link);
  const result: ErpOutageAlertResult = { notice, ...(await sendAlert(deps.senders, targets, message)) };
  if (result.delivered.length === 0) {
    await prisma.erpHealth.updateMany({ where: { shop, [column]: now }, data: { [column]: null } });
  }
  deps.logger?.info({ shop, notice, delivered: result.delivered, failures: result.failures }, "ERP outage alert");
  return result;
}
