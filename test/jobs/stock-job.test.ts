// The stock job on a real database (SQLite, or PostgreSQL with
// TEST_DATABASE=postgres) with the fake Admin API and the fake ERP: runs are
// opened when due, one at a time per shop, taken over when their worker died,
// blocked with plain words when scopes are missing, and leave Shopify at the
// ERP's figure minus the orders the ERP has not received.
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStockJob } from "../../app/jobs/stock-job";
import { createLogger } from "../../app/logging/logger";
import { claimStockRun, requestStockRun, saveStockSettings, storeStockNotice } from "../../app/stock/stock-store.server";
import type { ShopConfigProvider, ShopSyncConfig } from "../../app/sync/shop-config";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { LogCapture } from "../sync/harness";
import { installShop, NOW, quiet, shopifyWorld } from "./helpers";

const ALL_SCOPES = ["read_orders", "read_locations", "read_inventory", "write_inventory", "read_products"];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.cleanup());

let shopCount = 0;
async function world(options: { scopes?: string[]; owner?: "erp" | "shopify"; logs?: LogCapture } = {}) {
  const shop = `stock-${++shopCount}.myshopify.com`;
  const prisma: PrismaClient = db.prisma;
  await installShop(prisma, shop);
  const w = shopifyWorld({ shop, scopes: options.scopes ?? ALL_SCOPES });
  const main = w.fake.inventory.addLocation("Main warehouse");
  const store = w.fake.inventory.addLocation("City store");
  const items = ["TSHIRT-M", "TSHIRT-L", "CAP"].map((sku) => w.fake.inventory.addItem(sku, { [main.id]: 0, [store.id]: 0 }));
  const erp = new FakeErp();
  erp.stockLocations.push({ id: "WH1", name: "Central" }, { id: "WH2", name: "Shop floor" });
  for (const sku of ["TSHIRT-M", "TSHIRT-L", "CAP"]) {
    erp.setStock(sku, "WH1", 10);
    erp.setStock(sku, "WH2", 3);
  }
  await saveStockSettings(prisma, shop, {
    owner: options.owner ?? "erp",
    intervalMinutes: 15,
    links: [
      { shopifyLocationId: main.id, shopifyLocationName: main.name, erpLocationId: "WH1" },
      { shopifyLocationId: store.id, shopifyLocationName: store.name, erpLocationId: "WH2" },
    ],
  });
  const configProvider: ShopConfigProvider = {
    forShop: async () => ({ shop, connector: erp, description: { skuFallbackAllowed: true } } as unknown as ShopSyncConfig),
  };
  const logger = options.logs ? createLogger({ level: "info", destination: options.logs.stream }) : quiet;
  const job = startStockJob({ prisma, adminApi: w.adminApi, logger, workerId: "w1", clock: w.clock, configProvider, listShops: async () => [shop] }, { loop: false });
  const level = (i: number, at: "main" | "store") => w.fake.inventory.level(items[i].id, (at === "main" ? main : store).id);
  const runs = () => prisma.stockRun.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
  return { shop, prisma, w, erp, job, level, runs, items, main, store };
}

describe("stock job", () => {
  it("sets every linked location to the ERP's figure minus orders the ERP has not received, and records the run", async () => {
    const logs = new LogCapture();
    const t = await world({ logs });
    // An order for 2 × TSHIRT-M, sold in Shopify, still waiting for the ERP.
    await t.prisma.orderSync.create({
      data: {
        shop: t.shop,
        orderId: "1001",
        orderGid: "gid://shopify/Order/1001",
        orderName: "#1001",
        externalId: "shopify-1001",
        snapshot: JSON.stringify({ id: 1001, line_items: [{ sku: "TSHIRT-M", quantity: 2, current_quantity: 2 }] }),
        sourceUpdatedAt: new Date(NOW),
        state: "retrying",
      },
    });
    t.erp.setStock("CAP", "WH2", "-4"); // bad figure: CAP becomes a problem item, nothing written for it
    await t.job.round();

    expect([t.level(0, "main"), t.level(0, "store"), t.level(1, "main"), t.level(1, "store")]).toEqual([8, 3, 10, 3]);
    expect([t.level(2, "main"), t.level(2, "store")]).toEqual([0, 0]);
    const [run] = await t.runs();
    expect(run).toMatchObject({ status: "completed", trigger: "nightly", full: true, itemsRead: 3, differences: 4, written: 4, problemCount: 1, mutationCalls: 1, openFor: null });
    expect(JSON.parse(run.problems)[0].message).toMatch(/item "CAP" at "WH2" is negative/);
    const change = await t.prisma.stockLevelChange.findFirst({ where: { shop: t.shop, sku: "TSHIRT-M", locationId: t.main.id } });
    expect(change).toMatchObject({ erpQuantity: 10, unsyncedSold: 2, fromQuantity: 0, toQuantity: 8, runId: run.id });
    expect(t.w.fake.inventory.changes.every((c) => c.referenceDocumentUri === `gid://erp-order-sync/StockRun/${run.id}`)).toBe(true);

    // The worker's log says which way the change went, per write call and per run, with counts and no SKUs.
    const stockLines = logs.parsed().filter((l) => l.shop === t.shop && l.runId === run.id && l.direction !== undefined);
    expect(stockLines.map((l) => [l.msg, l.direction])).toEqual([
      ["stock run started", "erp→shopify"],
      ["stock written to Shopify", "erp→shopify"],
      ["stock run finished", "erp→shopify"],
    ]);
    expect(stockLines[1]).toMatchObject({ operation: "inventorySetQuantities", quantities: 4, changed: 4 });
    expect(stockLines[2]).toMatchObject({ itemsRead: 3, differences: 4, written: 4, problems: 1, mutationCalls: 1 });
    expect(logs.text).not.toMatch(/TSHIRT|CAP/);
  });

  it("opens no second run before the interval, and one on request (Sync stock now)", async () => {
    const t = await world();
    await t.job.round();
    await t.job.round();
    expect(await t.runs()).toHaveLength(1);
    t.erp.setStock("CAP", "WH1", 42);
    await requestStockRun(t.prisma, t.shop, "manual", true);
    await t.job.round();
    expect((await t.runs()).map((r) => [r.trigger, r.status, r.written])).toEqual([
      ["nightly", "completed", 6],
      ["manual", "completed", 1],
    ]);
    expect(t.level(2, "main")).toBe(42);
  });

  it("keeps one open run per shop: a second request joins the open one, and a second worker cannot take it", async () => {
    const t = await world();
    const first = await requestStockRun(t.prisma, t.shop, "manual", true);
    const second = await requestStockRun(t.prisma, t.shop, "schedule", false);
    expect(second).toMatchObject({ created: false, run: { id: first.run.id } });
    const claimed = await claimStockRun(t.prisma, t.shop, "w1", new Date(NOW), 60_000);
    expect(claimed?.id).toBe(first.run.id);
    expect(await claimStockRun(t.prisma, t.shop, "w2", new Date(NOW + 1000), 60_000)).toBeNull();
    // Its worker died: after the stale time another worker takes it over and finishes it.
    const job2 = startStockJob({ prisma: t.prisma, adminApi: t.w.adminApi, logger: quiet, workerId: "w2", clock: t.w.clock, configProvider: { forShop: async () => ({ connector: t.erp, description: { skuFallbackAllowed: true } }) as unknown as ShopSyncConfig }, listShops: async () => [t.shop], staleAfterMs: 60_000 }, { loop: false });
    t.w.clock.advance(120_000);
    await job2.round();
    expect(await t.prisma.stockRun.findUnique({ where: { id: first.run.id } })).toMatchObject({ status: "completed", leaseOwner: "w2", written: 6 });
  });

  it("applies pushed notices in a run of their own, and only their items", async () => {
    const t = await world();
    await t.job.round();
    t.erp.setStock("CAP", "WH1", 99); // the ERP changed more than it told: only the notice counts in a notice run
    expect(await storeStockNotice(t.prisma, t.shop, { noticeId: "n1", issuedAt: new Date(NOW), items: [{ itemNumber: "TSHIRT-L", locationId: "WH1", quantity: 1 }] })).toBe("accepted");
    t.w.clock.advance(60_000);
    await t.job.round();
    const runs = await t.runs();
    expect(runs.at(-1)).toMatchObject({ trigger: "notice", full: false, status: "completed", written: 1 });
    expect([t.level(1, "main"), t.level(2, "main")]).toEqual([1, 10]);
    expect(await t.prisma.stockNotice.count({ where: { shop: t.shop, processedAt: null } })).toBe(0);
  });

  it("blocks the run with the missing scopes named, and writes nothing", async () => {
    const t = await world({ scopes: ["read_orders"] });
    await t.job.round();
    const [run] = await t.runs();
    expect(run.status).toBe("blocked");
    expect(run.message).toMatch(/has not granted read_locations, read_inventory, write_inventory, read_products.*orders keep syncing/);
    expect(t.w.fake.inventory.changes).toEqual([]);
  });

  it("does nothing for a shop whose stock Shopify owns", async () => {
    const t = await world({ owner: "shopify" });
    await t.job.round();
    expect(await t.runs()).toEqual([]);
  });

  it("records a failed run in plain words when the ERP fails, and runs again later", async () => {
    const t = await world();
    const { ErpError } = await import("../../app/connectors/port");
    t.erp.stockFault = new ErpError({ kind: "transient", message: "503", userMessage: "The ERP did not answer (HTTP 503). The app tries again automatically." });
    await t.job.round();
    expect((await t.runs())[0]).toMatchObject({ status: "failed", message: expect.stringMatching(/did not answer/), openFor: null });
    expect(t.w.fake.inventory.changes).toEqual([]);
    t.w.clock.advance(16 * 60_000);
    await t.job.round();
    expect((await t.runs())[1]).toMatchObject({ status: "completed", trigger: "nightly", written: 6 });
  });
});
