// The ERP item search behind the SKU fix ("Map OLD-TEE-M to an ERP item" on
// the order page, Settings → SKU mapping): the shop's own connector is asked
// for items whose number or name contains what staff typed
// (ErpConnector.searchItems). Its requests go through the ERP user's request
// budget like every other call of the connector (support/request-budget.ts),
// one try, and a failure comes back as words next to the field, which stays
// usable for typing the number by hand.
import type { PrismaClient } from "@prisma/client";
import { ErpError, type ErpItem } from "../connectors/port";
import { createShopConfigProvider, ShopConfigError, type CachingShopConfigProvider } from "../settings/shop-config-provider.server";
import type { ShopConfigProvider } from "../sync/shop-config";

/** Fewer characters than this match too much to be worth asking the ERP. */
export const ITEM_SEARCH_MIN_LENGTH = 2;
const ITEM_SEARCH_MAX_LENGTH = 100;
const ITEM_SEARCH_TIMEOUT_MS = 10_000;

export interface ErpItemSearchAnswer {
  /** The query as searched (trimmed): the field shows answers to what it holds. */
  query: string;
  items: ErpItem[];
  /** "Could not search your ERP: …", or null. */
  error: string | null;
}

export interface ErpItemSearchDeps {
  configProvider?: ShopConfigProvider;
  /** Aborted when the browser gives up on the request (staff typed on). */
  signal?: AbortSignal;
}

// One provider for the web process, reading the settings on every search
// (ttl 0) but keeping each shop's connector while they are unchanged, so
// typing does not sign in to the ERP again for every search.
let shared: CachingShopConfigProvider | null = null;
const providerFor = (prisma: PrismaClient, deps: ErpItemSearchDeps): ShopConfigProvider => deps.configProvider ?? (shared ??= createShopConfigProvider(prisma, { ttlMs: 0 }));

/** Whether the shop's connector can list items (the field offers a search); false when no ERP is set up or its settings are unusable. */
export async function canSearchErpItems(prisma: PrismaClient, shop: string, deps: ErpItemSearchDeps = {}): Promise<boolean> {
  try {
    const config = await providerFor(prisma, deps).forShop(shop);
    return typeof config?.connector?.searchItems === "function";
  } catch {
    return false;
  }
}

/**
 * A connector's words are written for orders ("The order will be sent again
 * automatically"); a search sends no order, so they are said for a search.
 */
export function searchWords(message: string): string {
  return message
    .replace(/\s*The order will be (checked and )?sent again automatically[^.]*\./g, " Try again in a moment.")
    .replace(/ rejected the order: /g, " refused the search: ")
    .replace(/\s*Correct this \(in Shopify or in [^)]*\), then retry\./g, "")
    .trim();
}

export async function searchErpItems(prisma: PrismaClient, shop: string, rawQuery: string, deps: ErpItemSearchDeps = {}): Promise<ErpItemSearchAnswer> {
  const query = rawQuery.trim().slice(0, ITEM_SEARCH_MAX_LENGTH);
  const answer = (items: ErpItem[], error: string | null = null): ErpItemSearchAnswer => ({ query, items, error });
  if (query.length < ITEM_SEARCH_MIN_LENGTH) return answer([]);
  try {
    const connector = (await providerFor(prisma, deps).forShop(shop))?.connector;
    if (!connector?.searchItems) return answer([], "Your ERP connection cannot list items. Type the item number.");
    const signal = deps.signal ? AbortSignal.any([deps.signal, AbortSignal.timeout(ITEM_SEARCH_TIMEOUT_MS)]) : AbortSignal.timeout(ITEM_SEARCH_TIMEOUT_MS);
    return answer(await connector.searchItems(query, { signal }));
  } catch (error) {
    const reason =
      error instanceof ShopConfigError || error instanceof ErpError ? searchWords(error.userMessage) : "the ERP did not answer as expected. Type the item number, or try again in a moment.";
    return answer([], `Could not search your ERP: ${reason}`);
  }
}
