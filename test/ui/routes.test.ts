// The merchant pages' loaders and actions, called with real requests carrying
// a session token (the library's own authentication path): shop scoping
// (another shop's id is a 404), replay actions through the engine with the
// staff member recorded, bulk actions, CSV export, and the admin extension's
// bearer-token backend with CORS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_URL, USER_ID } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForShop } from "../support/app-modules";
import { callRoute, formPost, signedRequests, type RouteModule } from "../support/route-calls";
import type { TestDatabase } from "../../testkit/db";
import { seedLedger } from "./seed";

const STORE = "pages-test";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "not-yours.myshopify.com";

let db: TestDatabase;
const routes: Record<string, RouteModule> = {};
let mine: { id: string; orderId: string };
let theirs: { id: string; orderId: string };
let bulkRows: { id: string }[];

const { admin, bearer } = signedRequests(STORE);

beforeAll(async () => {
  db = await useTestDatabaseForShop(SHOP);
  routes.detail = await import("../../app/routes/app.orders.$id/route");
  routes.list = await import("../../app/routes/app.orders._index/route");
  routes.exportCsv = await import("../../app/routes/app.orders.export");
  routes.api = await import("../../app/routes/api.orders.$orderId.sync");
  [mine, theirs] = await seedLedger(db.prisma, [
    { shop: SHOP, orderId: "7001", orderName: "#7001", state: "needs_attention", problems: JSON.stringify(['Line item "Red Mug" has no SKU. Add a SKU to the variant in Shopify, then retry.']), shopifyTotal: "25.00", currency: "EUR" },
    { shop: OTHER, orderId: "7002", orderName: "#7002", state: "needs_attention", lastError: "secret of another shop" },
  ]);
  bulkRows = await seedLedger(db.prisma, [
    { shop: SHOP, orderName: "#B1", state: "failed" },
    { shop: SHOP, orderName: "#B2", state: "failed" },
  ]);
});
afterAll(async () => db.cleanup());

describe("order detail page", () => {
  it("shows this shop's order with its problems in plain words", async () => {
    const response = await callRoute(routes.detail.loader!, await admin(`/app/orders/${mine.id}`), { id: mine.id });
    expect(response.status).toBe(200);
    const { order } = (await response.json()) as { order: { orderName: string; problems: string[]; shopifyAdminUrl: string; totals: { status: string } } };
    expect(order.orderName).toBe("#7001");
    expect(order.problems[0]).toMatch(/has no SKU/);
    expect(order.shopifyAdminUrl).toBe("shopify:admin/orders/7001");
    expect(order.totals.status).toBe("unknown");
  });

  it("answers 404 for another shop's order id and does not leak its content", async () => {
    const response = await callRoute(routes.detail.loader!, await admin(`/app/orders/${theirs.id}`), { id: theirs.id });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("secret of another shop");
  });

  it("refuses to act on another shop's order (404) and leaves it unchanged", async () => {
    const response = await callRoute(routes.detail.action!, await bearer(`/app/orders/${theirs.id}`, formPost([["intent", "retry_now"]])), { id: theirs.id });
    expect(response.status).toBe(404);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: theirs.id } })).state).toBe("needs_attention");
    expect(await db.prisma.orderAction.count({ where: { orderSyncId: theirs.id } })).toBe(0);
  });

  it("'Retry now' puts the order back in the queue and records which staff member did it", async () => {
    const response = await callRoute(routes.detail.action!, await bearer(`/app/orders/${mine.id}`, formPost([["intent", "retry_now"]])), { id: mine.id });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; message: string };
    expect(body.ok).toBe(true);
    expect(body.message).toMatch(/^1 order is back in the queue; the app sends it within a few seconds\. Waiting for the worker; no worker has reported yet\./);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: mine.id } })).state).toBe("pending");
    const actions = await db.prisma.orderAction.findMany({ where: { orderSyncId: mine.id } });
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ action: "retry_now", actor: `staff user ${USER_ID}`, shop: SHOP });
  });

  it("'Skip' with a reason shows that reason and who skipped", async () => {
    await callRoute(routes.detail.action!, await bearer(`/app/orders/${mine.id}`, formPost([["intent", "skip"], ["note", "Duplicate of #7000"]])), { id: mine.id });
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: mine.id } });
    expect(row.state).toBe("skipped");
    expect(row.skipReason).toContain("Duplicate of #7000");
    expect(row.skipReason).toContain(`staff user ${USER_ID}`);
  });
});

describe("orders list", () => {
  it("bulk retry changes only this shop's selected rows, even if another shop's id is slipped in", async () => {
    const request = await bearer("/app/orders", formPost([["intent", "retry_now"], ["id", bulkRows[0].id], ["id", bulkRows[1].id], ["id", theirs.id]]));
    const body = (await (await callRoute(routes.list.action!, request)).json()) as { ok: boolean; message: string };
    expect(body.message).toMatch(/^2 orders are back in the queue; the app sends them within a few seconds\. 1 not found in this shop\./);
    const states = await db.prisma.orderSync.findMany({ where: { id: { in: [...bulkRows.map((r) => r.id), theirs.id] } }, select: { id: true, state: true } });
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [bulkRows[0].id]: "pending", [bulkRows[1].id]: "pending", [theirs.id]: "needs_attention" });
  });

  it("the loader turns the URL's filters into the page's rows", async () => {
    const response = await callRoute(routes.list.loader!, await admin("/app/orders?state=pending&q=%23B"));
    const data = (await response.json()) as { rows: { orderName: string }[]; filtered: boolean };
    expect(data.rows.map((r) => r.orderName).sort()).toEqual(["#B1", "#B2"]);
    expect(data.filtered).toBe(true);
  });

  it("CSV export is a download of the filtered rows of this shop only", async () => {
    const response = await callRoute(routes.exportCsv.loader!, await bearer("/app/orders/export?state=needs_attention"));
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="erp-sync-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await response.text();
    expect(text.split("\n")[0]).toContain("Order,Shopify order id,External id,Sync state");
    expect(text).not.toContain("#7002");
  });
});

describe("admin extension backend", () => {
  it("answers a CORS preflight from Shopify's admin", async () => {
    const response = await callRoute(routes.api.action!, new Request(`${APP_URL}/api/orders/7001/sync`, { method: "OPTIONS", headers: { Origin: "https://extensions.shopifycdn.com" } }), { orderId: "7001" });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });

  it("returns the order's sync state to a bearer-token request, with CORS headers, by GID or legacy id", async () => {
    // Extensions run on Shopify's origin: the library adds CORS headers for a foreign Origin.
    const request = await bearer("/api/orders/7001/sync", { headers: { Origin: "https://extensions.shopifycdn.com" } });
    const response = await callRoute(routes.api.loader!, request, { orderId: encodeURIComponent("gid://shopify/Order/7001") });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await response.json()) as { orderName: string; state: string; stateLabel: string };
    expect(body).toMatchObject({ orderName: "#7001", state: "skipped", stateLabel: "Skipped" });
  });

  it("does not answer without a valid token", async () => {
    const response = await callRoute(routes.api.loader!, new Request(`${APP_URL}/api/orders/7001/sync`, { headers: { Authorization: "Bearer forged" } }), { orderId: "7001" });
    expect(response.status).toBe(401);
  });

  it("answers 404 for another shop's order, in the same words as for an unknown one", async () => {
    const theirsResponse = await callRoute(routes.api.loader!, await bearer("/api/orders/7002/sync"), { orderId: "7002" });
    const unknownResponse = await callRoute(routes.api.loader!, await bearer("/api/orders/9999/sync"), { orderId: "9999" });
    expect(theirsResponse.status).toBe(404);
    expect(await theirsResponse.text()).toBe(await unknownResponse.text());
  });

  it("resync puts the order back in the queue and records the staff member", async () => {
    const response = await callRoute(routes.api.action!, await bearer("/api/orders/7001/sync", { method: "POST" }), { orderId: "7001" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; status: { state: string } };
    expect(body.ok).toBe(true);
    expect(body.status.state).toBe("pending");
    const last = await db.prisma.orderAction.findFirstOrThrow({ where: { orderSyncId: mine.id }, orderBy: { createdAt: "desc" } });
    expect(last).toMatchObject({ action: "retry_now", actor: `staff user ${USER_ID}`, note: "Resync from the order page in Shopify admin" });
  });
});
