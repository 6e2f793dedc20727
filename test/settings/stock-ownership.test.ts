// The "Stock levels" row of Settings → Who owns what on a real database:
// Shopify owns stock by default, the ERP only with links, links that would
// show one ERP location's stock twice are refused in plain words, and the
// row names the scopes still missing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStockOwnership, saveStockOwnership } from "../../app/models/stock-settings.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

const admin = (granted: string[]) => ({ grantedScopes: async () => granted, shopifyLocations: async () => [{ id: "gid://shopify/Location/1", name: "Main" }] });
const link = (shopifyLocationId: string, erpLocationId: string) => ({ shopifyLocationId, shopifyLocationName: shopifyLocationId, erpLocationId });

describe("stock ownership settings", () => {
  it("starts owned by Shopify and names every scope stock needs", async () => {
    const data = await loadStockOwnership(db.prisma, "own-1.myshopify.com", admin(["read_orders"]));
    expect(data.settings).toEqual({ owner: "shopify", intervalMinutes: 15, links: [] });
    expect(data.missingScopes).toEqual(["read_locations", "read_inventory", "write_inventory", "read_products"]);
    expect(data.shopifyLocationsError).toMatch(/Grant access to locations first/);
    expect(data.erpLocationsError).toMatch(/Connect your ERP first/);
  });

  it("counts write_inventory as read_inventory too", async () => {
    const data = await loadStockOwnership(db.prisma, "own-1.myshopify.com", admin(["read_locations", "write_inventory", "read_products"]));
    expect(data.missingScopes).toEqual([]);
    expect(data.shopifyLocations).toEqual([{ id: "gid://shopify/Location/1", name: "Main" }]);
  });

  it("saves the ERP as owner with its links, and back", async () => {
    const shop = "own-2.myshopify.com";
    expect(await saveStockOwnership(db.prisma, shop, { owner: "erp", intervalMinutes: "30", links: [link("L1", "WH1")] })).toMatchObject({ ok: true });
    expect((await loadStockOwnership(db.prisma, shop, admin([]))).settings).toEqual({ owner: "erp", intervalMinutes: 30, links: [link("L1", "WH1")] });
    expect(await saveStockOwnership(db.prisma, shop, { owner: "shopify", intervalMinutes: 30, links: [] })).toMatchObject({ ok: true, message: /no longer changes them/ });
  });

  it.each([
    ["no link", { owner: "erp", intervalMinutes: 15, links: [] }, /Link at least one Shopify location/],
    ["one ERP location feeding two Shopify locations", { owner: "erp", intervalMinutes: 15, links: [link("L1", "WH1"), link("L2", "WH1")] }, /feeds two Shopify locations/],
    ["an interval under 5 minutes", { owner: "erp", intervalMinutes: 1, links: [link("L1", "WH1")] }, /from 5 to 1440/],
  ])("refuses %s and keeps what was saved", async (_label, body, message) => {
    const shop = "own-3.myshopify.com";
    const result = await saveStockOwnership(db.prisma, shop, body);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(message) });
    expect((await loadStockOwnership(db.prisma, shop, admin([]))).settings.owner).toBe("shopify");
  });
});
