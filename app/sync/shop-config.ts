// What the sync engine needs to know about one shop, behind an interface so
// the engine never reads settings tables or decrypts secrets itself.
// The real provider lives in app/settings/shop-config-provider.server.ts.
import type { ConnectorDescription, ConnectorLimits, ErpConnector } from "../connectors/port";
import type { SyncRules } from "./order/sync-rules";

export interface ShopSyncConfig {
  shop: string;
  /** e.g. "shopify-": external id = prefix + legacy order id. */
  externalIdPrefix: string;
  rules: SyncRules;
  /** null when the shop has not configured a connector yet (orders wait as needs_attention). */
  connector: ErpConnector | null;
  description: ConnectorDescription | null;
  limits: ConnectorLimits;
  /** ERP item number for each SKU that has a mapping (others: fall back when allowed). */
  lookupItemNumbers(skus: string[]): Promise<Map<string, string>>;
}

export interface ShopConfigProvider {
  /** null when the shop is unknown or uninstalled: its work stops. */
  forShop(shop: string): Promise<ShopSyncConfig | null>;
}
