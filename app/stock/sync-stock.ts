// One stock comparison for one shop, without the database: check the scopes,
// read Shopify's levels at the linked locations, plan (app/stock/plan.ts),
// write the differences, and for each compare-and-swap conflict re-read that
// item and its unsynced orders, recompute and write again (a few rounds; an
// item still moving after that is a conflict left to the next run). The run
// record, the ERP read and the schedule live in app/jobs/stock-job.ts.
import type { AdminClient } from "../shopify-admin/admin-client";
import { planStock, type ErpStockFigure, type LocationLink, type ShopifyVariantStock, type StockProblem, type StockWrite, type UnsyncedSold } from "./plan";
import { missingStockScopes, readAllLevels, readItem, writeQuantities, type BulkReadOptions } from "./shopify-stock";

export const STALE_ROUNDS = 3;

/**
 * The direction of stock changes, as the sync log names directions: the
 * order sync log (SyncAttempt.direction) is "shopify_to_erp"; stock goes the
 * other way. Carried by the worker's log lines about stock writes and shown
 * on the Stock page (docs/stock.md, "Sync log").
 */
export const STOCK_SYNC_DIRECTION = "erp→shopify";
/** The same direction in staff's words. */
export const STOCK_SYNC_DIRECTION_LABEL = "ERP → Shopify";

export interface StockSyncInput {
  client: AdminClient;
  runId: string;
  erpLocationIds: readonly string[];
  figures: readonly ErpStockFigure[];
  /** The figures cover the ERP's whole catalogue (a full comparison). */
  complete: boolean;
  links: readonly LocationLink[];
  skuMappings: readonly { sku: string; itemNumber: string }[];
  skuFallback: boolean;
  /** Read when planning and again for each conflict: orders keep arriving during a run. */
  unsyncedSold: (skus?: readonly string[]) => Promise<UnsyncedSold[]>;
  signal?: AbortSignal;
  /** How a large catalogue is read (bulk operation). */
  bulk?: BulkReadOptions;
  /** After each applied batch (progress, the run record). */
  onWritten?: (writes: StockWrite[]) => Promise<void>;
}

export type StockSyncResult =
  | { status: "missing-scopes"; missingScopes: string[]; message: string }
  | {
      status: "done";
      /** Shopify inventory items read. */
      itemsRead: number;
      compared: number;
      differences: number;
      written: StockWrite[];
      /** Items still changing in Shopify after the re-read rounds. */
      conflicts: StockWrite[];
      refused: { write: StockWrite; message: string }[];
      problems: StockProblem[];
      mutationCalls: number;
    };

export function missingScopesMessage(missing: readonly string[]): string {
  return `The app may not change stock in this store yet: Shopify has not granted ${missing.join(", ")}. Turn "Stock levels owned by the ERP" on again under Settings → Who owns what and approve the request; orders keep syncing meanwhile.`;
}

export async function syncStock(input: StockSyncInput): Promise<StockSyncResult> {
  const { client, signal } = input;
  const missing = await missingStockScopes(client, signal);
  if (missing.length > 0) return { status: "missing-scopes", missingScopes: missing, message: missingScopesMessage(missing) };

  const linked = input.links.map((l) => l.shopifyLocationId);
  // The ledger is read before and after Shopify's levels: a SKU sold in
  // between may have been read before its sale, so its writes are checked.
  const soldBefore = await input.unsyncedSold();
  let variants: ShopifyVariantStock[] | undefined = await readAllLevels(client, linked, input.bulk, signal);
  const soldAfter = await input.unsyncedSold();
  const itemsRead = variants.length;
  const plan = planStock({
    erpLocationIds: input.erpLocationIds,
    locations: input.links,
    figures: input.figures,
    skuMappings: input.skuMappings,
    skuFallback: input.skuFallback,
    variants,
    unsyncedSold: soldAfter,
    complete: input.complete,
    verify: soldBetween(soldBefore, soldAfter),
  });
  // The plan holds what is needed from here on: Shopify's levels of the whole catalogue go before the writes.
  variants = undefined;

  const written: StockWrite[] = [];
  const refused: { write: StockWrite; message: string }[] = [];
  let calls = 0;
  let pending = plan.writes;
  let conflicts: StockWrite[] = [];
  for (let round = 0; pending.length > 0; round++) {
    const outcome = await writeQuantities(client, input.runId, pending, { signal, onBatch: input.onWritten, pass: round });
    calls += outcome.calls;
    written.push(...outcome.written);
    refused.push(...outcome.refused);
    if (outcome.stale.length === 0) break;
    if (round + 1 >= STALE_ROUNDS) {
      conflicts = outcome.stale;
      break;
    }
    pending = await recompute(input, outcome.stale);
  }
  return {
    status: "done",
    itemsRead,
    compared: plan.compared,
    differences: plan.writes.length,
    written,
    conflicts,
    refused,
    problems: plan.problems,
    mutationCalls: calls,
  };
}

/** Re-read each stale item and the orders of its SKU, and plan that item again. */
async function recompute(input: StockSyncInput, stale: readonly StockWrite[]): Promise<StockWrite[]> {
  const itemIds = [...new Set(stale.map((w) => w.inventoryItemId))];
  const skus = [...new Set(stale.map((w) => w.sku))];
  const soldBefore = await input.unsyncedSold(skus);
  const fresh = [];
  for (const id of itemIds) {
    const item = await readItem(input.client, id, input.signal);
    if (item) fresh.push(item);
  }
  const soldAfter = await input.unsyncedSold(skus);
  const locations = new Set(stale.map((w) => `${w.inventoryItemId}|${w.locationId}`));
  const replanned = planStock({
    erpLocationIds: input.erpLocationIds,
    locations: input.links,
    figures: input.figures,
    skuMappings: input.skuMappings,
    skuFallback: input.skuFallback,
    variants: fresh,
    unsyncedSold: soldAfter,
    complete: false,
    verify: soldBetween(soldBefore, soldAfter),
  });
  // Only the pairs that conflicted: the item's other locations were written already.
  return replanned.writes.filter((w) => locations.has(`${w.inventoryItemId}|${w.locationId}`));
}

/** SKUs whose unsynced units differ between two ledger reads (sold, or received by the ERP, in between). */
function soldBetween(before: readonly UnsyncedSold[], after: readonly UnsyncedSold[]): Set<string> {
  const totals = new Map<string, number>();
  const add = (list: readonly UnsyncedSold[], sign: number) => {
    for (const s of list) totals.set(`${s.locationId ?? ""}\u0000${s.sku}`, (totals.get(`${s.locationId ?? ""}\u0000${s.sku}`) ?? 0) + sign * s.quantity);
  };
  add(before, -1);
  add(after, 1);
  const moving = new Set<string>();
  for (const [key, delta] of totals) if (delta !== 0) moving.add(key.slice(key.indexOf("\u0000") + 1));
  return moving;
}
