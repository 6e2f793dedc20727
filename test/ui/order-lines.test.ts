// Fix the order from the order: the order page lists its lines with the ERP
// item each goes out as and where that came from; a line whose item is the
// problem offers "Map OLD-TEE-M to an ERP item", and then "Retry the N orders
// waiting on OLD-TEE-M" retries exactly those orders (not one waiting on a
// longer SKU, not another shop's). Saving a mapping in Settings offers the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabaseForShop } from "../support/app-modules";
import { callRoute, formPost, signedRequests, type RouteModule } from "../support/route-calls";
import type { TestDatabase } from "../../testkit/db";
import { seedLedger } from "./seed";
import { mentions } from "../../app/models/order-lines.server";

const STORE = "lines-test";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "other-lines.myshopify.com";

let db: TestDatabase;
const routes: Record<string, RouteModule> = {};

const { admin, bearer } = signedRequests(STORE);
const post = (path: string, entries: [string, string][]) => bearer(path, formPost(entries));
const postJson = (path: string, body: unknown) => bearer(path, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

const snapshot = (lines: { sku: string | null; title: string; qty: number; current?: number; price: string }[]) =>
  JSON.stringify({
    id: 1,
    name: "#3001",
    currency: "EUR",
    line_items: lines.map((l, i) => ({ id: 100 + i, title: l.title, name: l.title, sku: l.sku, quantity: l.qty, current_quantity: l.current ?? l.qty, price: l.price })),
  });
const unknownItem = (order: string) => `Cannot sync order ${order}: Tryton has no item for "Old tee / M" (item number OLD-TEE-M). Map the SKU …`;

let orderId: string;
let waitingIds: string[];
let unrelated: string;
let foreign: string;

beforeAll(async () => {
  db = await useTestDatabaseForShop(SHOP);
  routes.detail = await import("../../app/routes/app.orders.$id/route");
  routes.settings = await import("../../app/routes/app.settings/route");
  await db.prisma.skuMapping.create({ data: { shop: SHOP, sku: "BLUE-MUG", itemNumber: "ITEM-4711", updatedBy: "staff" } });
  const lines = [
    { sku: "BLUE-MUG", title: "Blue mug", qty: 2, current: 1, price: "12.50" },
    { sku: "OLD-TEE-M", title: "Old tee / M", qty: 1, price: "19.90" },
  ];
  const rows = await seedLedger(db.prisma, [
    { shop: SHOP, orderName: "#3001", state: "needs_attention", snapshot: snapshot(lines), searchText: "#3001 blue-mug old-tee-m", lastError: unknownItem("#3001") },
    { shop: SHOP, orderName: "#3002", state: "failed", searchText: "#3002 old-tee-m", lastError: unknownItem("#3002") },
    { shop: SHOP, orderName: "#3003", state: "needs_attention", searchText: "#3003 old-tee-m", problems: JSON.stringify([unknownItem("#3003")]) },
    // Carries a longer SKU and is stuck on that one: not waiting on OLD-TEE-M.
    { shop: SHOP, orderName: "#3004", state: "needs_attention", searchText: "#3004 old-tee-mx", lastError: 'Tryton has no item for "Old tee / MX" (item number OLD-TEE-MX).' },
    { shop: OTHER, orderName: "#3005", state: "needs_attention", searchText: "#3005 old-tee-m", lastError: unknownItem("#3005") },
  ]);
  orderId = rows[0].id;
  waitingIds = rows.slice(0, 3).map((r) => r.id);
  unrelated = rows[3].id;
  foreign = rows[4].id;
});
afterAll(async () => db.cleanup());

describe("the order's lines", () => {
  it("shows title, SKU, current quantity, price and the ERP item with its source; marks the line the problem is about", async () => {
    const response = await callRoute(routes.detail.loader!, await admin(`/app/orders/${orderId}`), { id: orderId });
    const data = (await response.json()) as { lines: unknown[]; currency: string; waitingBySku: Record<string, number> };
    expect(data.currency).toBe("EUR");
    expect(data.lines).toEqual([
      expect.objectContaining({ title: "Blue mug", sku: "BLUE-MUG", quantity: 1, unitPrice: "12.50", erpItem: "ITEM-4711", itemSource: "mapping", itemProblem: false }),
      expect.objectContaining({ title: "Old tee / M", sku: "OLD-TEE-M", quantity: 1, unitPrice: "19.90", erpItem: "OLD-TEE-M", itemSource: "sku", itemProblem: true }),
    ]);
    expect(data.waitingBySku).toEqual({ "OLD-TEE-M": 3 });
  });

  it("matches a SKU only as a whole token", () => {
    expect(mentions('item number OLD-TEE-M)', "OLD-TEE-M")).toBe(true);
    expect(mentions("item number OLD-TEE-MX)", "OLD-TEE-M")).toBe(false);
  });
});

describe("map the SKU, then retry the orders waiting on it", () => {
  it("an empty item number is refused next to the field and nothing is saved", async () => {
    const response = await callRoute(routes.detail.action!, await post(`/app/orders/${orderId}`, [["intent", "map_sku"], ["sku", "OLD-TEE-M"], ["itemNumber", " "]]), { id: orderId });
    const body = (await response.json()) as { ok: boolean; fieldError?: string };
    expect(body.ok).toBe(false);
    expect(body.fieldError).toBeTruthy();
    expect(await db.prisma.skuMapping.count({ where: { shop: SHOP, sku: "OLD-TEE-M" } })).toBe(0);
  });

  it("saves the mapping and says how many orders wait on the SKU", async () => {
    const response = await callRoute(routes.detail.action!, await post(`/app/orders/${orderId}`, [["intent", "map_sku"], ["sku", "OLD-TEE-M"], ["itemNumber", "TEE-0042"]]), { id: orderId });
    expect(await response.json()).toMatchObject({ ok: true, waiting: 3, message: "Saved: OLD-TEE-M is sent as ERP item TEE-0042 from now on." });
    expect(await db.prisma.skuMapping.findUniqueOrThrow({ where: { shop_sku: { shop: SHOP, sku: "OLD-TEE-M" } } })).toMatchObject({ itemNumber: "TEE-0042" });
    // The line now says where its item comes from.
    const data = (await (await callRoute(routes.detail.loader!, await admin(`/app/orders/${orderId}`), { id: orderId })).json()) as { lines: { erpItem: string; itemSource: string }[] };
    expect(data.lines[1]).toMatchObject({ erpItem: "TEE-0042", itemSource: "mapping" });
  });

  it("'Retry the 3 orders waiting on OLD-TEE-M' queues exactly those three", async () => {
    const response = await callRoute(routes.detail.action!, await post(`/app/orders/${orderId}`, [["intent", "retry_waiting"], ["sku", "OLD-TEE-M"]]), { id: orderId });
    const body = (await response.json()) as { ok: boolean; message: string };
    expect(body.ok).toBe(true);
    expect(body.message).toMatch(/^3 orders waiting on OLD-TEE-M are back in the queue/);
    const states = await db.prisma.orderSync.findMany({ where: { id: { in: [...waitingIds, unrelated, foreign] } }, select: { id: true, state: true } });
    const by = Object.fromEntries(states.map((s) => [s.id, s.state]));
    expect(waitingIds.map((id) => by[id])).toEqual(["pending", "pending", "pending"]);
    expect(by[unrelated]).toBe("needs_attention");
    expect(by[foreign]).toBe("needs_attention");
  });

  it("a mapping saved in Settings offers the same retry, including for orders stuck on the SKU's old item number", async () => {
    await db.prisma.orderSync.update({ where: { id: waitingIds[1] }, data: { state: "needs_attention", lastError: 'Tryton has no item for "Old tee / M" (item number TEE-0042).' } });
    const saved = await callRoute(routes.settings.action!, await postJson("/app/settings", { intent: "sku_upsert", sku: "OLD-TEE-M", itemNumber: "TEE-0043" }));
    expect(await saved.json()).toMatchObject({ intent: "sku_upsert", ok: true, sku: "OLD-TEE-M", waiting: 1 });
    const retried = await callRoute(routes.settings.action!, await postJson("/app/settings", { intent: "sku_retry_waiting", sku: "OLD-TEE-M" }));
    expect(await retried.json()).toMatchObject({ intent: "sku_retry_waiting", ok: true, message: expect.stringMatching(/^1 order waiting on OLD-TEE-M is back in the queue/) });
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: waitingIds[1] } })).state).toBe("pending");
  });
});
