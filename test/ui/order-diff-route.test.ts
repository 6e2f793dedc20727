// The three-way diff's resource route with real session-token requests:
// another shop's order is a 404 for both comparing and applying (nothing is
// read from Shopify or the ERP for it), and a shop without an ERP gets the
// plain reason instead of a comparison. The comparison itself is covered
// through the engine in test/sync/three-way-diff.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabaseForShop } from "../support/app-modules";
import { callRoute, signedRequests, type Handler } from "../support/route-calls";
import type { TestDatabase } from "../../testkit/db";

const STORE = "diff-route-test";
const SHOP = `${STORE}.myshopify.com`;
let db: TestDatabase;
let route: { loader: Handler; action: Handler };
let mine: string;
let theirs: string;

const { bearer: request } = signedRequests(STORE);

beforeAll(async () => {
  db = await useTestDatabaseForShop(SHOP);
  route = (await import("../../app/routes/app.orders.$id.diff")) as unknown as typeof route;
  const row = (shop: string, orderId: string) => ({ shop, orderId, orderGid: `gid://shopify/Order/${orderId}`, orderName: `#${orderId}`, externalId: `shopify-${orderId}`, snapshot: "{}", sourceUpdatedAt: new Date() });
  mine = (await db.prisma.orderSync.create({ data: row(SHOP, "81") })).id;
  theirs = (await db.prisma.orderSync.create({ data: { ...row("not-yours.myshopify.com", "82"), state: "synced" } })).id;
});
afterAll(async () => db.cleanup());

describe("three-way diff route", () => {
  it("another shop's order is a 404 for comparing and for applying, and stays as it was", async () => {
    expect((await callRoute(route.loader, await request(`/app/orders/${theirs}/diff`), { id: theirs })).status).toBe(404);
    expect((await callRoute(route.action, await request(`/app/orders/${theirs}/diff`, { method: "POST" }), { id: theirs })).status).toBe(404);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: theirs } })).state).toBe("synced");
  });

  it("a shop without an ERP gets the reason in words, and applying queues nothing", async () => {
    const response = await callRoute(route.loader, await request(`/app/orders/${mine}/diff`), { id: mine });
    expect(await response.json()).toMatchObject({ view: { available: false, message: "No ERP is connected yet, so there is nothing to compare with." } });
    const applied = await callRoute(route.action, await request(`/app/orders/${mine}/diff`, { method: "POST" }), { id: mine });
    expect(await applied.json()).toMatchObject({ ok: false, message: "No ERP is connected yet, so there is nothing to compare with." });
    expect(await db.prisma.orderAction.count({ where: { orderSyncId: mine } })).toBe(0);
  });
});
