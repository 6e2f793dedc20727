// Alerts in the worker process: once a minute, every syncing shop that has
// alert settings is checked (app/alerts/alert-check.server.ts), and told when
// its ERP stops or starts answering again (erp-outage-alert.server.ts) and
// when delivery health crosses its limits or is back within them
// (health-alert.server.ts). Orders waiting on an item the ERP lacked are
// probed here too (app/health/self-heal.server.ts). Sending is
// rate-limited per shop by lastAlertAt in the database, so a restart does not
// repeat a message.
import type { PrismaClient } from "@prisma/client";
import { checkShopAlerts, type AlertSenders } from "../alerts/alert-check.server";
import { createEmailSender, createWebhookSender } from "../alerts/alert-senders.server";
import { checkErpOutageAlert } from "../alerts/erp-outage-alert.server";
import { checkHealthAlert } from "../alerts/health-alert.server";
import { probeWaitingItems } from "../health/self-heal.server";
import type { Logger } from "../logging/logger";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";
import { listSyncingShops } from "./syncing-shops";

export interface AlertJobOptions {
  prisma: PrismaClient;
  logger: Logger;
  senders?: AlertSenders;
  everyMs?: number;
  now?: () => Date;
}

export interface AlertJob extends BackgroundJob {
  checkAll(): Promise<void>;
}

export function startAlertJob(options: AlertJobOptions): AlertJob {
  const { prisma, logger } = options;
  const senders = options.senders ?? { webhook: createWebhookSender(), email: createEmailSender() };
  const checkAll = async () => {
    const syncingShops = await listSyncingShops(prisma);
    // Every syncing shop, alerts or not: an item created in the ERP is found by retrying one waiting order.
    for (const shop of syncingShops) {
      await probeWaitingItems(prisma, shop, options.now?.()).catch((error) =>
        logger.error({ shop, err: error }, "probing orders waiting on an ERP item failed"),
      );
    }
    const configured = await prisma.alertSettings.findMany({ select: { shop: true } });
    if (configured.length === 0) return;
    const syncing = new Set(syncingShops);
    for (const { shop } of configured) {
      if (!syncing.has(shop)) continue;
      const deps = { prisma, senders, logger, now: options.now?.() };
      await checkErpOutageAlert(deps, shop).catch((error) =>
        logger.error({ shop, err: error }, "ERP outage alert failed"),
      );
      await checkShopAlerts(deps, shop).catch((error) =>
        logger.error({ shop, err: error }, "alert check failed"),
      );
      await checkHealthAlert(deps, shop).catch((error) =>
        logger.error({ shop, err: error }, "delivery health alert failed"),
      );
    }
  };
  const loop = startPollingLoop({ name: "alerts", everyMs: options.everyMs ?? 60_000, round: checkAll, logger });
  return { name: "alerts", checkAll, stop: () => loop.stop() };
}
