// The Stock page's data: the current and last runs with their figures, the
// problem items of the last finished run, and the search by SKU (ERP
// quantity, what Shopify was set to, and when, per location). Plus "Sync
// stock now", which opens a full run the worker picks up within seconds.
import type { PrismaClient, StockRun } from "@prisma/client";
import type { StockProblem } from "../stock/plan";
import { lastStockRuns, loadStockSettings, requestStockRun, searchStockChanges } from "../stock/stock-store.server";
import { STOCK_SYNC_DIRECTION_LABEL } from "../stock/sync-stock";

export interface StockRunView {
  id: string;
  trigger: string;
  status: string;
  full: boolean;
  itemsRead: number;
  compared: number;
  differences: number;
  written: number;
  conflicts: number;
  problemCount: number;
  mutationCalls: number;
  message: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const view = (r: StockRun): StockRunView => ({
  id: r.id,
  trigger: r.trigger,
  status: r.status,
  full: r.full,
  itemsRead: r.itemsRead,
  compared: r.compared,
  differences: r.differences,
  written: r.written,
  conflicts: r.conflicts,
  problemCount: r.problemCount,
  mutationCalls: r.mutationCalls,
  message: r.message,
  createdAt: r.createdAt.toISOString(),
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

export async function loadStockPage(prisma: PrismaClient, shop: string, search: URLSearchParams) {
  const settings = await loadStockSettings(prisma, shop);
  const runs = await lastStockRuns(prisma, shop, 10);
  const current = runs.find((r) => r.status === "queued" || r.status === "running") ?? null;
  const last = runs.find((r) => r.status !== "queued" && r.status !== "running") ?? null;
  const lastWithProblems = runs.find((r) => r.status === "completed") ?? null;
  const problems = lastWithProblems ? (JSON.parse(lastWithProblems.problems) as StockProblem[]) : [];
  const sku = (search.get("sku") ?? "").trim().slice(0, 255);
  const locationName = new Map(settings.links.map((l) => [l.shopifyLocationId, l.shopifyLocationName]));
  const matches = sku
    ? (await searchStockChanges(prisma, shop, sku)).map((c) => ({
        sku: c.sku,
        /** Every change the app makes to stock goes from the ERP into Shopify. */
        direction: STOCK_SYNC_DIRECTION_LABEL,
        location: locationName.get(c.locationId) ?? c.locationId,
        erpQuantity: c.erpQuantity,
        unsyncedSold: c.unsyncedSold,
        fromQuantity: c.fromQuantity,
        toQuantity: c.toQuantity,
        changedAt: c.changedAt.toISOString(),
      }))
    : [];
  return {
    owner: settings.owner,
    linkedLocations: settings.links.length,
    current: current ? view(current) : null,
    last: last ? view(last) : null,
    history: runs.map(view),
    problems: problems.slice(0, 200),
    problemTotal: lastWithProblems?.problemCount ?? 0,
    sku,
    matches,
  };
}

export async function syncStockNow(prisma: PrismaClient, shop: string): Promise<{ ok: boolean; message: string }> {
  const settings = await loadStockSettings(prisma, shop);
  if (settings.owner !== "erp")
    return { ok: false, message: "Stock levels are owned by Shopify, so there is nothing to sync. Let the ERP own them under Settings → Who owns what." };
  const { created } = await requestStockRun(prisma, shop, "manual", true);
  return { ok: true, message: created ? "Stock sync started: a full comparison runs within a minute." : "A stock run is already waiting or running: it will include this request." };
}
