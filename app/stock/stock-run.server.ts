// Carries out one claimed stock run: reads the ERP (everything for a full
// comparison; changes since the last run, or the pushed notices, otherwise),
// compares and writes through syncStock, keeps the run record's progress and
// heartbeat current, and ends it with figures or a plain-words reason.
import type { PrismaClient, StockRun } from "@prisma/client";
import { ErpError, type ErpStockRead } from "../connectors/port";
import type { Clock } from "../lib/clock";
import type { Logger } from "../logging/logger";
import type { AdminClient } from "../shopify-admin/admin-client";
import { AdminApiError } from "../shopify-admin/errors";
import type { ShopSyncConfig } from "../sync/shop-config";
import {
  finishStockRun,
  heartbeat,
  lastFinishedStockRun,
  loadStockSettings,
  loadUnsyncedSold,
  markNoticesProcessed,
  pendingNoticeRecords,
  recordStockChanges,
} from "./stock-store.server";
import { STOCK_SYNC_DIRECTION, syncStock } from "./sync-stock";

export interface StockRunDeps {
  prisma: PrismaClient;
  admin: AdminClient;
  /** The shop's connector and SKU fallback rule (null: no ERP connected). */
  shopConfig: ShopSyncConfig | null;
  workerId: string;
  clock: Clock;
  logger: Logger;
}

export const NO_STOCK_CONNECTOR_MESSAGE =
  "The connected ERP cannot report stock through this app yet, so stock levels were not changed. Set stock levels to be owned by Shopify under Settings → Who owns what, or connect an ERP that reports stock.";

export async function performStockRun(deps: StockRunDeps, run: StockRun, signal?: AbortSignal): Promise<void> {
  const { prisma, workerId, clock } = deps;
  const now = () => new Date(clock.now());
  const finish = (outcome: Parameters<typeof finishStockRun>[4]) => finishStockRun(prisma, run.id, workerId, now(), outcome);
  const settings = await loadStockSettings(prisma, run.shop);
  if (settings.owner !== "erp") return finish({ status: "blocked", message: "Stock levels are owned by Shopify for this store, so the app changed nothing." });
  const connector = deps.shopConfig?.connector;
  if (!connector?.readStock || !connector.listLocations) return finish({ status: "blocked", message: NO_STOCK_CONNECTOR_MESSAGE });
  if (settings.links.length === 0)
    return finish({ status: "blocked", message: "No Shopify location is linked to an ERP location yet, so the app changed nothing. Link them under Settings → Who owns what." });

  try {
    const erpLocations = await connector.listLocations({ signal });
    let read: ErpStockRead;
    let noticeIds: string[] = [];
    // When the ERP's figures were taken: orders it received after this still count as unsynced.
    let erpReadAt = now();
    if (run.full) {
      read = await connector.readStock({ signal });
    } else if (run.trigger === "notice") {
      const pending = await pendingNoticeRecords(prisma, run.shop);
      noticeIds = pending.ids;
      read = { records: pending.records, complete: false };
      if (pending.oldestIssuedAt && pending.oldestIssuedAt < erpReadAt) erpReadAt = pending.oldestIssuedAt;
    } else {
      const last = await lastFinishedStockRun(prisma, run.shop);
      read = await connector.readStock({ since: last?.startedAt ?? undefined, signal });
    }
    if (run.full) noticeIds = (await pendingNoticeRecords(prisma, run.shop)).ids; // a full read covers them
    await heartbeat(prisma, run.id, workerId, now());
    const mappings = await prisma.skuMapping.findMany({ where: { shop: run.shop }, select: { sku: true, itemNumber: true } });
    let written = 0;
    const figures = read.records.map((r) => ({ itemNumber: r.itemNumber, erpLocationId: r.locationId, quantity: r.quantity }));
    const complete = read.complete;
    read.records = []; // the run works on the copy above: the connector's records need not stay for the whole run
    const result = await syncStock({
      client: deps.admin,
      runId: run.id,
      erpLocationIds: erpLocations.map((l) => l.id),
      figures,
      complete,
      links: settings.links,
      skuMappings: mappings,
      skuFallback: deps.shopConfig?.description?.skuFallbackAllowed ?? false,
      unsyncedSold: (skus) => loadUnsyncedSold(prisma, run.shop, skus, erpReadAt),
      signal,
      bulk: { clock },
      onWritten: async (writes) => {
        written += writes.length;
        // One line per applied inventorySetQuantities call: counts and the run, no SKUs or customer data.
        deps.logger.info(
          {
            shop: run.shop,
            runId: run.id,
            direction: STOCK_SYNC_DIRECTION,
            operation: "inventorySetQuantities",
            quantities: writes.length,
            changed: writes.filter((w) => w.quantity !== w.changeFromQuantity).length,
          },
          "stock written to Shopify",
        );
        await recordStockChanges(prisma, run.shop, run.id, writes, now());
        await heartbeat(prisma, run.id, workerId, now(), { written });
      },
    });
    if (result.status === "missing-scopes") {
      deps.logger.info({ shop: run.shop, runId: run.id, direction: STOCK_SYNC_DIRECTION, missingScopes: result.missingScopes }, "stock run blocked: scopes missing");
      return finish({ status: "blocked", message: result.message });
    }
    deps.logger.info(
      {
        shop: run.shop,
        runId: run.id,
        direction: STOCK_SYNC_DIRECTION,
        itemsRead: result.itemsRead,
        differences: result.differences,
        written: result.written.length,
        conflicts: result.conflicts.length,
        refused: result.refused.length,
        problems: result.problems.length,
        mutationCalls: result.mutationCalls,
      },
      "stock run finished",
    );
    await markNoticesProcessed(prisma, run.shop, noticeIds, now());
    const refusedProblems = result.refused.map((r) => ({ kind: "refused" as const, sku: r.write.sku, variantIds: [r.write.variantId], locationId: r.write.locationId, message: r.message }));
    await finish({
      status: "completed",
      itemsRead: result.itemsRead,
      compared: result.compared,
      differences: result.differences,
      written: result.written.length,
      conflicts: result.conflicts.length,
      problems: [...result.problems, ...refusedProblems],
      mutationCalls: result.mutationCalls,
      message:
        result.conflicts.length > 0
          ? `${result.conflicts.length} quantities kept changing in Shopify while the app wrote them; the next run compares them again.`
          : null,
    });
  } catch (error) {
    if (signal?.aborted) throw error; // shutting down: the run stays open and is taken over later
    const message =
      error instanceof ErpError || error instanceof AdminApiError
        ? error.userMessage
        : "The stock run stopped on an unexpected error. It runs again at the next interval; if it keeps failing, contact the app's support.";
    deps.logger.warn({ shop: run.shop, runId: run.id, direction: STOCK_SYNC_DIRECTION, err: error }, "stock run failed");
    await finish({ status: "failed", message });
  }
}
