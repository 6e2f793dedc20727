// ShopConfigProvider for the sync worker: turns a shop's stored settings into
// a ready connector (secrets decrypted, every request through the URL guard),
// its limits, rules and SKU look-up. Built configs are cached per shop for a
// short time; saving settings in this process drops the entry at once. The
// connector itself is kept while the shop's connector settings are unchanged,
// so what it holds (ERP session, token, look-up caches) outlives the config's
// rebuilds; changed settings get a new one.
import type { PrismaClient } from "@prisma/client";
import { ConnectorConfigError, type ConnectorDescription, type ConnectorLimits, type ErpConnector } from "../connectors/port";
import { connectorDefinition, type ConnectorCatalog } from "../connectors/index";
import type { ShopConfigProvider, ShopSyncConfig } from "../sync/shop-config";
import { parseSyncRules } from "../sync/order/sync-rules";
import { DecryptionError, decryptSecrets, getKeyring, type Keyring } from "../security/crypto.server";
import { createGuardedFetch, configuredUrlGuard, type GuardedFetchOptions } from "../security/url-guard.server";
import { onShopSettingsChanged } from "./settings-events.server";
import { NO_CONNECTOR, parseStoredConfig } from "./shop-settings.server";
import { lookupItemNumbers } from "./sku-mapping.server";

/** Used while no connector is configured: nothing is sent anyway. */
export const NO_CONNECTOR_LIMITS: ConnectorLimits = { maxConcurrency: 1, requestsPerWindow: 60, windowMs: 60_000 };

/**
 * The stored settings cannot be turned into a connector. Not retried by
 * waiting alone: someone has to act (operator for the key, merchant for the
 * fields), and userMessage says who and what.
 */
export class ShopConfigError extends Error {
  constructor(
    message: string,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ShopConfigError";
  }
}

export interface ShopConfigProviderOptions {
  /** How long a built config is reused (default 30 s). */
  ttlMs?: number;
  now?: () => number;
  keyring?: () => Keyring;
  /** fetch the guard wraps (tests inject one); defaults to Node's fetch. */
  baseFetch?: typeof fetch;
  urlGuard?: GuardedFetchOptions;
  /** The connectors on offer (default: app/connectors/index.ts). */
  connectors?: ConnectorCatalog;
}

export interface CachingShopConfigProvider extends ShopConfigProvider {
  invalidate(shop: string): void;
  invalidateAll(): void;
  /** Stop listening for settings changes (tests, shutdown). */
  dispose(): void;
}

function positiveInteger(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * The connector's default limits, overridden by the merchant's values for
 * fields the connector declares (maxConcurrency, requestsPerWindow, or
 * requestsPerMinute scaled to the connector's window).
 */
export function resolveLimits(description: ConnectorDescription, config: Record<string, string>): ConnectorLimits {
  const limits = { ...description.defaultLimits };
  const declared = new Set(description.fields.map((f) => f.key));
  const concurrency = declared.has("maxConcurrency") ? positiveInteger(config.maxConcurrency) : undefined;
  if (concurrency) limits.maxConcurrency = concurrency;
  const perWindow = declared.has("requestsPerWindow") ? positiveInteger(config.requestsPerWindow) : undefined;
  const perMinute = declared.has("requestsPerMinute") ? positiveInteger(config.requestsPerMinute) : undefined;
  if (perWindow) limits.requestsPerWindow = perWindow;
  else if (perMinute) limits.requestsPerWindow = Math.max(1, Math.floor((perMinute * limits.windowMs) / 60_000));
  return limits;
}

export function createShopConfigProvider(
  prisma: PrismaClient,
  options: ShopConfigProviderOptions = {},
): CachingShopConfigProvider {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const keyring = options.keyring ?? getKeyring;
  // One guarded fetch (and so one pinned connection pool) for all shops.
  const guardedFetch = createGuardedFetch(options.baseFetch ?? globalThis.fetch, options.urlGuard ?? configuredUrlGuard());
  const cache = new Map<string, { expiresAt: number; config: Promise<ShopSyncConfig | null> }>();
  // The connector built for each shop, with the stored settings it was built from.
  const connectors = new Map<string, { settings: string; connector: ErpConnector }>();

  async function build(shop: string): Promise<ShopSyncConfig | null> {
    const row = await prisma.shopSettings.findUnique({ where: { shop } });
    if (!row || row.uninstalledAt) {
      connectors.delete(shop);
      return null;
    }

    const base = {
      shop,
      externalIdPrefix: row.externalIdPrefix,
      rules: parseSyncRules(row.syncRules),
      lookupItemNumbers: (skus: string[]) => lookupItemNumbers(prisma, shop, skus),
    };
    const definition = row.connectorType === NO_CONNECTOR ? undefined : connectorDefinition(row.connectorType, options.connectors);
    if (!definition) {
      connectors.delete(shop);
      return { ...base, connector: null, description: null, limits: NO_CONNECTOR_LIMITS };
    }
    const description = definition.describe();
    const config = parseStoredConfig(row.connectorConfig);
    const limits = resolveLimits(description, config);
    // The encrypted secrets change whenever a secret (or the key) does.
    const settings = JSON.stringify([row.connectorType, row.connectorConfig, row.connectorSecrets]);
    const kept = connectors.get(shop);
    if (kept?.settings === settings) return { ...base, connector: kept.connector, description, limits };

    let secrets: Record<string, string> = {};
    if (row.connectorSecrets) {
      try {
        secrets = decryptSecrets(shop, row.connectorSecrets, keyring());
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        throw new ShopConfigError(
          `Cannot decrypt ERP credentials of ${shop}: ${error.message}`,
          "The app cannot read the saved ERP credentials. The app operator must restore the previous encryption key, or you can enter the credentials again in Settings.",
          { cause: error },
        );
      }
    }

    let parsed: unknown;
    try {
      parsed = definition.parseConfig({ ...config, ...secrets });
    } catch (error) {
      if (!(error instanceof ConnectorConfigError)) throw error;
      // Field names only: the messages are the connector's, the values are never included.
      throw new ShopConfigError(
        `Stored ${description.type} settings of ${shop} are invalid (fields: ${Object.keys(error.fieldErrors).join(", ")})`,
        `Your ${description.name} settings are incomplete or no longer valid. Open Settings, correct the marked fields and save, then retry.`,
        { cause: error },
      );
    }

    const connector = definition.create(parsed, { fetch: guardedFetch, limits });
    connectors.set(shop, { settings, connector });
    return { ...base, connector, description, limits };
  }

  const unsubscribe = onShopSettingsChanged((shop) => cache.delete(shop));

  return {
    forShop(shop) {
      const hit = cache.get(shop);
      if (hit && hit.expiresAt > now()) return hit.config;
      const config = build(shop);
      cache.set(shop, { expiresAt: now() + ttlMs, config });
      // Failures and "no such shop" are not remembered: the next call looks again.
      config.then(
        (value) => {
          if (value === null && cache.get(shop)?.config === config) cache.delete(shop);
        },
        () => {
          if (cache.get(shop)?.config === config) cache.delete(shop);
        },
      );
      return config;
    },
    invalidate(shop) {
      cache.delete(shop);
    },
    invalidateAll() {
      cache.clear();
    },
    dispose() {
      unsubscribe();
      cache.clear();
      connectors.clear();
    },
  };
}
