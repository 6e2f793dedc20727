// Background job in the worker process: every round (a minute by default),
// for each shop that lets its ERP own shipments, check the fulfilment scopes,
// read the ERP's new shipments when the last read is older than the read
// interval (5 minutes by default), and turn due shipments (pulled, or pushed
// as signed notices since the last round) into Shopify fulfilments
// (app/shipments/run-shop.ts). Between rounds it looks every few seconds for
// shipments that became due (a notice the web process stored, a Retry staff
// pressed) and runs those shops' rounds at once: a pushed shipment reaches
// Shopify within seconds, not at the next minute. The look is one indexed
// query; the web and worker processes share nothing else.
import type { PrismaClient } from "@prisma/client";
import { startPollingLoop, type BackgroundJob } from "../lib/background-job";
import type { Logger } from "../logging/logger";
import type { ShopifyAdminApi } from "../shopify-admin/admin-client";
import { runShipmentsForShop, type ShopRoundResult } from "../shipments/run-shop";
import { adminFulfillmentPort } from "../shipments/shopify-fulfillments";
import type { ShopConfigProvider } from "../sync/shop-config";
import { listSyncingShops } from "./syncing-shops";

export interface ShipmentsJobOptions {
  prisma: PrismaClient;
  adminApi: ShopifyAdminApi;
  logger: Logger;
  configProvider: ShopConfigProvider;
  everyMs?: number;
  /** How often to look for shipments that became due between rounds (default 5 s). */
  wakeEveryMs?: number;
  readEveryMs?: number;
  now?: () => Date;
}

export interface ShipmentsJob extends BackgroundJob {
  runAll(signal?: AbortSignal): Promise<ShopRoundResult[]>;
  /** One tick: rounds for the shops whose round is due (a minute since the last) or that have due shipments. */
  tick(signal?: AbortSignal): Promise<ShopRoundResult[]>;
}

export function startShipmentsJob(options: ShipmentsJobOptions): ShipmentsJob {
  const { prisma, logger } = options;
  const everyMs = options.everyMs ?? 60_000;
  const now = () => options.now?.() ?? new Date();
  const ownerShops = async () => {
    const syncing = await listSyncingShops(prisma);
    return (await prisma.shopSettings.findMany({ where: { shop: { in: syncing }, shipmentsOwner: "erp" }, select: { shop: true } })).map((r) => r.shop);
  };
  const runShops = async (shops: string[], signal?: AbortSignal) => {
    const results: ShopRoundResult[] = [];
    for (const shop of shops) {
      if (signal?.aborted) break;
      try {
        const config = await options.configProvider.forShop(shop);
        const result = await runShipmentsForShop({
          prisma,
          shop,
          connector: config?.connector ?? null,
          externalIdPrefix: config?.externalIdPrefix,
          port: adminFulfillmentPort(options.adminApi.forShop(shop), signal),
          now: options.now,
          readEveryMs: options.readEveryMs,
          signal,
        });
        if (result.problem) logger.warn({ shop, skipped: result.skipped }, "shipments round needs attention");
        results.push(result);
      } catch (error) {
        logger.error({ shop, err: error }, "shipments round failed");
      }
    }
    return results;
  };
  const runAll = async (signal?: AbortSignal) => runShops(await ownerShops(), signal);
  const tick = async (signal?: AbortSignal) => {
    const shops = await ownerShops();
    if (shops.length === 0) return [];
    const at = now();
    const cursors = await prisma.shipmentCursor.findMany({ where: { shop: { in: shops } }, select: { shop: true, lastRunAt: true } });
    const lastRun = new Map(cursors.map((c) => [c.shop, c.lastRunAt?.getTime() ?? 0]));
    // Due shipments stored or changed since the shop's last round: a due
    // shipment the last round already saw (it waits for permissions, say)
    // waits for the next full round instead of a round every few seconds.
    const withDue = await prisma.shipmentSync.groupBy({
      by: ["shop"],
      where: { shop: { in: shops }, state: { in: ["pending", "retrying"] }, nextAttemptAt: { lte: at } },
      _max: { updatedAt: true },
    });
    const due = new Set(withDue.filter((r) => (r._max.updatedAt?.getTime() ?? 0) > (lastRun.get(r.shop) ?? 0)).map((r) => r.shop));
    return runShops(
      shops.filter((shop) => due.has(shop) || at.getTime() - (lastRun.get(shop) ?? 0) >= everyMs),
      signal,
    );
  };
  const loop = startPollingLoop({ name: "shipments", everyMs: options.wakeEveryMs ?? Math.min(5000, everyMs), round: async (signal) => void (await tick(signal)), logger });
  return { name: "shipments", runAll, tick, stop: () => loop.stop() };
}
