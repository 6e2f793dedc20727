// The shipment engine end to end against the fake Admin API (every document
// validated against the committed 2026-10 schema) through the real Admin
// client, on SQLite or PostgreSQL (TEST_DATABASE=postgres).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retryShipment } from "../../app/shipments/engine";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { shipmentWorld } from "./world";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});

const rowOf = (shop: string, shipmentId: string) => db.prisma.shipmentSync.findUniqueOrThrow({ where: { shop_shipmentId: { shop, shipmentId } } });

describe("shipment engine", () => {
  it("turns an ERP shipment into one Shopify fulfilment with its tracking, and ignores a repeat", async () => {
    const w = shipmentWorld(db.prisma);
    const order = w.orders[0];
    await w.registerOrder(order);
    const s = w.shipmentFor(order, "A1", [[0, 1]], ["TRK-1", "TRK-2"]);
    expect(await w.record([s])).toEqual({ added: 1, duplicates: 0, updated: 0 });
    expect(await w.run()).toMatchObject({ synced: 1 });
    expect(await w.record([s])).toEqual({ added: 0, duplicates: 1, updated: 0 });
    expect(await w.run()).toMatchObject({ claimed: 0 });
    expect(w.fake.fulfillments.created).toHaveLength(1);
    const f = w.fake.fulfillments.created[0];
    expect(f.trackingInfo.map((t) => t.number)).toEqual(["TRK-1", "TRK-2"]);
    expect(f.trackingInfo[0]).toMatchObject({ company: "DHL Express", url: "https://track.example/TRK-1" });
    expect(f.notifyCustomer).toBe(true);
    const row = await rowOf(w.shop, "A1");
    expect(row).toMatchObject({ state: "synced", fulfillmentId: f.id, orderName: order.name, trackingNumbers: "TRK-1, TRK-2", maybeSent: false });
    expect(w.fake.invalidQueries).toEqual([]);
  });

  it("after a lost answer, finds the fulfilment Shopify made instead of creating a second", async () => {
    const w = shipmentWorld(db.prisma);
    const order = w.orders[0];
    await w.registerOrder(order);
    await w.record([w.shipmentFor(order, "L1", [[0, 1]])]);
    w.loseAnswers = true;
    expect(await w.run()).toMatchObject({ retrying: 1 });
    expect(await rowOf(w.shop, "L1")).toMatchObject({ state: "retrying", maybeSent: true });
    w.loseAnswers = false;
    w.clock.advance(60 * 60_000);
    expect(await w.run()).toMatchObject({ synced: 1 });
    expect(w.fake.fulfillments.calls.filter((c) => c.accepted)).toHaveLength(1);
    expect((await rowOf(w.shop, "L1")).fulfillmentId).toBe(w.fake.fulfillments.created[0].id);
  });

  it("takes over the shipment of a worker killed after sending, without a second fulfilment", async () => {
    const w = shipmentWorld(db.prisma);
    const order = w.orders[0];
    await w.registerOrder(order);
    await w.record([w.shipmentFor(order, "K1", [[0, 1]])]);
    await expect(
      w.run({
        checkpoint: (step) => {
          if (step === "after-send") throw new Error("worker killed");
        },
      }),
    ).rejects.toThrow("worker killed");
    expect(await rowOf(w.shop, "K1")).toMatchObject({ state: "sending", maybeSent: true });
    expect(await w.run()).toMatchObject({ claimed: 0 }); // the lease still holds
    w.clock.advance(6 * 60_000);
    expect(await w.run()).toMatchObject({ synced: 1 });
    expect(w.fake.fulfillments.created).toHaveLength(1);
  });

  it("waits for an order the app has not recorded yet, then fulfils it", async () => {
    const w = shipmentWorld(db.prisma);
    const order = w.orders[1];
    await w.record([w.shipmentFor(order, "E1", [[0, 1]])]);
    expect(await w.run()).toMatchObject({ retrying: 1 });
    expect((await rowOf(w.shop, "E1")).lastError).toMatch(/before the app had recorded that order/);
    await w.registerOrder(order);
    w.clock.advance(60 * 60_000);
    expect(await w.run()).toMatchObject({ synced: 1 });
  });

  it("tells staff when Shopify holds the order, and sends it once they choose Retry after the hold is released", async () => {
    const w = shipmentWorld(db.prisma, { locations: () => [{ name: "Main", status: "ON_HOLD", holdReason: "HIGH_RISK_OF_FRAUD" }] });
    const order = w.orders[0];
    await w.registerOrder(order);
    await w.record([w.shipmentFor(order, "H1", [[0, 1]])]);
    expect(await w.run()).toMatchObject({ needsAttention: 1 });
    const row = await rowOf(w.shop, "H1");
    expect(row.lastError).toMatch(/on hold \(high risk of fraud\)\. Release the hold in Shopify/);
    w.fake.fulfillments.fulfillmentOrdersOf(order)[0].status = "OPEN";
    expect(await retryShipment(db.prisma, w.shop, row.id)).toBe(true);
    expect(await w.run()).toMatchObject({ synced: 1 });
  });

  it("says what to do when the merchant has not granted the fulfilment permission", async () => {
    const w = shipmentWorld(db.prisma, { scopes: ["read_orders", "read_merchant_managed_fulfillment_orders"] });
    const order = w.orders[0];
    await w.registerOrder(order);
    await w.record([w.shipmentFor(order, "P1", [[0, 1]])]);
    expect(await w.run()).toMatchObject({ needsAttention: 1 });
    expect((await rowOf(w.shop, "P1")).lastError).toMatch(/missing a Shopify permission/);
    expect(w.fake.fulfillments.created).toHaveLength(0);
  });

  it("explains items Shopify expects from another location", async () => {
    const w = shipmentWorld(db.prisma, { locations: () => [{ name: "Warehouse East" }] });
    const order = w.orders[0];
    await w.registerOrder(order);
    await w.record([{ ...w.shipmentFor(order, "W1", [[0, 1]]), locationName: "Main" }]);
    await w.run();
    expect((await rowOf(w.shop, "W1")).lastError).toMatch(/^Shopify expects these items from 'Warehouse East'; the ERP shipped from 'Main'/);
  });

  it("two workers at once: every shipment of an order becomes exactly one fulfilment", async () => {
    const w = shipmentWorld(db.prisma, { orders: 3 });
    const shipments = w.orders.flatMap((o, i) => {
      const qty = (o.lineItems[0] as { quantity: number }).quantity;
      return Array.from({ length: qty }, (_, k) => w.shipmentFor(o, `C${i}-${k}`, [[0, 1]]));
    });
    for (const o of w.orders) await w.registerOrder(o);
    await w.record(shipments);
    for (let round = 0; round < 10; round++) {
      await Promise.all([w.run(), w.run()]);
      if ((await db.prisma.shipmentSync.count({ where: { shop: w.shop, state: { not: "synced" } } })) === 0) break;
      w.clock.advance(31 * 60_000);
    }
    const rows = await db.prisma.shipmentSync.findMany({ where: { shop: w.shop } });
    expect(rows.map((r) => r.state)).toEqual(shipments.map(() => "synced"));
    expect(w.fake.fulfillments.created).toHaveLength(shipments.length);
    expect(new Set(rows.map((r) => r.fulfillmentId)).size).toBe(shipments.length);
  });

  it("keeps shops apart: a shipment id of one shop is not a duplicate in another", async () => {
    const a = shipmentWorld(db.prisma);
    const b = shipmentWorld(db.prisma);
    const s = a.shipmentFor(a.orders[0], "SAME", [[0, 1]]);
    expect((await a.record([s])).added).toBe(1);
    expect((await b.record([s])).added).toBe(1);
  });
});
