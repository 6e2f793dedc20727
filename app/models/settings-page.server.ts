// The settings page's server side: what the page loads, how its JSON body is
// turned into the settings module's inputs, and "Test connection" against the
// SAVED settings (the same path the worker uses, so a green test means orders
// will go through). Secrets never leave the server: the view has set/not set.
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import {
  loadShopSettingsView,
  saveConnectorSettings,
  saveGeneralSettings,
  saveSyncRules,
  type SaveResult,
  type ShopSettingsView,
} from "../settings/shop-settings.server";
import { listSkuMappings, type SkuMappingPage } from "../settings/sku-mapping.server";
import { createShopConfigProvider, ShopConfigError } from "../settings/shop-config-provider.server";
import type { ConnectionTestResult } from "../connectors/port";

export interface SettingsPageData {
  settings: ShopSettingsView;
  skuMappings: Omit<SkuMappingPage, "items"> & { items: { sku: string; itemNumber: string; updatedBy: string; updatedAt: string }[] };
  skuSearch: string;
}

export async function loadSettingsPage(
  prisma: PrismaClient,
  shop: string,
  params: URLSearchParams,
): Promise<SettingsPageData> {
  const skuSearch = (params.get("sku") ?? "").trim().slice(0, 100);
  const page = Math.max(1, Number.parseInt(params.get("skuPage") ?? "1", 10) || 1);
  const [settings, mappings] = await Promise.all([
    loadShopSettingsView(prisma, shop),
    listSkuMappings(prisma, shop, { search: skuSearch, page, pageSize: 25 }),
  ]);
  return {
    settings,
    skuSearch,
    skuMappings: {
      ...mappings,
      items: mappings.items.map((m) => ({ sku: m.sku, itemNumber: m.itemNumber, updatedBy: m.updatedBy, updatedAt: m.updatedAt.toISOString() })),
    },
  };
}

export const saveBodySchema = z.object({
  connector: z.object({
    connectorType: z.string(),
    values: z.record(z.string(), z.string()),
    clearSecrets: z.array(z.string()).optional(),
  }),
  general: z.object({
    externalIdPrefix: z.string(),
    logRetentionDays: z.union([z.string(), z.number()]),
    confirmPrefixChange: z.boolean().optional(),
  }),
  syncRules: z.unknown(),
});
export type SaveBody = z.infer<typeof saveBodySchema>;

export interface SaveAllResult {
  ok: boolean;
  /** Field errors keyed "connector.<field>", "general.<field>", "syncRules.<path>". */
  fieldErrors: Record<string, string>;
  message: string;
}

function prefixed(section: string, result: SaveResult): Record<string, string> {
  if (result.ok) return {};
  return Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [`${section}.${k}`, v]));
}

/**
 * Saves the three sections. Each section is written only when it is valid as
 * a whole (the settings module guarantees that), so a typo in one section never
 * half-writes it; the message says which sections were not saved.
 */
export async function saveAllSettings(prisma: PrismaClient, shop: string, body: SaveBody): Promise<SaveAllResult> {
  const connector = await saveConnectorSettings(prisma, shop, body.connector);
  const general = await saveGeneralSettings(prisma, shop, body.general);
  const rules = await saveSyncRules(prisma, shop, body.syncRules);
  const fieldErrors = { ...prefixed("connector", connector), ...prefixed("general", general), ...prefixed("syncRules", rules) };
  const failed = [
    ...(connector.ok ? [] : ["ERP connection"]),
    ...(general.ok ? [] : ["order references and log"]),
    ...(rules.ok ? [] : ["sync rules"]),
  ];
  if (failed.length === 0) return { ok: true, fieldErrors, message: "Settings saved" };
  const saved = 3 - failed.length;
  return {
    ok: false,
    fieldErrors,
    message: `Not saved: ${failed.join(", ")}. Correct the marked fields and save again.${saved > 0 ? " The other sections were saved." : ""}`,
  };
}

/** Connects with the saved settings and asks the ERP who we are. */
/**
 * A connection test sends no order, so a connector's "The order will be sent
 * again automatically" does not apply: the test says to try again instead.
 */
export function connectionTestWords(message: string): string {
  return message
    .replace(/\s*The order will be (checked and )?sent again automatically(; nothing to do)?([;,][^.]*)?\./g, (_m, _a, _b, rest: string | undefined) =>
      ` No order was sent; try the test again in a moment${rest ? rest.replace(/^[;,]\s*/, ". ").replace(/^\. if/, ". If") : ""}.`,
    )
    .trim();
}

export async function testSavedConnection(prisma: PrismaClient, shop: string, timeoutMs = 15_000): Promise<ConnectionTestResult> {
  const provider = createShopConfigProvider(prisma, { ttlMs: 0 });
  try {
    const config = await provider.forShop(shop);
    if (!config?.connector) return { ok: false, message: "No ERP is connected yet. Choose your ERP, fill in its settings and save first." };
    const result = await config.connector.testConnection({ signal: AbortSignal.timeout(timeoutMs) });
    return result.ok ? result : { ...result, message: connectionTestWords(result.message) };
  } catch (error) {
    if (error instanceof ShopConfigError) return { ok: false, message: error.userMessage };
    if (error && typeof error === "object" && "userMessage" in error) return { ok: false, message: connectionTestWords(String(error.userMessage)) };
    return { ok: false, message: "The connection test could not be completed. Check the address and try again." };
  } finally {
    provider.dispose();
  }
}
