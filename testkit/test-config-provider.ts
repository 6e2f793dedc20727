// The sync engine's view of a shop (ShopConfigProvider) without settings
// tables or encryption: tests and bench:sync set each shop's fake ERP, rules,
// limits and SKU mapping directly.
import type { ConnectorDescription, ConnectorLimits } from "../app/connectors/port";
import type { ShopConfigProvider, ShopSyncConfig } from "../app/sync/shop-config";
import { parseSyncRules, type SyncRules } from "../app/sync/order/sync-rules";
import type { FakeErp } from "./fake-erp";

export const FAKE_DESCRIPTION: ConnectorDescription = {
  type: "fake",
  name: "Fake ERP",
  description: "In-memory ERP for tests",
  fields: [],
  defaultLimits: { maxConcurrency: 4, requestsPerWindow: 1000, windowMs: 1000 },
  skuFallbackAllowed: true,
};

export interface ShopSetup {
  erp: FakeErp | null;
  rules?: Partial<Record<keyof SyncRules, unknown>>;
  limits?: Partial<ConnectorLimits>;
  skuFallbackAllowed?: boolean;
  itemNumbers?: Record<string, string>;
  prefix?: string;
}

export class TestConfigProvider implements ShopConfigProvider {
  readonly shops = new Map<string, ShopSetup>();
  set(shop: string, setup: ShopSetup): this {
    this.shops.set(shop, setup);
    return this;
  }
  async forShop(shop: string): Promise<ShopSyncConfig | null> {
    const s = this.shops.get(shop);
    if (!s) return null;
    const mapping = s.itemNumbers ?? {};
    return {
      shop,
      externalIdPrefix: s.prefix ?? "shopify-",
      rules: parseSyncRules(JSON.stringify(s.rules ?? {})),
      connector: s.erp,
      description: { ...FAKE_DESCRIPTION, skuFallbackAllowed: s.skuFallbackAllowed ?? true },
      limits: { ...FAKE_DESCRIPTION.defaultLimits, ...s.limits },
      async lookupItemNumbers(skus) {
        return new Map(skus.filter((k) => k in mapping).map((k) => [k, mapping[k]]));
      },
    };
  }
}
