// What the sync worker gets for a shop: a working connector behind the URL
// guard, limits, rules and SKU look-ups; nothing for unknown or uninstalled shops.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptSecrets } from "~/security/crypto.server";
import { OutboundUrlRefusedError, type GuardedFetchOptions } from "~/security/url-guard.server";
import {
  NO_CONNECTOR_LIMITS,
  ShopConfigError,
  createShopConfigProvider,
  type CachingShopConfigProvider,
} from "~/settings/shop-config-provider.server";
import { saveConnectorSettings } from "~/settings/shop-settings.server";
import { upsertSkuMapping } from "~/settings/sku-mapping.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FAKE_TYPE, withFakeConnector, type FakeConnector } from "./fake-connector";

const SHOP = "acme.myshopify.com";
const dnsTable: Record<string, string> = { "erp.example.com": "93.184.215.14", "evil.example.com": "10.0.0.8" };
const guard: GuardedFetchOptions = {
  allowPrivate: false,
  requireHttps: true,
  lookup: async (host) => {
    if (!dnsTable[host]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return [{ address: dnsTable[host], family: 4 }];
  },
};

let db: TestDatabase;
let provider: CachingShopConfigProvider;
let clock = 1_000_000;
const sent: string[] = [];
const baseFetch = (async (input: string | URL | Request) => {
  sent.push(String(input instanceof Request ? input.url : input));
  return new Response("ok");
}) as typeof fetch;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});
beforeEach(async () => {
  await db.prisma.shopSettings.deleteMany();
  await db.prisma.shopSettings.create({ data: { shop: SHOP } });
  sent.length = 0;
  provider = createShopConfigProvider(db.prisma, { baseFetch, urlGuard: guard, ttlMs: 30_000, now: () => clock, connectors: withFakeConnector });
});
afterEach(() => provider.dispose());

async function configure(values: Record<string, string> = {}) {
  const result = await saveConnectorSettings(
    db.prisma,
    SHOP,
    { connectorType: FAKE_TYPE, values: { baseUrl: "https://erp.example.com", apiKey: "secret-key-123", ...values } },
    { urlGuard: guard, connectors: withFakeConnector },
  );
  expect(result).toEqual({ ok: true });
}

describe("shops without work", () => {
  it("returns null for a shop it has never seen", async () => {
    expect(await provider.forShop("stranger.myshopify.com")).toBeNull();
  });

  it("returns null once the shop is uninstalled, even if cached before", async () => {
    await configure();
    expect(await provider.forShop(SHOP)).not.toBeNull();
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { uninstalledAt: new Date() } });
    provider.invalidate(SHOP);
    expect(await provider.forShop(SHOP)).toBeNull();
  });

  it("gives connector null (orders wait) when no ERP is configured yet", async () => {
    const config = await provider.forShop(SHOP);
    expect(config).toMatchObject({ shop: SHOP, connector: null, description: null, limits: NO_CONNECTOR_LIMITS, externalIdPrefix: "shopify-" });
    expect(config?.rules.filters.skipTestOrders).toBe(true);
  });
});

describe("a configured shop", () => {
  it("builds the connector with decrypted secrets and the connector's default limits", async () => {
    await configure();
    const config = await provider.forShop(SHOP);
    const connector = config?.connector as FakeConnector;
    expect(connector.config).toMatchObject({ baseUrl: "https://erp.example.com", apiKey: "secret-key-123" });
    expect(config?.description?.type).toBe(FAKE_TYPE);
    expect(config?.limits).toEqual({ maxConcurrency: 2, requestsPerWindow: 30, windowMs: 60_000 });
  });

  it("lets the merchant's limit fields override the defaults", async () => {
    await configure({ maxConcurrency: "5", requestsPerWindow: "100" });
    expect((await provider.forShop(SHOP))?.limits).toEqual({ maxConcurrency: 5, requestsPerWindow: 100, windowMs: 60_000 });
  });

  it("gives the connector a fetch that refuses private addresses and passes public ones", async () => {
    await configure();
    const { deps } = (await provider.forShop(SHOP))?.connector as FakeConnector;
    await expect(deps!.fetch!("https://evil.example.com/orders")).rejects.toBeInstanceOf(OutboundUrlRefusedError);
    await deps!.fetch!("https://erp.example.com/orders");
    expect(sent).toEqual(["https://erp.example.com/orders"]);
  });

  it("looks up item numbers from this shop's SKU mappings", async () => {
    await configure();
    await upsertSkuMapping(db.prisma, SHOP, { sku: "TEE-M", itemNumber: "100234" }, { actor: "staff@acme.test" });
    await upsertSkuMapping(db.prisma, "other.myshopify.com", { sku: "TEE-L", itemNumber: "999" }, { actor: "x" });
    const config = await provider.forShop(SHOP);
    expect(await config!.lookupItemNumbers(["TEE-M", "TEE-L"])).toEqual(new Map([["TEE-M", "100234"]]));
  });

  it("raises a ShopConfigError with words for staff when secrets cannot be decrypted", async () => {
    await configure();
    await db.prisma.shopSettings.update({
      where: { shop: SHOP },
      data: { connectorSecrets: encryptSecrets("someone-else.myshopify.com", { apiKey: "secret-key-123" }) },
    });
    const error = await provider.forShop(SHOP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopConfigError);
    expect((error as ShopConfigError).userMessage).toMatch(/enter the credentials again in Settings/);
    expect(String(error)).not.toContain("secret-key-123");
  });

  it("raises a ShopConfigError naming the fields (not their values) when stored settings became invalid", async () => {
    await configure();
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { connectorSecrets: encryptSecrets(SHOP, { apiKey: "short" }) } });
    const error = (await provider.forShop(SHOP).catch((e: unknown) => e)) as ShopConfigError;
    expect(error.message).toContain("fields: apiKey");
    expect(error.message).not.toContain("short");
    expect(error.userMessage).toMatch(/Open Settings, correct the marked fields and save, then retry\./);
  });
});

describe("with the real Generic HTTPS connector", () => {
  it("a DNS change to a private address after saving stops requests with a permanent error staff can act on", async () => {
    dnsTable["moving.example.com"] = "93.184.215.14";
    const saved = await saveConnectorSettings(
      db.prisma,
      SHOP,
      {
        connectorType: "generic-http",
        values: { baseUrl: "https://moving.example.com/api", authType: "none", signingSecret: "0123456789abcdef-signing" },
      },
      { urlGuard: guard },
    );
    expect(saved).toEqual({ ok: true });
    dnsTable["moving.example.com"] = "172.16.5.5";
    try {
      const config = await provider.forShop(SHOP);
      expect(config?.description?.type).toBe("generic-http");
      const error = await config!.connector!.findOrder("shopify-1001", { idempotencyKey: "k" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutboundUrlRefusedError);
      expect(error).toMatchObject({ kind: "permanent", outcomeUnknown: false });
      expect(sent).toEqual([]);
    } finally {
      delete dnsTable["moving.example.com"];
    }
  });
});

describe("caching", () => {
  it("reuses the built connector within the TTL and rebuilds after it", async () => {
    await configure();
    const first = await provider.forShop(SHOP);
    expect(await provider.forShop(SHOP)).toBe(first);
    clock += 30_001;
    const later = await provider.forShop(SHOP);
    expect(later).not.toBe(first);
  });

  it("keeps the shop's connector (its ERP session and look-up caches) across rebuilds while the settings are unchanged", async () => {
    await configure();
    const first = await provider.forShop(SHOP);
    clock += 30_001;
    const rebuilt = await provider.forShop(SHOP);
    expect(rebuilt).not.toBe(first);
    expect(rebuilt?.connector).toBe(first?.connector);
    // Saved again with a change: a new connector with the new settings and limits.
    await configure({ maxConcurrency: "3" });
    const changed = await provider.forShop(SHOP);
    expect(changed?.connector).not.toBe(first?.connector);
    expect((changed?.connector as FakeConnector).deps?.limits).toEqual({ maxConcurrency: 3, requestsPerWindow: 30, windowMs: 60_000 });
  });

  it("picks up saved settings at once: saving invalidates the cached entry", async () => {
    await configure();
    const before = await provider.forShop(SHOP);
    await configure({ baseUrl: "https://erp.example.com/v2" });
    const after = await provider.forShop(SHOP);
    expect(after).not.toBe(before);
    expect((after?.connector as FakeConnector).config.baseUrl).toBe("https://erp.example.com/v2");
  });

  it("does not remember a failure: the next call tries again", async () => {
    await configure();
    const good = (await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).connectorSecrets;
    provider.invalidateAll();
    // Changed behind the provider's back (no settings-saved event), e.g. by another process.
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { connectorSecrets: "enc:v1:garbage:x:y:z" } });
    await expect(provider.forShop(SHOP)).rejects.toBeInstanceOf(ShopConfigError);
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { connectorSecrets: good } });
    expect(((await provider.forShop(SHOP))?.connector as FakeConnector).config.apiKey).toBe("secret-key-123");
  });

  it("shares one build between concurrent callers", async () => {
    await configure();
    const [a, b, c] = await Promise.all([provider.forShop(SHOP), provider.forShop(SHOP), provider.forShop(SHOP)]);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });
});
