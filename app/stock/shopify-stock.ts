// Shopify's side of stock sync, through the cost-aware Admin client: which
// scopes the merchant granted, the locations, the available quantity of every
// item stocked at the linked locations, and the writes. Writes go out in
// calls of at most 250 quantities, each with compare-and-swap
// (changeFromQuantity = what was read) and an idempotency key derived from the
// run and the batch's content, so a batch the client resends after a lost
// answer is applied once. A stale quantity fails its whole call in Shopify:
// the fresh ones are sent again, the stale ones go back to the caller to be
// re-read and recomputed.
import { createHash } from "node:crypto";
import type { Clock } from "../lib/clock";
import { startBulkQuery, streamBulkResult, waitForBulkOperation } from "../shopify-admin/bulk-operation";
import {
  STOCK_BULK_LEVELS_QUERY,
  STOCK_VARIANTS_COUNT_QUERY,
  STOCK_GRANTED_SCOPES_QUERY,
  STOCK_ITEM_LEVELS_QUERY,
  STOCK_LOCATIONS_QUERY,
  STOCK_LOCATION_LEVELS_QUERY,
  STOCK_SET_QUANTITIES_MUTATION,
} from "../graphql/inventory";
import type { AdminClient } from "../shopify-admin/admin-client";
import { AdminApiError } from "../shopify-admin/errors";
import type {
  StockGrantedScopesQuery,
  StockItemLevelsQuery,
  StockLocationLevelsQuery,
  StockLocationsQuery,
  StockSetQuantitiesMutation,
  StockVariantsCountQuery,
} from "../types/admin.generated";
import type { ShopifyVariantStock, StockWrite } from "./plan";

/** The scopes stock sync needs (optional scopes in shopify.app.toml). */
export const STOCK_SCOPES = ["read_locations", "read_inventory", "write_inventory", "read_products"] as const;
export const MAX_QUANTITIES_PER_CALL = 250;
/** Shopify's reason for the change, shown in the item's inventory history. */
export const STOCK_REASON = "correction";

/** The scopes stock sync needs that the merchant has not granted. */
export async function missingStockScopes(client: AdminClient, signal?: AbortSignal): Promise<string[]> {
  const { data } = await client.query<StockGrantedScopesQuery>(STOCK_GRANTED_SCOPES_QUERY, {}, { signal });
  const granted = new Set(data.currentAppInstallation.accessScopes.map((s) => s.handle));
  // write_X implies read_X in Shopify's scope model.
  const has = (scope: string) => granted.has(scope) || granted.has(scope.replace(/^read_/, "write_"));
  return STOCK_SCOPES.filter((s) => !has(s));
}

export interface ShopifyLocation {
  id: string;
  name: string;
}

export async function readLocations(client: AdminClient, signal?: AbortSignal): Promise<ShopifyLocation[]> {
  const out: ShopifyLocation[] = [];
  let after: string | null = null;
  do {
    const { data }: { data: StockLocationsQuery } = await client.query<StockLocationsQuery>(STOCK_LOCATIONS_QUERY, { after }, { signal });
    out.push(...data.locations.nodes.filter((l) => l.isActive).map((l) => ({ id: l.id, name: l.name })));
    after = data.locations.pageInfo.hasNextPage ? (data.locations.pageInfo.endCursor ?? null) : null;
  } while (after);
  return out;
}

function availableOf(quantities: { name: string; quantity: number }[]): number {
  return quantities.find((q) => q.name === "available")?.quantity ?? 0;
}

/**
 * Every inventory item stocked at these locations, with its available
 * quantity at each (paged, 250 levels a query). Items are keyed by inventory
 * item: an item belongs to one variant, so it stands for the variant.
 */
export async function readLevels(client: AdminClient, locationIds: readonly string[], signal?: AbortSignal): Promise<ShopifyVariantStock[]> {
  const items = new Map<string, ShopifyVariantStock>();
  for (const locationId of locationIds) {
    let after: string | null = null;
    do {
      const answer: { data: StockLocationLevelsQuery } = await client.query<StockLocationLevelsQuery>(
        STOCK_LOCATION_LEVELS_QUERY,
        { locationId, after },
        { signal },
      );
      const levels: NonNullable<StockLocationLevelsQuery["location"]>["inventoryLevels"] | undefined = answer.data.location?.inventoryLevels;
      if (!levels) break; // the location went away since the run started: nothing to read there
      for (const level of levels.nodes) {
        const id = level.item.id;
        let item = items.get(id);
        if (!item) items.set(id, (item = { variantId: id, inventoryItemId: id, sku: level.item.sku ?? null, tracked: level.item.tracked, levels: {} }));
        item.levels[locationId] = availableOf(level.quantities);
      }
      after = levels.pageInfo.hasNextPage ? (levels.pageInfo.endCursor ?? null) : null;
    } while (after);
  }
  return [...items.values()];
}

/** From this many variants on, levels are read with a bulk operation. */
export const BULK_READ_FROM_VARIANTS = 5_000;

export interface BulkReadOptions {
  /** fetch for the result file (a pre-signed link; tests pass the fake's). */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Variants from which the bulk read is used (default BULK_READ_FROM_VARIANTS). */
  fromVariants?: number;
}

/**
 * Levels at these locations: paged for a small catalogue, a bulk operation
 * for a large one. When the bulk operation cannot start (another one of this
 * app is running in the store), the paged read is used.
 */
export async function readAllLevels(client: AdminClient, locationIds: readonly string[], options: BulkReadOptions = {}, signal?: AbortSignal): Promise<ShopifyVariantStock[]> {
  const { data } = await client.query<StockVariantsCountQuery>(STOCK_VARIANTS_COUNT_QUERY, {}, { signal });
  if ((data.productVariantsCount?.count ?? 0) < (options.fromVariants ?? BULK_READ_FROM_VARIANTS)) return readLevels(client, locationIds, signal);
  let id: string;
  try {
    id = await startBulkQuery(client, STOCK_BULK_LEVELS_QUERY.replace("#graphql", ""), signal);
  } catch (error) {
    if (error instanceof AdminApiError && error.code === "USER_ERROR") return readLevels(client, locationIds, signal);
    throw error;
  }
  try {
    return await readBulkResult(client, id, locationIds, options, signal);
  } catch (error) {
    // The shared bulk helpers speak of order exports: say what this one was.
    if (error instanceof AdminApiError && !signal?.aborted)
      throw new AdminApiError({ code: error.code, message: error.message, userMessage: "Shopify's export of the store's stock levels could not be read this time. The next stock run tries again.", cause: error });
    throw error;
  }
}

async function readBulkResult(client: AdminClient, id: string, locationIds: readonly string[], options: BulkReadOptions, signal?: AbortSignal): Promise<ShopifyVariantStock[]> {
  const state = await waitForBulkOperation(client, id, { clock: options.clock, signal });
  if (state.status !== "COMPLETED") {
    throw new AdminApiError({
      code: "SERVER_ERROR",
      message: `stock bulk read ended ${state.status} (${state.errorCode ?? "no error code"})`,
      userMessage: "Shopify could not export the store's stock levels this time. The next stock run tries again.",
    });
  }
  // The linked locations' own id strings: each result line parses a fresh copy
  // of its parent's id, and a key kept per item and location would keep them all.
  const wanted = new Map(locationIds.map((id) => [id, id]));
  const items = new Map<string, ShopifyVariantStock>();
  if (!state.url) return [];
  for await (const line of streamBulkResult(state.url, options.fetch, signal)) {
    const locationId = typeof line.__parentId === "string" ? wanted.get(line.__parentId) : undefined;
    const item = line.item as { id?: string; sku?: string | null; tracked?: boolean } | undefined;
    if (locationId === undefined || !item?.id) continue; // a location line, or an unlinked location
    let v = items.get(item.id);
    if (!v) items.set(item.id, (v = { variantId: item.id, inventoryItemId: item.id, sku: item.sku ?? null, tracked: item.tracked === true, levels: {} }));
    v.levels[locationId] = availableOf((line.quantities as { name: string; quantity: number }[]) ?? []);
  }
  return [...items.values()];
}

/** One item as Shopify has it now (after a compare-and-swap conflict); null when it is gone. */
export async function readItem(client: AdminClient, inventoryItemId: string, signal?: AbortSignal): Promise<ShopifyVariantStock | null> {
  const { data } = await client.query<StockItemLevelsQuery>(STOCK_ITEM_LEVELS_QUERY, { id: inventoryItemId }, { signal });
  const item = data.inventoryItem;
  if (!item) return null;
  const levels: Record<string, number> = {};
  for (const level of item.inventoryLevels.nodes) levels[level.location.id] = availableOf(level.quantities);
  return { variantId: item.id, inventoryItemId: item.id, sku: item.sku ?? null, tracked: item.tracked, levels };
}

export interface WriteOutcome {
  written: StockWrite[];
  /** Shopify held another quantity than the one read: re-read and recompute these. */
  stale: StockWrite[];
  /** Refused for another reason (item or location gone, a limit): plain words per write. */
  refused: { write: StockWrite; message: string }[];
  calls: number;
}

/** The run's reference in Shopify's inventory history: names the app and the run. */
export function referenceDocumentUri(runId: string): string {
  return `gid://erp-order-sync/StockRun/${runId}`;
}

function idempotencyKey(runId: string, round: string, batch: readonly StockWrite[]): string {
  const hash = createHash("sha256");
  hash.update(`${runId}\n${round}\n`);
  for (const w of batch) hash.update(`${w.inventoryItemId}|${w.locationId}|${w.changeFromQuantity}|${w.quantity}\n`);
  return `stock-${runId}-${hash.digest("hex").slice(0, 32)}`;
}

function refusalMessage(code: string | null | undefined, message: string): string {
  switch (code) {
    case "INVALID_INVENTORY_ITEM":
      return "Shopify no longer has this item (deleted since the run read it). Nothing to do: the next run leaves it out.";
    case "INVALID_LOCATION":
      return "The item is not stocked at this location in Shopify any more. Stock it there in Shopify, or unlink the location under Settings.";
    case "NON_MUTABLE_INVENTORY_ITEM":
      return "Shopify does not let apps change this item's stock (for example a bundle). Remove its SKU from the ERP's stock, or leave it.";
    default:
      return `Shopify refused the change: ${message}`;
  }
}

/**
 * Send the writes in calls of at most 250. Each call either applies all its
 * quantities or none (Shopify's mutation is all-or-nothing); when some are
 * stale or refused, the rest are sent again in a new call.
 */
export async function writeQuantities(
  client: AdminClient,
  runId: string,
  writes: readonly StockWrite[],
  options: { signal?: AbortSignal; onBatch?: (written: StockWrite[]) => Promise<void>; /** The caller's re-plan round: part of each key. */ pass?: number } = {},
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: [], stale: [], refused: [], calls: 0 };
  for (let start = 0; start < writes.length; start += MAX_QUANTITIES_PER_CALL) {
    let batch = writes.slice(start, start + MAX_QUANTITIES_PER_CALL);
    for (let round = 0; batch.length > 0; round++) {
      outcome.calls++;
      const { data } = await client.query<StockSetQuantitiesMutation>(
        STOCK_SET_QUANTITIES_MUTATION,
        {
          idempotencyKey: idempotencyKey(runId, `${options.pass ?? 0}.${round}`, batch),
          input: {
            name: "available",
            reason: STOCK_REASON,
            referenceDocumentUri: referenceDocumentUri(runId),
            quantities: batch.map((w) => ({
              inventoryItemId: w.inventoryItemId,
              locationId: w.locationId,
              quantity: w.quantity,
              changeFromQuantity: w.changeFromQuantity,
            })),
          },
        },
        { signal: options.signal },
      );
      const errors = data.inventorySetQuantities?.userErrors ?? [];
      if (errors.some((e) => e.code === "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED")) {
        // This call was sent before, its answer was lost, and Shopify refused
        // it then (nothing applied; which quantity was stale is not said):
        // the caller re-reads and recomputes the whole batch.
        outcome.stale.push(...batch);
        break;
      }
      if (errors.length === 0) {
        outcome.written.push(...batch);
        await options.onBatch?.(batch);
        break;
      }
      const byIndex = new Map<number, { code: string | null | undefined; message: string }>();
      const general: string[] = [];
      for (const e of errors) {
        const index = e.field && e.field[0] === "input" && e.field[1] === "quantities" ? Number(e.field[2]) : NaN;
        if (Number.isInteger(index) && index >= 0 && index < batch.length) byIndex.set(index, { code: e.code, message: e.message });
        else general.push(`${e.code ?? ""} ${e.message}`.trim());
      }
      if (general.length > 0 || byIndex.size === 0) {
        throw new AdminApiError({
          code: "USER_ERROR",
          message: `inventorySetQuantities refused the call: ${general.join("; ") || errors.map((e) => e.message).join("; ")}`,
          userMessage:
            "Shopify refused the app's stock update as a whole. This needs a developer: please contact the app's support with the time it happened.",
        });
      }
      const rest: StockWrite[] = [];
      batch.forEach((w, i) => {
        const error = byIndex.get(i);
        if (!error) rest.push(w);
        else if (error.code === "CHANGE_FROM_QUANTITY_STALE") outcome.stale.push(w);
        else outcome.refused.push({ write: w, message: refusalMessage(error.code, error.message) });
      });
      batch = rest;
    }
  }
  return outcome;
}
