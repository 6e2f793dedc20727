// Background job in the worker process: every round (a minute by default),
// for each shop that lets its ERP own shipments, check the fulfilment scopes,
// read the ERP's new shipments when the last read is older than the read
// interval (5 minutes by default), and turn due shipments (pulled, or pushed
// as signed notices since the last round) into Shopify fulfilments
// (app/shipments/run-shop.ts).
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
  readEveryMs?: number;
  now?: () => Date;
}

export interface ShipmentsJob extends BackgroundJob {
  runAll(signal?: AbortSignal): Promise<ShopRoundResult[]>;
}

export function startShipmentsJob(options: ShipmentsJobOptions): ShipmentsJob {
  const { prisma, logger } = options;
  const runAll = async (signal?: AbortSignal) => {
    const syncing = await listSyncingShops(prisma);
    const owners = await prisma.shopSettings.findMany({ where: { shop: { in: syncing }, shipmentsOwner: "erp" }, select: { shop: true } });
    const results: ShopRoundResult[] = [];
    for (const { shop } of owners) {
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
  const loop = startPollingLoop({ name: "shipments", everyMs: options.everyMs ?? 60_000, round: async (signal) => void (await runAll(signal)), logger });
  return { name: "shipments", runAll, stop: () => loop.stop() };
}
