// Saving and showing a shop's settings, as the Settings page would.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decryptSecrets } from "~/security/crypto.server";
import type { UrlGuardOptions } from "~/security/url-guard.server";
import {
  SECRET_MASK,
  loadShopSettingsView,
  saveConnectorSettings,
  saveGeneralSettings,
  saveSyncRules,
} from "~/settings/shop-settings.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FAKE_TYPE, withFakeConnector } from "./fake-connector";

const SHOP = "acme.myshopify.com";
const OTHER = "other.myshopify.com";
const API_KEY = "key-7f3a9c2e51";

// Fake DNS: no network. erp.example.com is public, intranet.example.com private.
const guard: UrlGuardOptions = {
  allowPrivate: false,
  requireHttps: true,
  lookup: async (host) => {
    const table: Record<string, string> = { "erp.example.com": "93.184.215.14", "intranet.example.com": "192.168.0.10" };
    if (!table[host]) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
    return [{ address: table[host], family: 4 }];
  },
};
const deps = { urlGuard: guard, connectors: withFakeConnector };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});
beforeEach(async () => {
  await db.prisma.shopSettings.deleteMany();
  await db.prisma.orderSync.deleteMany();
  for (const shop of [SHOP, OTHER]) await db.prisma.shopSettings.create({ data: { shop } });
});

const validInput = (values: Record<string, string> = {}) => ({
  connectorType: FAKE_TYPE,
  values: { baseUrl: "https://erp.example.com/api", apiKey: API_KEY, signIn: "key", ...values },
});

async function storedRow(shop = SHOP) {
  return db.prisma.shopSettings.findUniqueOrThrow({ where: { shop } });
}

describe("connector settings", () => {
  it("stores non-secret fields as JSON and secret fields only encrypted", async () => {
    expect(await saveConnectorSettings(db.prisma, SHOP, validInput({ maxConcurrency: " 3 " }), deps)).toEqual({ ok: true });
    const row = await storedRow();
    expect(row.connectorType).toBe(FAKE_TYPE);
    expect(JSON.parse(row.connectorConfig)).toEqual({ baseUrl: "https://erp.example.com/api", signIn: "key", maxConcurrency: "3" });
    expect(row.connectorConfig).not.toContain(API_KEY);
    expect(row.connectorSecrets).not.toContain(API_KEY);
    expect(decryptSecrets(SHOP, row.connectorSecrets!)).toEqual({ apiKey: API_KEY });
  });

  it("never sends a secret to the browser: the view says only whether it is set", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput({ signIn: "basic", password: "pa55word-xyz" }), deps);
    const view = await loadShopSettingsView(db.prisma, SHOP, deps);
    expect(view.secrets).toEqual({ apiKey: { isSet: true, hint: SECRET_MASK }, password: { isSet: true, hint: SECRET_MASK } });
    expect(view.values).toMatchObject({ baseUrl: "https://erp.example.com/api", signIn: "basic" });
    const json = JSON.stringify(view);
    expect(json).not.toContain(API_KEY);
    expect(json).not.toContain("pa55word");
  });

  it.each([["the mask", SECRET_MASK], ["an empty field", ""], ["nothing at all", undefined]])(
    "keeps the stored secret when the form posts back %s",
    async (_what, posted) => {
      await saveConnectorSettings(db.prisma, SHOP, validInput(), deps);
      const result = await saveConnectorSettings(
        db.prisma,
        SHOP,
        { connectorType: FAKE_TYPE, values: { baseUrl: "https://erp.example.com/v2", apiKey: posted, signIn: "key" } },
        deps,
      );
      expect(result).toEqual({ ok: true });
      const row = await storedRow();
      expect(decryptSecrets(SHOP, row.connectorSecrets!)).toEqual({ apiKey: API_KEY });
      expect(JSON.parse(row.connectorConfig).baseUrl).toBe("https://erp.example.com/v2");
    },
  );

  it("replaces a secret when a new value is typed", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput(), deps);
    await saveConnectorSettings(db.prisma, SHOP, validInput({ apiKey: "new-key-123456" }), deps);
    expect(decryptSecrets(SHOP, (await storedRow()).connectorSecrets!)).toEqual({ apiKey: "new-key-123456" });
  });

  it("drops a secret whose field is no longer shown (switching sign-in method)", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput({ signIn: "basic", password: "pa55word-xyz" }), deps);
    await saveConnectorSettings(db.prisma, SHOP, validInput({ signIn: "key", password: SECRET_MASK }), deps);
    expect(decryptSecrets(SHOP, (await storedRow()).connectorSecrets!)).toEqual({ apiKey: API_KEY });
  });

  it("does not carry secrets over to another connector type", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput(), deps);
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { connectorType: "something-else" } });
    const result = await saveConnectorSettings(db.prisma, SHOP, validInput({ apiKey: SECRET_MASK }), deps);
    expect(result).toMatchObject({ ok: false, fieldErrors: { apiKey: "Enter the API key." } });
  });

  it("returns per-field messages and writes nothing when something is wrong", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput(), deps);
    const before = await storedRow();
    const result = await saveConnectorSettings(
      db.prisma,
      SHOP,
      { connectorType: FAKE_TYPE, values: { baseUrl: "http://erp.example.com", apiKey: "short", signIn: "key" } },
      deps,
    );
    expect(result).toEqual({
      ok: false,
      formError: expect.stringContaining("Correct the marked fields"),
      fieldErrors: {
        baseUrl: expect.stringMatching(/^The ERP address must use https:\/\//),
        apiKey: "The API key has at least 8 characters.",
      },
    });
    const after = await storedRow();
    expect(after.connectorConfig).toBe(before.connectorConfig);
    expect(after.connectorSecrets).toBe(before.connectorSecrets);
  });

  it("refuses an ERP address that resolves to a private network, naming the address", async () => {
    const result = await saveConnectorSettings(db.prisma, SHOP, validInput({ baseUrl: "https://intranet.example.com" }), deps);
    expect(result).toMatchObject({ ok: false, fieldErrors: { baseUrl: expect.stringContaining("192.168.0.10") } });
  });

  it("asks to choose an ERP from the list for an unknown type", async () => {
    const result = await saveConnectorSettings(db.prisma, SHOP, { connectorType: "sap-r2", values: {} }, deps);
    expect(result).toMatchObject({ ok: false, fieldErrors: { connectorType: "Choose your ERP from the list." } });
  });

  it("'none' removes the connector and its secrets", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput(), deps);
    await saveConnectorSettings(db.prisma, SHOP, { connectorType: "none", values: {} }, deps);
    const row = await storedRow();
    expect([row.connectorType, row.connectorConfig, row.connectorSecrets]).toEqual(["none", "{}", null]);
  });

  it("only touches the shop it is given", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput(), deps);
    const other = await storedRow(OTHER);
    expect([other.connectorType, other.connectorSecrets]).toEqual(["none", null]);
    const view = await loadShopSettingsView(db.prisma, OTHER, deps);
    expect(view.connectorType).toBe("none");
    expect(view.secrets).toEqual({});
  });

  it("lists the connectors on offer (the real ones from app/connectors/index) for the picker", async () => {
    const view = await loadShopSettingsView(db.prisma, SHOP, deps);
    const types = view.availableConnectors.map((c) => c.type);
    expect(types).toContain(FAKE_TYPE);
    expect(types).toContain("generic-http");
  });

  it("tells the merchant to re-enter credentials that can no longer be decrypted", async () => {
    await saveConnectorSettings(db.prisma, SHOP, validInput(), deps);
    const row = await storedRow();
    // Same envelope on another shop's row: the shop binding makes it unreadable there.
    await db.prisma.shopSettings.update({
      where: { shop: OTHER },
      data: { connectorType: FAKE_TYPE, connectorConfig: row.connectorConfig, connectorSecrets: row.connectorSecrets },
    });
    const view = await loadShopSettingsView(db.prisma, OTHER, deps);
    expect(view.secretsProblem).toMatch(/Enter them again and save/);
    expect(view.secrets.apiKey).toEqual({ isSet: false, hint: null });
  });
});

describe("external id prefix and log retention", () => {
  it("saves valid values", async () => {
    expect(await saveGeneralSettings(db.prisma, SHOP, { externalIdPrefix: " web-", logRetentionDays: "90" })).toEqual({ ok: true });
    const row = await storedRow();
    expect([row.externalIdPrefix, row.logRetentionDays]).toEqual(["web-", 90]);
  });

  it.each([
    ["", "Enter a prefix"],
    ["shop/ify", "Use only letters, digits"],
    ["a-very-long-prefix-for-orders-", "Use at most 20 characters"],
    ["with space", "Use only letters, digits"],
    ["ümlaut-", "Use only letters, digits"],
  ])("refuses the prefix %j", async (prefix, message) => {
    const result = await saveGeneralSettings(db.prisma, SHOP, { externalIdPrefix: prefix, logRetentionDays: 30 });
    expect(result).toMatchObject({ ok: false, fieldErrors: { externalIdPrefix: expect.stringContaining(message) } });
  });

  it.each([["0", "at least 1 day"], ["1000", "at most 730 days"], ["2.5", "whole number"], ["abc", "Enter a number of days"]])(
    "refuses a retention of %s days",
    async (days, message) => {
      const result = await saveGeneralSettings(db.prisma, SHOP, { externalIdPrefix: "shopify-", logRetentionDays: days });
      expect(result).toMatchObject({ ok: false, fieldErrors: { logRetentionDays: expect.stringContaining(message) } });
    },
  );

  it("asks for confirmation before changing the prefix once orders were sent", async () => {
    await db.prisma.orderSync.create({
      data: {
        shop: SHOP,
        orderId: "1001",
        orderGid: "gid://shopify/Order/1001",
        orderName: "#1001",
        externalId: "shopify-1001",
        snapshot: "{}",
        sourceUpdatedAt: new Date(),
        state: "synced",
        erpDocumentId: "SO-1",
      },
    });
    const refused = await saveGeneralSettings(db.prisma, SHOP, { externalIdPrefix: "web-", logRetentionDays: 30 });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { externalIdPrefix: expect.stringContaining("1 order(s) are already in your ERP") } });
    expect((await storedRow()).externalIdPrefix).toBe("shopify-");
    const confirmed = await saveGeneralSettings(db.prisma, SHOP, { externalIdPrefix: "web-", logRetentionDays: 30, confirmPrefixChange: true });
    expect(confirmed).toEqual({ ok: true });
    expect((await storedRow()).externalIdPrefix).toBe("web-");
    // Another shop's orders do not count.
    expect(await saveGeneralSettings(db.prisma, OTHER, { externalIdPrefix: "x-", logRetentionDays: 30 })).toEqual({ ok: true });
  });
});

/** The rules as the settings page shows them. */
async function storedRules(shop: string) {
  return (await loadShopSettingsView(db.prisma, shop, deps)).syncRules;
}

describe("sync rules", () => {
  it("a shop that never saved rules gets the safe defaults", async () => {
    const rules = await storedRules(SHOP);
    expect(rules.filters.skipTestOrders).toBe(true);
    expect(rules.events).toEqual({ create: true, update: true, cancel: true, refund: true });
  });

  it("saves rules, filling defaults and tidying tag lists", async () => {
    const result = await saveSyncRules(db.prisma, SHOP, {
      cancelInErp: false,
      filters: { includeTags: [" wholesale ", "", "b2b"], skipTestOrders: false },
    });
    expect(result).toEqual({ ok: true });
    const rules = await storedRules(SHOP);
    expect(rules.cancelInErp).toBe(false);
    expect(rules.filters.includeTags).toEqual(["wholesale", "b2b"]);
    expect(rules.filters.skipTestOrders).toBe(false);
    expect(rules.retry).toEqual({ maxAgeHours: 72, baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 });
    expect((await storedRules(OTHER)).cancelInErp).toBe(true);
  });

  it("reports an invalid rule by its path and keeps the stored rules", async () => {
    await saveSyncRules(db.prisma, SHOP, { cancelInErp: false });
    const result = await saveSyncRules(db.prisma, SHOP, { retry: { maxAgeHours: 0 } });
    expect(result).toMatchObject({ ok: false, fieldErrors: { "retry.maxAgeHours": expect.any(String) } });
    expect((await storedRules(SHOP)).cancelInErp).toBe(false);
  });

  it("reads rules stored before retries were budgeted by time, keeping the shop's choices", async () => {
    // As the settings form saved them: every field, including the attempt count and the former 30-minute cap.
    const stored = { cancelInErp: false, retry: { maxAttempts: 4, maxAgeHours: 24, baseDelayMs: 2_000, maxDelayMs: 30 * 60_000 } };
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { syncRules: JSON.stringify(stored) } });
    const rules = await storedRules(SHOP);
    expect(rules.cancelInErp).toBe(false);
    expect(rules.retry).toEqual({ maxAgeHours: 24, baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 });
    // A cap a shop really chose (not the former default) stays.
    await db.prisma.shopSettings.update({ where: { shop: SHOP }, data: { syncRules: JSON.stringify({ retry: { maxAttempts: 0, maxDelayMs: 5_000 } }) } });
    expect((await storedRules(SHOP)).retry).toEqual({ maxAgeHours: 72, baseDelayMs: 2_000, maxDelayMs: 5_000 });
  });
});
