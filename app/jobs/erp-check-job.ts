// Optional ERP-side check in the worker process (off unless
// ERP_CHECK_INTERVAL_MINUTES is set, because it costs one ERP look-up per
// order): every interval, orders synced since the last check are looked up
// in the ERP; a missing document or a different total becomes a "needs
// attention" item with a message (app/sync/ledger/erp-differences.ts).
//
// How far each shop was checked is kept in memory (no column for it yet), so
// after a restart the first check covers the last `initialLookbackMs` again:
// harmless (differences already recorded are no longer "synced") but it
// repeats ERP look-ups, at most `perCheckLimit` per shop.
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logging/logger";
import { checkErpTotals } from "../reconciliation/erp-check";
import { prismaLedgerReader } from "../reconciliation/ledger";
import type { ShopConfigProvider } from "../sync/shop-config";
import { recordErpDifference } from "../sync/ledger/erp-differences";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";
import { listSyncingShops } from "./syncing-shops";

export interface ErpCheckJobOptions {
  prisma: PrismaClient;
  logger: Logger;
  configProvider: ShopConfigProvider;
  everyMs: number;
  /** Orders synced in the last this-much are not checked yet (ERP may still be indexing). */
  settleMs?: number;
  initialLookbackMs?: number;
  perCheckLimit?: number;
  now?: () => number;
}

export interface ErpCheckJob extends BackgroundJob {
  checkAll(signal?: AbortSignal): Promise<{ shop: string; checkedUntil: Date; differences: number }[]>;
}

export function startErpCheckJob(options: ErpCheckJobOptions): ErpCheckJob {
  const { prisma, logger } = options;
  const now = options.now ?? Date.now;
  const ledger = prismaLedgerReader(prisma);
  const checkedUntil = new Map<string, number>();

  const checkAll = async (signal?: AbortSignal) => {
    const report: { shop: string; checkedUntil: Date; differences: number }[] = [];
    for (const shop of await listSyncingShops(prisma)) {
      if (signal?.aborted) break;
      const config = await options.configProvider.forShop(shop).catch(() => null);
      if (!config?.connector) continue;
      const to = now() - (options.settleMs ?? 5 * 60_000);
      const from = checkedUntil.get(shop) ?? to - (options.initialLookbackMs ?? 24 * 3600_000);
      if (to <= from) continue;
      const limit = options.perCheckLimit ?? 200;
      const differences = await checkErpTotals(ledger, config.connector, { shop, from: new Date(from), to: new Date(to), limit, signal });
      let recorded = 0;
      for (const d of differences) {
        if (await recordErpDifference(prisma, { shop, orderId: d.orderId, kind: d.kind, erpTotal: d.erpTotal, message: d.message })) recorded++;
      }
      // With more than `limit` orders, continue after the last one checked next time.
      const checked = await ledger.syncedBetween(shop, new Date(from), new Date(to), limit);
      const until = checked.length === limit && checked[limit - 1].syncedAt ? checked[limit - 1].syncedAt!.getTime() : to;
      checkedUntil.set(shop, until);
      if (recorded) logger.warn({ shop, differences: recorded }, "ERP check found orders that differ from Shopify");
      report.push({ shop, checkedUntil: new Date(until), differences: recorded });
    }
    return report;
  };

  const loop = startPollingLoop({ name: "erp-check", everyMs: options.everyMs, round: async (signal) => void (await checkAll(signal)), logger });
  return {
    name: "erp-check",
    checkAll,
    async stop() {
      await loop.stop();
      // A caching provider listens for settings changes: let it go.
      (options.configProvider as Partial<{ dispose(): void }>).dispose?.();
    },
  };
}
