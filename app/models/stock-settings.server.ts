// The "Stock levels" row of Settings → Who owns what: what it shows (owner,
// location links, the ERP's and Shopify's locations, the scopes still
// missing) and how it saves. Each side's locations are read live; a side that
// cannot answer (scope not granted, ERP down, connector without stock) is
// said in words instead of failing the card.
import type { PrismaClient } from "@prisma/client";
import { ErpError } from "../connectors/port";
import { createShopConfigProvider } from "../settings/shop-config-provider.server";
import { STOCK_SCOPES } from "../stock/shopify-stock";
import { linkErrors, loadStockSettings, saveStockSettings, stockSettingsInput, type StockSettings } from "../stock/stock-store.server";

export interface StockOwnershipData {
  settings: StockSettings;
  /** Scopes stock sync needs that the merchant has not granted (requested from the card). */
  missingScopes: string[];
  shopifyLocations: { id: string; name: string }[] | null;
  shopifyLocationsError: string | null;
  erpLocations: { id: string; name: string }[] | null;
  erpLocationsError: string | null;
}

/** What the caller can do with the Admin API in a request (a slice of authenticate.admin's answer). */
export interface AdminInRequest {
  grantedScopes(): Promise<string[]>;
  shopifyLocations(): Promise<{ id: string; name: string }[]>;
}

export async function loadStockOwnership(prisma: PrismaClient, shop: string, admin: AdminInRequest): Promise<StockOwnershipData> {
  const settings = await loadStockSettings(prisma, shop);
  const granted = new Set(await admin.grantedScopes().catch(() => [] as string[]));
  const missingScopes = STOCK_SCOPES.filter((s) => !granted.has(s) && !granted.has(s.replace(/^read_/, "write_")));
  let shopifyLocations: StockOwnershipData["shopifyLocations"] = null;
  let shopifyLocationsError: string | null = null;
  if (missingScopes.includes("read_locations")) shopifyLocationsError = "Grant access to locations first (button above) to link them.";
  else {
    try {
      shopifyLocations = await admin.shopifyLocations();
    } catch {
      shopifyLocationsError = "Shopify's locations could not be read just now. Reload the page in a moment.";
    }
  }
  let erpLocations: StockOwnershipData["erpLocations"] = null;
  let erpLocationsError: string | null = null;
  try {
    const config = await createShopConfigProvider(prisma).forShop(shop);
    const connector = config?.connector;
    if (!connector) erpLocationsError = "Connect your ERP first (ERP connection, above).";
    else if (!connector.listLocations || !connector.readStock) erpLocationsError = "The connected ERP cannot report stock through this app, so stock stays owned by Shopify.";
    else erpLocations = await connector.listLocations();
  } catch (error) {
    erpLocationsError = error instanceof ErpError ? error.userMessage : "The ERP's locations could not be read just now. Reload the page in a moment.";
  }
  return { settings, missingScopes, shopifyLocations, shopifyLocationsError, erpLocations, erpLocationsError };
}

export type SaveStockOwnershipResult = { ok: true; message: string } | { ok: false; message: string };

export async function saveStockOwnership(prisma: PrismaClient, shop: string, body: unknown): Promise<SaveStockOwnershipResult> {
  const parsed = stockSettingsInput.safeParse(body);
  if (!parsed.success) {
    const interval = parsed.error.issues.find((i) => i.path[0] === "intervalMinutes");
    return { ok: false, message: interval ? "Enter how often to compare stock as a whole number of minutes from 5 to 1440." : "The form could not be read. Reload the page." };
  }
  const errors = linkErrors(parsed.data.links);
  if (errors.length) return { ok: false, message: errors.join(" ") };
  if (parsed.data.owner === "erp" && parsed.data.links.length === 0)
    return { ok: false, message: "Link at least one Shopify location to an ERP location before the ERP takes over stock levels." };
  await saveStockSettings(prisma, shop, parsed.data);
  return {
    ok: true,
    message:
      parsed.data.owner === "erp"
        ? "Saved. The ERP now owns stock levels at the linked locations; the first comparison runs within a minute."
        : "Saved. Shopify owns stock levels: the app no longer changes them.",
  };
}
