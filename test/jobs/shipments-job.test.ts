// The worker's shipments job: each round works only the shops that are
// installed (an offline session), have an ERP connection and let the ERP own
// shipments, each through its own connector and Admin API client, and an ERP
// that fails in one shop is reported there without stopping the others; a
// pushed notice is worked within seconds, between full rounds.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { ErpConnector, ShipmentRead } from "../../app/connectors/port";
import { startShipmentsJob } from "../../app/jobs/shipments-job";
import { encryptSecrets } from "../../app/security/crypto.server";
import { handleShipmentNotice } from "../../app/shipments/notice-endpoint.server";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import type { ShopConfigProvider, ShopSyncConfig } from "../../app/sync/shop-config";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { shipmentWorld } from "../shipments/world";
import { quiet } from "./helpers";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});

it("works every installed shop whose ERP owns shipments, and only those", async () => {
  const owner = shipmentWorld(db.prisma);
  const shopifyOwned = shipmentWorld(db.prisma);
  const uninstalled = shipmentWorld(db.prisma);
  const broken = shipmentWorld(db.prisma);
  for (const w of [owner, shopifyOwned, uninstalled, broken]) {
    await db.prisma.session.create({ data: { id: `offline_${w.shop}`, shop: w.shop, state: "installed", isOnline: false, accessToken: w.fake.accessToken } });
    await w.registerOrder(w.orders[0]);
  }
  await db.prisma.shopSettings.createMany({
    data: [
      { shop: owner.shop, connectorType: "generic-http", shipmentsOwner: "erp" },
      { shop: shopifyOwned.shop, connectorType: "generic-http" },
      { shop: uninstalled.shop, connectorType: "generic-http", shipmentsOwner: "erp", uninstalledAt: new Date() },
      { shop: broken.shop, connectorType: "generic-http", shipmentsOwner: "erp" },
    ],
  });
  const reads: string[] = [];
  const connectorFor = (w: typeof owner): ErpConnector =>
    ({
      async readShipments(): Promise<ShipmentRead> {
        reads.push(w.shop);
        if (w === broken) throw new Error("connector exploded");
        return { shipments: [w.shipmentFor(w.orders[0], `J-${w.shop}`, [[0, 1]])], next: "1", rejected: [] };
      },
    }) as unknown as ErpConnector;
  const worlds = [owner, shopifyOwned, uninstalled, broken];
  const configProvider: ShopConfigProvider = {
    forShop: async (shop) => {
      const w = worlds.find((x) => x.shop === shop)!;
      return { shop, externalIdPrefix: "shopify-", connector: connectorFor(w) } as unknown as ShopSyncConfig;
    },
  };
  // One fetch for all shops: each fake answers its own host.
  const fetchAll: typeof fetch = (input, init) => worlds.find((w) => new URL(String(input instanceof Request ? input.url : input)).host === w.shop)!.fake.fetch(input, init);
  const adminApi = new ShopifyAdminApi({ getAccessToken: async () => owner.fake.accessToken, refreshAccessToken: async () => owner.fake.accessToken, fetch: fetchAll, clock: owner.clock });
  const job = startShipmentsJob({ prisma: db.prisma, adminApi, logger: quiet, configProvider, everyMs: 3_600_000, now: () => new Date(owner.clock.now()) });
  // The loop's first round starts at once: wait for it to have worked both shops, then stop.
  await vi.waitFor(
    async () => {
      expect(await db.prisma.shipmentCursor.count({ where: { shop: { in: [owner.shop, broken.shop] }, lastRunAt: { not: null } } })).toBe(2);
    },
    { timeout: 20_000, interval: 50 },
  );
  await job.stop();
  const rows = await db.prisma.shipmentSync.findMany({ select: { shop: true, state: true } });
  expect(rows).toEqual([{ shop: owner.shop, state: "synced" }]);
  expect(owner.fake.fulfillments.created).toHaveLength(1);
  expect(shopifyOwned.fake.fulfillments.created).toHaveLength(0);
  expect(reads.sort()).toEqual([broken.shop, owner.shop, owner.shop].sort()); // the owner's second page is empty
  // The broken ERP is reported on that shop's Shipments page; the other shop's round went on.
  expect((await db.prisma.shipmentCursor.findUniqueOrThrow({ where: { shop: broken.shop } })).lastError).toMatch(/Reading shipments from the ERP failed/);
  // A round run by hand reports per shop (nothing new now).
  const results = await job.runAll();
  expect(results.map((r) => r.shop).sort()).toEqual([owner.shop, broken.shop].sort());
  expect(results.find((r) => r.shop === owner.shop)).toMatchObject({ recorded: 0, problem: null });
});

it("works a pushed shipment notice within seconds, not at the next full round", async () => {
  const w = shipmentWorld(db.prisma);
  const secret = "whsec-wake-0123456789";
  await db.prisma.session.create({ data: { id: `offline_${w.shop}`, shop: w.shop, state: "installed", isOnline: false, accessToken: w.fake.accessToken } });
  await w.registerOrder(w.orders[0]);
  await db.prisma.shopSettings.create({ data: { shop: w.shop, connectorType: "generic-http", connectorSecrets: encryptSecrets(w.shop, { signingSecret: secret }), shipmentsOwner: "erp" } });
  const connector = { readShipments: async (): Promise<ShipmentRead> => ({ shipments: [], next: null, rejected: [] }) } as unknown as ErpConnector;
  const configProvider: ShopConfigProvider = { forShop: async (shop) => ({ shop, externalIdPrefix: "shopify-", connector }) as unknown as ShopSyncConfig };
  const adminApi = new ShopifyAdminApi({ getAccessToken: async () => w.fake.accessToken, refreshAccessToken: async () => w.fake.accessToken, fetch: w.fake.fetch, clock: w.clock });
  // A full round only once an hour; the look for new due shipments every 50 ms.
  const job = startShipmentsJob({ prisma: db.prisma, adminApi, logger: quiet, configProvider, everyMs: 3_600_000, wakeEveryMs: 50 });
  try {
    await vi.waitFor(async () => expect((await db.prisma.shipmentCursor.findUnique({ where: { shop: w.shop } }))?.lastRunAt).toBeTruthy(), { timeout: 20_000, interval: 50 });
    const body = JSON.stringify(w.shipmentFor(w.orders[0], "PUSH-1", [[0, 1]], ["1Z-PUSH"]));
    const signature = createHmac("sha256", secret).update(body).digest("base64");
    const answer = await handleShipmentNotice(
      new Request(`https://app.example/erp/${w.shop}/shipments`, { method: "POST", body, headers: { "X-Signature-SHA256": signature } }),
      w.shop,
      { prisma: db.prisma },
    );
    expect(answer.status).toBe(202);
    await vi.waitFor(async () => expect((await db.prisma.shipmentSync.findUniqueOrThrow({ where: { shop_shipmentId: { shop: w.shop, shipmentId: "PUSH-1" } } })).state).toBe("synced"), {
      timeout: 20_000,
      interval: 50,
    });
    expect(w.fake.fulfillments.created).toHaveLength(1);
  } finally {
    await job.stop();
  }
});
