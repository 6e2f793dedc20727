// Stock sync in the worker process: every few seconds it looks at the shops
// whose stock the ERP owns and opens a run when one is due (the shop's
// interval since its last run; the first run of each UTC day is a full
// comparison), when the ERP pushed notices, or when staff clicked "Sync stock
// now" (the web process opened the run). Runs are taken through the database
// (one open run per shop, claimed with compare-and-set), so several worker
// processes never run one shop twice, and a run a killed worker left behind
// is taken over once its heartbeat is old.
import type { PrismaClient } from "@prisma/client";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";
import { systemClock, type Clock } from "../lib/clock";
import type { Logger } from "../logging/logger";
import { createShopConfigProvider } from "../settings/shop-config-provider.server";
import type { AdminClient } from "../shopify-admin/admin-client";
import type { ShopConfigProvider } from "../sync/shop-config";
import { performStockRun } from "../stock/stock-run.server";
import { claimStockRun, requestStockRun, shopsOwningStockInErp, shopsWithPendingNotices } from "../stock/stock-store.server";
import { STOCK_SYNC_DIRECTION } from "../stock/sync-stock";
import { listSyncingShops } from "./syncing-shops";

export interface StockJobOptions {
  prisma: PrismaClient;
  adminApi: { forShop(shop: string): AdminClient };
  logger: Logger;
  workerId: string;
  clock?: Clock;
  configProvider?: ShopConfigProvider;
  listShops?: () => Promise<string[]>;
  tickMs?: number;
  /** A running run without a heartbeat for this long is taken over. */
  staleAfterMs?: number;
}

export interface StockJob extends BackgroundJob {
  /** One look at every shop (the loop calls it; tests too). */
  round(signal?: AbortSignal): Promise<void>;
}

export const STOCK_RUN_STALE_AFTER_MS = 5 * 60_000;
/** Pushed notices are applied at most this often (a burst of notices becomes one run). */
export const NOTICE_RUN_GAP_MS = 10_000;

export function startStockJob(options: StockJobOptions, { loop = true } = {}): StockJob {
  const { prisma, logger } = options;
  const clock = options.clock ?? systemClock;
  const configProvider = options.configProvider ?? createShopConfigProvider(prisma);
  const listShops = options.listShops ?? (() => listSyncingShops(prisma));

  const round = async (signal?: AbortSignal) => {
    const shops = await shopsOwningStockInErp(prisma, await listShops());
    if (shops.length === 0) return;
    const withNotices = new Set(await shopsWithPendingNotices(prisma));
    const now = new Date(clock.now());
    const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    for (const { shop, intervalMinutes } of shops) {
      if (signal?.aborted) return;
      const last = await prisma.stockRun.findFirst({ where: { shop }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
      const fullToday = await prisma.stockRun.findFirst({ where: { shop, full: true, status: "completed", startedAt: { gte: startOfDay } }, select: { id: true } });
      const since = last ? now.getTime() - last.createdAt.getTime() : Infinity;
      if (since >= intervalMinutes * 60_000) await requestStockRun(prisma, shop, fullToday ? "schedule" : "nightly", !fullToday, now);
      else if (withNotices.has(shop) && since >= NOTICE_RUN_GAP_MS) await requestStockRun(prisma, shop, "notice", false, now);
      const run = await claimStockRun(prisma, shop, options.workerId, now, options.staleAfterMs ?? STOCK_RUN_STALE_AFTER_MS);
      if (!run) continue;
      logger.info({ shop, runId: run.id, direction: STOCK_SYNC_DIRECTION, trigger: run.trigger, full: run.full }, "stock run started");
      await performStockRun(
        { prisma, admin: options.adminApi.forShop(shop), shopConfig: await configProvider.forShop(shop), workerId: options.workerId, clock, logger },
        run,
        signal,
      );
    }
  };

  if (!loop) return { name: "stock", round, stop: async () => {} };
  const polling = startPollingLoop({ name: "stock", everyMs: options.tickMs ?? 5000, round, logger });
  return { name: "stock", round, stop: () => polling.stop() };
}
