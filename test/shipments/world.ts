// Shared set-up for shipment tests: a migrated database, the fake Admin API
// with fulfilment orders (validated against the committed schema, throttling
// on a virtual clock), the real cost-aware Admin client in front of it (with
// a fetch that can lose answers after Shopify carried the request out), and
// order ledger rows for the orders the app "sent" to the ERP.
import type { PrismaClient } from "@prisma/client";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import { processDueShipments, recordShipments, type ShipmentEngineOptions } from "../../app/shipments/engine";
import { adminFulfillmentPort } from "../../app/shipments/shopify-fulfillments";
import type { ErpShipment } from "../../app/shipments/types";
import { FakeAdminApi, type FakeOrder } from "../../testkit/fake-admin-api";
import { losingAnswers, type LocationSpec } from "../../testkit/fake-admin/fulfillments";
import { createVirtualClock, type VirtualClock } from "../../testkit/virtual-clock";
import { createLogger } from "../../app/logging/logger";
import { Writable } from "node:stream";

export const PREFIX = "shopify-";
const silent = createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) });

export interface ShipmentWorld {
  shop: string;
  fake: FakeAdminApi;
  clock: VirtualClock;
  orders: FakeOrder[];
  /** While true, answers to fulfillmentCreate are lost after Shopify ran it. */
  loseAnswers: boolean;
  registerOrder(order: FakeOrder): Promise<void>;
  /** recordShipments at the world's (virtual) time. */
  record(shipments: ErpShipment[]): ReturnType<typeof recordShipments>;
  run(extra?: Partial<ShipmentEngineOptions>): ReturnType<typeof processDueShipments>;
  shipmentFor(order: FakeOrder, id: string, lines: [lineIndex: number, quantity: number][], tracking?: string[]): ErpShipment;
}

let shopCounter = 0;

export function shipmentWorld(
  prisma: PrismaClient,
  options: { orders?: number; scopes?: string[]; locations?: (order: FakeOrder, index: number) => LocationSpec[]; maximumAvailable?: number } = {},
): ShipmentWorld {
  const shop = `ship-${process.pid}-${++shopCounter}.myshopify.com`;
  const clock = createVirtualClock(Date.UTC(2026, 11, 1, 10, 0, 0));
  const fake = new FakeAdminApi({
    shop,
    clock,
    scopes: options.scopes ?? ["read_orders", "read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders"],
    maximumAvailable: options.maximumAvailable ?? 1000,
    restoreRate: 50,
  });
  const orders = fake.seed({ count: options.orders ?? 2, startAt: new Date(Date.UTC(2026, 10, 28)) });
  orders.forEach((o, i) => fake.fulfillments.setUp(o, options.locations?.(o, i)));
  const world: ShipmentWorld = {
    shop,
    fake,
    clock,
    orders,
    loseAnswers: false,
    async registerOrder(order) {
      await prisma.orderSync.upsert({
        where: { shop_orderId: { shop, orderId: order.legacyResourceId } },
        update: {},
        create: {
          shop,
          orderId: order.legacyResourceId,
          orderGid: order.id,
          orderName: order.name,
          externalId: PREFIX + order.legacyResourceId,
          snapshot: "{}",
          sourceUpdatedAt: new Date(order.updatedAt),
          state: "synced",
        },
      });
    },
    record(shipments) {
      return recordShipments(prisma, shop, shipments, new Date(clock.now()));
    },
    run(extra = {}) {
      const api = new ShopifyAdminApi({
        getAccessToken: async () => fake.accessToken,
        refreshAccessToken: async () => fake.accessToken,
        fetch: losingAnswers(fake.fetch, (body) => world.loseAnswers && body.includes("fulfillmentCreate")),
        clock,
        logger: silent,
        random: () => 0.5,
      });
      return processDueShipments({
        prisma,
        shop,
        port: adminFulfillmentPort(api.forShop(shop)),
        notifyCustomer: true,
        now: () => new Date(clock.now()),
        random: () => 0.5,
        ...extra,
      });
    },
    shipmentFor(order, id, lines, tracking = [`TRK-${id}`]) {
      const items = order.lineItems as { id: string; sku: string | null }[];
      return {
        shipmentId: id,
        documentNumber: `CUS-${id}`,
        externalId: PREFIX + order.legacyResourceId,
        shippedAt: new Date(clock.now()).toISOString(),
        lines: lines.map(([i, quantity]) => ({ lineId: items[i].id.split("/").pop()!, sku: items[i].sku, quantity })),
        tracking: tracking.map((number) => ({ number, company: "DHL Express", url: `https://track.example/${number}` })),
      };
    },
  };
  return world;
}

/** Shippable line indexes of an order and their quantities. */
export function shippableLines(order: FakeOrder): { index: number; quantity: number; sku: string }[] {
  return (order.lineItems as { sku: string | null; quantity: number; requiresShipping: boolean }[])
    .map((l, index) => ({ index, quantity: l.quantity, sku: l.sku ?? "", requiresShipping: l.requiresShipping }))
    .filter((l) => l.requiresShipping)
    .map(({ index, quantity, sku }) => ({ index, quantity, sku }));
}
