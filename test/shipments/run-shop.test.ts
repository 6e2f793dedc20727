// One shipment round for a shop, as the worker's job runs it: ownership and
// the fulfilment scopes are checked before anything is read or written; the
// ERP is read from its cursor, page by page; shipments the ERP lists in a form
// the app cannot read are reported; due shipments become fulfilments.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErpConnector, ShipmentRead } from "../../app/connectors/port";
import { MISSING_SCOPES_MESSAGE, runShipmentsForShop } from "../../app/shipments/run-shop";
import { adminFulfillmentPort } from "../../app/shipments/shopify-fulfillments";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import type { ErpShipment } from "../../app/shipments/types";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { shipmentWorld, type ShipmentWorld } from "./world";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});

/** An ERP whose shipments are read two at a time; the cursor is the index. */
function pagedErp(all: (ErpShipment | Record<string, unknown>)[]) {
  const reads: (string | null)[] = [];
  const connector = {
    async readShipments(since: string | null): Promise<ShipmentRead> {
      reads.push(since);
      const from = Number(since ?? 0);
      const page = all.slice(from, from + 2);
      return {
        shipments: page.filter((s): s is ErpShipment => "lines" in s),
        rejected: page.filter((s) => !("lines" in s)).map((s) => ({ shipmentId: String(s.shipmentId), problems: ["lines: Required"] })),
        next: String(from + page.length),
      };
    },
  } as unknown as ErpConnector;
  return { connector, reads };
}

function round(w: ShipmentWorld, connector: ErpConnector) {
  const api = new ShopifyAdminApi({ getAccessToken: async () => w.fake.accessToken, refreshAccessToken: async () => w.fake.accessToken, fetch: w.fake.fetch, clock: w.clock });
  return runShipmentsForShop({ prisma: db.prisma, shop: w.shop, connector, externalIdPrefix: "shopify-", port: adminFulfillmentPort(api.forShop(w.shop)), now: () => new Date(w.clock.now()) });
}

describe("shipments round for one shop", () => {
  it("does nothing while Shopify owns shipments (the default)", async () => {
    const w = shipmentWorld(db.prisma);
    await db.prisma.shopSettings.create({ data: { shop: w.shop } });
    const erp = pagedErp([w.shipmentFor(w.orders[0], "N1", [[0, 1]])]);
    expect(await round(w, erp.connector)).toMatchObject({ skipped: "not-owner" });
    expect(erp.reads).toEqual([]);
  });

  it("checks the fulfilment scopes before every run and says what to approve", async () => {
    const w = shipmentWorld(db.prisma, { scopes: ["read_orders"] });
    await db.prisma.shopSettings.create({ data: { shop: w.shop, shipmentsOwner: "erp" } });
    const erp = pagedErp([w.shipmentFor(w.orders[0], "N1", [[0, 1]])]);
    expect(await round(w, erp.connector)).toMatchObject({ skipped: "missing-scopes", problem: MISSING_SCOPES_MESSAGE });
    expect(erp.reads).toEqual([]);
    const cursor = await db.prisma.shipmentCursor.findUniqueOrThrow({ where: { shop: w.shop } });
    expect(cursor.lastError).toMatch(/missing: read_merchant_managed_fulfillment_orders, write_merchant_managed_fulfillment_orders/);
  });

  it("reads the ERP page by page from its cursor, fulfils, and reports what it cannot read", async () => {
    const w = shipmentWorld(db.prisma);
    await db.prisma.shopSettings.create({ data: { shop: w.shop, shipmentsOwner: "erp", shipmentsNotifyCustomer: false } });
    for (const o of w.orders) await w.registerOrder(o);
    const notOurs = { ...w.shipmentFor(w.orders[1], "R3", [[0, 1]]), externalId: "PO-4711" }; // an ERP sale the app did not create
    const erp = pagedErp([w.shipmentFor(w.orders[0], "R1", [[0, 1]]), { shipmentId: "R-broken" }, w.shipmentFor(w.orders[1], "R2", [[0, 1]]), notOurs]);
    const result = await round(w, erp.connector);
    expect(erp.reads).toEqual([null, "2", "4"]);
    expect(result).toMatchObject({ read: 3, recorded: 2, rejected: 1, processed: { synced: 2 } });
    expect(await db.prisma.shipmentSync.count({ where: { shop: w.shop, shipmentId: "R3" } })).toBe(0);
    expect(result.problem).toMatch(/shipment R-broken in a form the app cannot read: lines: Required/);
    expect(w.fake.fulfillments.created.map((f) => f.notifyCustomer)).toEqual([false, false]);
    // Within the read interval the ERP is not asked again; due shipments still are worked.
    w.clock.advance(60_000);
    await round(w, erp.connector);
    expect(erp.reads).toHaveLength(3);
    w.clock.advance(5 * 60_000);
    await round(w, erp.connector);
    expect(erp.reads.at(-1)).toBe("4");
  });
});

describe("ERP item numbers", () => {
  it("are turned back into the Shopify SKU the shop maps to them, so the shipment matches its order", async () => {
    const w = shipmentWorld(db.prisma);
    await db.prisma.shopSettings.create({ data: { shop: w.shop, shipmentsOwner: "erp" } });
    await w.registerOrder(w.orders[0]);
    const sku = (w.orders[0].lineItems[0] as { sku: string }).sku;
    await db.prisma.skuMapping.create({ data: { shop: w.shop, sku, itemNumber: "ERP-ITEM-7", updatedBy: "test" } });
    const byItemNumber = { ...w.shipmentFor(w.orders[0], "M1", [[0, 1]]), lines: [{ sku: "ERP-ITEM-7", quantity: 1 }] };
    const result = await round(w, pagedErp([byItemNumber]).connector);
    expect(result.processed).toMatchObject({ synced: 1 });
  });
});
