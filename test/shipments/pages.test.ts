// The shipment pages' loaders and actions with real session-token requests:
// the Shipments list (states, problems, counts) is scoped to the session's
// shop, Retry / Mark resolved act only on the shop's own shipments, the order
// page lists the order's shipments with tracking, and the settings card saves
// who owns shipments.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForShop } from "../support/app-modules";
import { callRoute, formPost, signedRequests, type Handler, type RouteModule } from "../support/route-calls";
import type { TestDatabase } from "../../testkit/db";

const STORE = "shipments-pages";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "someone-else.myshopify.com";
let db: TestDatabase;
const routes: Record<string, RouteModule> = {};

const { admin, bearer } = signedRequests(STORE);

let problemId = "";
let otherId = "";
let orderSyncId = "";

beforeAll(async () => {
  db = await useTestDatabaseForShop(SHOP);
  routes.shipments = await import("../../app/routes/app.shipments/route");
  routes.detail = await import("../../app/routes/app.orders.$id/route");
  routes.settings = await import("../../app/routes/app.settings.shipments");
  routes.api = await import("../../app/routes/api.orders.$orderId.sync");
  const order = await db.prisma.orderSync.create({
    data: { shop: SHOP, orderId: "9001", orderGid: "gid://shopify/Order/9001", orderName: "#9001", externalId: "shopify-9001", snapshot: "{}", sourceUpdatedAt: new Date(), state: "synced" },
  });
  orderSyncId = order.id;
  const base = { externalId: "shopify-9001", orderId: "9001", orderName: "#9001", shipment: "{}" };
  await db.prisma.shipmentSync.create({
    data: { ...base, shop: SHOP, shipmentId: "S-OK", documentNumber: "CUS-1", state: "synced", trackingNumbers: "TRK-1, TRK-2", fulfillmentName: "#9001-F1", syncedAt: new Date() },
  });
  problemId = (
    await db.prisma.shipmentSync.create({
      data: { ...base, shop: SHOP, shipmentId: "S-BAD", state: "needs_attention", lastError: "Shopify has put the fulfilment of Mug on order #9001 on hold (awaiting payment)." },
    })
  ).id;
  otherId = (await db.prisma.shipmentSync.create({ data: { ...base, shop: OTHER, shipmentId: "S-X", state: "needs_attention", lastError: "secret of another shop" } })).id;
});
afterAll(async () => {
  await db.cleanup();
});

describe("Shipments page", () => {
  it("lists the shop's shipments with states, tracking and problems, and counts them, never another shop's", async () => {
    const res = await callRoute(routes.shipments.loader!, await admin("/app/shipments"));
    const body = (await res.json()) as { rows: { shipmentId: string; state: string; trackingNumbers: string; lastError: string | null }[]; counts: Record<string, number> };
    expect(body.rows.map((r) => r.shipmentId).sort()).toEqual(["S-BAD", "S-OK"]);
    expect(body.counts).toMatchObject({ synced: 1, needs_attention: 1 });
    expect(JSON.stringify(body)).not.toContain("secret of another shop");
    const filtered = (await (await callRoute(routes.shipments.loader!, await admin("/app/shipments?state=needs_attention"))).json()) as { rows: { lastError: string }[] };
    expect(filtered.rows).toEqual([expect.objectContaining({ lastError: expect.stringMatching(/on hold/) })]);
  });

  it("retries the shop's own shipment and refuses another shop's", async () => {
    const mine = await (await callRoute(routes.shipments.action!, await admin("/app/shipments", formPost({ id: problemId, intent: "retry" })))).json();
    expect(mine).toMatchObject({ ok: true });
    expect((await db.prisma.shipmentSync.findUniqueOrThrow({ where: { id: problemId } })).state).toBe("retrying");
    const theirs = await (await callRoute(routes.shipments.action!, await admin("/app/shipments", formPost({ id: otherId, intent: "retry" })))).json();
    expect(theirs).toMatchObject({ ok: false });
    expect((await db.prisma.shipmentSync.findUniqueOrThrow({ where: { id: otherId } })).state).toBe("needs_attention");
  });
});

describe("order page", () => {
  it("shows each shipment of the order with its tracking and when it reached Shopify", async () => {
    const res = await callRoute(routes.detail.loader!, await admin(`/app/orders/${orderSyncId}`), { id: orderSyncId });
    const body = (await res.json()) as { shipments: { documentNumber: string | null; trackingNumbers: string; fulfillmentName: string | null; syncedAt: string | null }[] };
    expect(body.shipments).toEqual(
      expect.arrayContaining([expect.objectContaining({ documentNumber: "CUS-1", trackingNumbers: "TRK-1, TRK-2", fulfillmentName: "#9001-F1", syncedAt: expect.any(String) })]),
    );
    expect(body.shipments).toHaveLength(2);
  });
});

describe("order-page admin extension", () => {
  it("shows each shipment's tracking and fulfilment, or its problem", async () => {
    const request = await bearer("/api/orders/9001/sync");
    const body = (await (await callRoute(routes.api.loader!, request, { orderId: "9001" })).json()) as { shipments: unknown[] };
    expect(body.shipments).toEqual(
      expect.arrayContaining([
        { document: "CUS-1", state: "synced", tracking: "TRK-1, TRK-2", fulfillment: "#9001-F1", problem: null },
        expect.objectContaining({ document: "S-BAD", fulfillment: null }),
      ]),
    );
  });
});

describe("settings: who owns shipments", () => {
  it("defaults to Shopify, saves the ERP with the notify choice, and refuses nonsense", async () => {
    const before = await (await callRoute(routes.settings.loader!, await admin("/app/settings/shipments"))).json();
    expect(before).toMatchObject({ owner: "shopify", notifyCustomer: true, scopes: expect.arrayContaining(["write_merchant_managed_fulfillment_orders"]) });
    const json = (b: unknown) => ({ method: "POST", body: JSON.stringify(b), headers: { "Content-Type": "application/json" } });
    expect(await (await callRoute(routes.settings.action!, await admin("/app/settings/shipments", json({ owner: "erp", notifyCustomer: false })))).json()).toMatchObject({ ok: true });
    expect(await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ shipmentsOwner: "erp", shipmentsNotifyCustomer: false });
    expect(await (await callRoute(routes.settings.action!, await admin("/app/settings/shipments", json({ owner: "warehouse" })))).json()).toMatchObject({ ok: false });
  });
});

describe("the ERP's shipment notice route (POST /erp/<shop>/shipments)", () => {
  it("takes a notice signed with the shop's secret without a session, refuses an unsigned one, and answers GET with 405", async () => {
    const routeModule = (await import("../../app/routes/erp.$shop.shipments")) as { action: Handler; loader: Handler };
    const { encryptSecrets } = await import("../../app/security/crypto.server");
    const secret = "whsec-route-0123456789";
    const shop = "notice-route.myshopify.com";
    await db.prisma.shopSettings.create({ data: { shop, connectorType: "generic-http", connectorSecrets: encryptSecrets(shop, { signingSecret: secret }), shipmentsOwner: "erp" } });
    const body = JSON.stringify({ shipmentId: "R-1", externalId: "shopify-9002", lines: [{ sku: "MUG", quantity: 1 }], tracking: [{ number: "TRK-R1" }] });
    const post = (signature: string) =>
      callRoute(routeModule.action, new Request(`${APP_URL}/erp/${shop}/shipments`, { method: "POST", body, headers: { "Content-Type": "application/json", "X-Signature-SHA256": signature } }), { shop });
    const unsigned = await post("bm9wZQ==");
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).message).toMatch(/signature does not match/);
    expect((await post(createHmac("sha256", secret).update(body).digest("base64"))).status).toBe(202);
    expect(await db.prisma.shipmentSync.findMany({ where: { shop }, select: { shipmentId: true, trackingNumbers: true } })).toEqual([{ shipmentId: "R-1", trackingNumbers: "TRK-R1" }]);
    expect((await callRoute(routeModule.loader, new Request(`${APP_URL}/erp/${shop}/shipments`), { shop })).status).toBe(405);
  });
});
