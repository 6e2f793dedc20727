// The Stock page's data on a real database: "Sync stock now" only when the
// ERP owns stock (and joins a run already open), the last run's figures and
// problem items, and the search by SKU per location.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStockPage, syncStockNow } from "../../app/models/stock-page.server";
import { claimStockRun, finishStockRun, recordStockChanges, saveStockSettings } from "../../app/stock/stock-store.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

describe("Stock page", () => {
  it("refuses Sync stock now while Shopify owns stock, saying where to change it", async () => {
    expect(await syncStockNow(db.prisma, "page-1.myshopify.com")).toMatchObject({ ok: false, message: expect.stringMatching(/Settings → Who owns what/) });
  });

  it("shows the last run, its problem items, and what was set per location for a SKU", async () => {
    const shop = "page-2.myshopify.com";
    await saveStockSettings(db.prisma, shop, { owner: "erp", intervalMinutes: 15, links: [{ shopifyLocationId: "gid://shopify/Location/1", shopifyLocationName: "Main", erpLocationId: "WH1" }] });
    expect(await syncStockNow(db.prisma, shop)).toMatchObject({ ok: true, message: expect.stringMatching(/started/) });
    expect(await syncStockNow(db.prisma, shop)).toMatchObject({ ok: true, message: expect.stringMatching(/already waiting/) });
    const run = (await claimStockRun(db.prisma, shop, "w", new Date(), 60_000))!;
    expect((await loadStockPage(db.prisma, shop, new URLSearchParams())).current).toMatchObject({ status: "running", trigger: "manual" });
    await recordStockChanges(db.prisma, shop, run.id, [{ variantId: "II1", sku: "CAP-RED", inventoryItemId: "II1", locationId: "gid://shopify/Location/1", erpQuantity: 9, unsyncedSold: 1, changeFromQuantity: 4, quantity: 8 }], new Date());
    await finishStockRun(db.prisma, run.id, "w", new Date(), {
      status: "completed",
      itemsRead: 2,
      differences: 1,
      written: 1,
      problems: [{ kind: "duplicate-sku", sku: "MUG", variantIds: ["a", "b"], message: "2 variants in Shopify have the SKU \"MUG\"…" }],
    });
    const page = await loadStockPage(db.prisma, shop, new URLSearchParams({ sku: "CAP" }));
    expect(page.current).toBeNull();
    expect(page.last).toMatchObject({ status: "completed", itemsRead: 2, written: 1, problemCount: 1 });
    expect(page.problems.map((p) => p.sku)).toEqual(["MUG"]);
    expect(page.matches).toEqual([expect.objectContaining({ sku: "CAP-RED", direction: "ERP → Shopify", location: "Main", erpQuantity: 9, unsyncedSold: 1, fromQuantity: 4, toQuantity: 8 })]);
    expect((await loadStockPage(db.prisma, "other.myshopify.com", new URLSearchParams({ sku: "CAP" }))).matches).toEqual([]);
  });
});
