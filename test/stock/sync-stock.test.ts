// Stock sync against the fake Admin API (validated against the committed
// 2026-10 schema, with throttling, compare-and-swap and idempotency keys):
// Shopify ends at the ERP's figure minus unsynced sales, only differences are
// written, in calls of at most 250, and conflicts and lost answers are handled.
import { describe, expect, it } from "vitest";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import { createLogger } from "../../app/logging/logger";
import { syncStock, type StockSyncInput } from "../../app/stock/sync-stock";
import { FakeAdminApi } from "../../testkit/fake-admin-api";
import { createVirtualClock } from "../../testkit/virtual-clock";
import type { ErpStockFigure, UnsyncedSold } from "../../app/stock/plan";

const ALL_SCOPES = ["read_orders", "read_locations", "read_inventory", "write_inventory", "read_products"];

function setup(options: { items?: number; scopes?: string[]; restoreRate?: number } = {}) {
  const clock = createVirtualClock();
  const fake = new FakeAdminApi({ clock, scopes: options.scopes ?? ALL_SCOPES, restoreRate: options.restoreRate });
  const shop1 = fake.inventory.addLocation("Main warehouse");
  const shop2 = fake.inventory.addLocation("City store");
  const n = options.items ?? 10;
  const items = Array.from({ length: n }, (_, i) => fake.inventory.addItem(`SKU-${i}`, { [shop1.id]: 5, [shop2.id]: 5 }));
  let fetchImpl: typeof fetch = fake.fetch;
  const api = new ShopifyAdminApi({
    getAccessToken: async () => fake.accessToken,
    refreshAccessToken: async () => fake.accessToken,
    fetch: (i, init) => fetchImpl(i, init),
    clock,
    logger: createLogger({ level: "silent" }),
  });
  const figures: ErpStockFigure[] = items.flatMap((_, i) => [
    { itemNumber: `SKU-${i}`, erpLocationId: "W1", quantity: 10 + i },
    { itemNumber: `SKU-${i}`, erpLocationId: "W2", quantity: 5 },
  ]);
  let sold: UnsyncedSold[] = [];
  const input = (over: Partial<StockSyncInput> = {}): StockSyncInput => ({
    client: api.forShop(fake.shop),
    runId: "run1",
    erpLocationIds: ["W1", "W2"],
    figures,
    complete: true,
    links: [
      { shopifyLocationId: shop1.id, erpLocationId: "W1" },
      { shopifyLocationId: shop2.id, erpLocationId: "W2" },
    ],
    skuMappings: [],
    skuFallback: true,
    unsyncedSold: async () => sold,
    ...over,
  });
  return {
    fake,
    clock,
    items,
    shop1,
    shop2,
    input,
    setSold: (s: UnsyncedSold[]) => (sold = s),
    wrapFetch: (wrap: (inner: typeof fetch) => typeof fetch) => (fetchImpl = wrap(fake.fetch)),
  };
}

const isMutation = async (init: RequestInit | undefined) => String(init?.body ?? "").includes("inventorySetQuantities");

describe("syncStock", () => {
  it("sets Shopify to the ERP's figure minus unsynced sales, writing only differences with compare-and-swap", async () => {
    const t = setup();
    t.setSold([{ sku: "SKU-3", locationId: null, quantity: 4 }]);
    const result = await syncStock(t.input());
    expect(result.status).toBe("done");
    if (result.status !== "done") return;
    // At the second location every figure is already 5: nothing written there.
    expect(result.written.every((w) => w.locationId === t.shop1.id)).toBe(true);
    expect(result.written).toHaveLength(10);
    for (const [i, item] of t.items.entries()) {
      expect(t.fake.inventory.level(item.id, t.shop1.id)).toBe(10 + i - (i === 3 ? 4 : 0));
      expect(t.fake.inventory.level(item.id, t.shop2.id)).toBe(5);
    }
    expect(t.fake.inventory.changes.every((c) => c.referenceDocumentUri === "gid://erp-order-sync/StockRun/run1" && c.reason === "correction")).toBe(true);
    expect(t.fake.invalidQueries).toEqual([]);
    // A second run finds nothing to write.
    const again = await syncStock(t.input({ runId: "run2" }));
    expect(again.status === "done" && again.written.length).toBe(0);
  });

  it("sends at most 250 quantities per call: 600 changes take 3 calls", async () => {
    const t = setup({ items: 300 });
    const result = await syncStock(t.input({ figures: t.items.flatMap((_, i) => [{ itemNumber: `SKU-${i}`, erpLocationId: "W1", quantity: 7 }, { itemNumber: `SKU-${i}`, erpLocationId: "W2", quantity: 8 }]) }));
    expect(result.status === "done" && result.written.length).toBe(600);
    expect(t.fake.inventory.setCalls.map((c) => c.quantities)).toEqual([250, 250, 100]);
    expect(t.fake.throttledCount).toBe(0);
  });

  it("re-reads and recomputes an item sold in Shopify between the read and the write", async () => {
    const t = setup({ items: 3 });
    let sold = false;
    t.wrapFetch((inner) => async (i, init) => {
      if (!sold && (await isMutation(init))) {
        sold = true;
        // A customer buys 2 of SKU-1 at the main warehouse; the order reaches the ledger unsynced.
        t.fake.inventory.adjust(t.items[1].id, t.shop1.id, -2);
        t.setSold([{ sku: "SKU-1", locationId: t.shop1.id, quantity: 2 }]);
      }
      return inner(i, init);
    });
    const result = await syncStock(t.input());
    expect(result.status === "done" && result.conflicts).toEqual([]);
    expect(t.fake.inventory.setCalls[0].codes).toContain("CHANGE_FROM_QUANTITY_STALE");
    expect(t.fake.inventory.level(t.items[1].id, t.shop1.id)).toBe(11 - 2);
    expect(t.fake.inventory.level(t.items[0].id, t.shop1.id)).toBe(10);
    expect(t.fake.inventory.level(t.items[2].id, t.shop1.id)).toBe(12);
  });

  it("applies a batch once when Shopify's answer is lost and the client sends it again", async () => {
    const t = setup({ items: 4 });
    let lost = false;
    t.wrapFetch((inner) => async (i, init) => {
      const response = await inner(i, init);
      if (!lost && (await isMutation(init))) {
        lost = true;
        throw new TypeError("fetch failed: socket hang up");
      }
      return response;
    });
    const result = await syncStock(t.input());
    expect(result.status === "done" && result.written.length).toBe(4);
    expect(t.fake.inventory.changes).toHaveLength(4);
    expect(t.fake.inventory.setCalls.filter((c) => c.applied)).toHaveLength(1);
  });

  it("waits out THROTTLED answers and still writes everything", async () => {
    const t = setup({ items: 300, restoreRate: 50 });
    let drained = false;
    t.wrapFetch((inner) => async (i, init) => {
      // Another app spends the bucket just before the first write: the client cannot know.
      if (!drained && (await isMutation(init))) {
        drained = true;
        t.fake.drain(t.fake.currentlyAvailable() - 5);
      }
      return inner(i, init);
    });
    const result = await syncStock(t.input());
    expect(result.status === "done" && result.written.length).toBe(300);
    expect(t.fake.inventory.changes).toHaveLength(300);
    expect(t.fake.throttledCount).toBeGreaterThan(0);
  });

  it("writes nothing and names the missing scopes when the merchant has not granted them", async () => {
    const t = setup({ scopes: ["read_orders", "read_inventory"] });
    const result = await syncStock(t.input());
    expect(result).toMatchObject({ status: "missing-scopes", missingScopes: ["read_locations", "write_inventory", "read_products"] });
    expect(result.status === "missing-scopes" && result.message).toMatch(/Settings → Who owns what.*orders keep syncing/);
    expect(t.fake.inventory.changes).toEqual([]);
  });

  it("reads a large catalogue with one bulk operation instead of pages, with the same outcome", async () => {
    const t = setup({ items: 300 });
    const result = await syncStock(t.input({ bulk: { fetch: t.fake.fetch, clock: t.clock, fromVariants: 100 } }));
    expect(t.fake.bulkOperations).toHaveLength(1);
    expect(t.fake.requests.some((r) => r.operation === "StockLocationLevels")).toBe(false);
    expect(result.status === "done" && [result.itemsRead, result.written.length]).toEqual([300, 300]);
    expect(t.fake.inventory.level(t.items[299].id, t.shop1.id)).toBe(10 + 299);
    expect(t.fake.invalidQueries).toEqual([]);
  });

  it("falls back to pages when another bulk operation of the app is running", async () => {
    const t = setup({ items: 20 });
    t.fake.bulkOperations.push({ id: "gid://shopify/BulkOperation/1", status: "RUNNING", query: "", groupObjects: false, polls: 0, createdAt: "", completedAt: null, rootObjectCount: 0 });
    const result = await syncStock(t.input({ bulk: { fetch: t.fake.fetch, clock: t.clock, fromVariants: 10 } }));
    expect(result.status === "done" && result.written.length).toBe(20);
    expect(t.fake.requests.some((r) => r.operation === "StockLocationLevels")).toBe(true);
  });
});
