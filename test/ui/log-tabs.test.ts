// The log staff work from: tabs with true counts (All, Needs attention,
// Retrying, Skipped, Resolved), rows with date, customer and total, and the
// orders needing attention grouped by reason with one retry per group, all
// through the page's real loader and action, scoped to the shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";
import { seedLedger } from "./seed";
import { normaliseReason, skuOfReason } from "../../app/models/problem-groups.server";

const STORE = "tabs-test";
const SHOP = `${STORE}.myshopify.com`;
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>;
let db: TestDatabase;
let route: { loader: Handler; action: Handler };

async function call(handler: Handler, request: Request): Promise<Response> {
  const result = await handler({ request, params: {}, context: {} });
  return result instanceof Response ? result : Response.json(result);
}
const options = (type: RequestType) => ({ type, store: STORE, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY }) as const;
const load = async (query: string) =>
  (await (await call(route.loader, await setUpValidRequest(options(RequestType.Admin), new Request(`${APP_URL}/app/orders${query}`)))).json()) as {
    rows: { orderName: string; customer: string | null; total: string | null; orderDate: string }[];
    counts: Record<string, number>;
    groups: { key: string; reason: string; count: number; sku: string | null }[];
  };
const unknownItem = (n: string) => `Cannot sync order ${n}: Tryton has no item for "Old tee / M" (item number OLD-TEE-M). Map the SKU …, then retry.`;

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  route = (await import("../../app/routes/app.orders._index/route")) as unknown as typeof route;
  const { sessionStorage } = await import("../../app/shopify.server");
  await sessionStorage.storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_orders", expires: new Date(Date.now() + 3600_000) }),
  );
  const snapshot = JSON.stringify({ id: 1, created_at: "2026-11-30T10:15:00+01:00", customer: { first_name: "Ada", last_name: "Byron" }, line_items: [] });
  await seedLedger(db.prisma, [
    { shop: SHOP, orderName: "#1", state: "needs_attention", lastError: unknownItem("#1"), snapshot, shopifyTotal: "44.90", currency: "EUR" },
    { shop: SHOP, orderName: "#2", state: "failed", lastError: unknownItem("#2") },
    { shop: SHOP, orderName: "#3", state: "needs_attention", problems: JSON.stringify([unknownItem("#3")]) },
    { shop: SHOP, orderName: "#4", state: "failed", lastError: "The ERP refused the order: customer 4711 is blocked. Unblock the customer in the ERP, then retry." },
    { shop: SHOP, orderName: "#5", state: "retrying", lastError: "The ERP did not answer in time." },
    { shop: SHOP, orderName: "#6", state: "skipped" },
    { shop: SHOP, orderName: "#7", state: "synced", resolvedBy: "Ann Lee", resolvedAt: new Date() },
    { shop: SHOP, orderName: "#8", state: "synced" },
    { shop: SHOP, orderName: "#9", state: "pending" },
    { shop: "elsewhere.myshopify.com", orderName: "#10", state: "failed", lastError: unknownItem("#10") },
  ]);
});
afterAll(async () => db.cleanup());

describe("tabs", () => {
  it("count every order of this shop in its tab", async () => {
    const data = await load("");
    expect(data.counts).toEqual({ all: 9, attention: 4, retrying: 1, skipped: 1, resolved: 1 });
  });

  it("each tab lists exactly its orders", async () => {
    const names = async (tab: string) => (await load(`?tab=${tab}`)).rows.map((r) => r.orderName).sort();
    expect(await names("attention")).toEqual(["#1", "#2", "#3", "#4"]);
    expect(await names("retrying")).toEqual(["#5"]);
    expect(await names("skipped")).toEqual(["#6"]);
    expect(await names("resolved")).toEqual(["#7"]);
    expect((await load("?tab=bogus")).rows).toHaveLength(9);
  });

  it("rows carry the order's date and customer from Shopify and its total", async () => {
    const row = (await load("?q=%231")).rows.find((r) => r.orderName === "#1");
    expect(row).toMatchObject({ customer: "Ada Byron", total: "44.90", orderDate: "2026-11-30T09:15:00.000Z" });
  });
});

describe("problems grouped by reason", () => {
  it("the reason without the order name, the SKU it is about", () => {
    expect(normaliseReason(unknownItem("#1"))).toBe(normaliseReason(unknownItem("#2")));
    expect(skuOfReason(normaliseReason(unknownItem("#1")))).toBe("OLD-TEE-M");
  });

  it("the Needs attention tab groups this shop's orders by reason, biggest group first", async () => {
    const { groups } = await load("?tab=attention");
    expect(groups.map((g) => [g.count, g.sku])).toEqual([
      [3, "OLD-TEE-M"],
      [1, null],
    ]);
    expect(groups[0].reason).toMatch(/^Tryton has no item for "Old tee \/ M" \(item number OLD-TEE-M\)/);
    expect((await load("")).groups).toEqual([]);
  });

  it("'Retry these 3 orders' retries the group and nothing else", async () => {
    const { groups } = await load("?tab=attention");
    const request = await setUpValidRequest(
      options(RequestType.Bearer),
      new Request(`${APP_URL}/app/orders?tab=attention`, {
        method: "POST",
        body: new URLSearchParams([["intent", "retry_group"], ["key", groups[0].key]]),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
    );
    const body = (await (await call(route.action, request)).json()) as { ok: boolean; message: string };
    expect(body.message).toMatch(/^3 orders are back in the queue/);
    const rows = await db.prisma.orderSync.findMany({ where: { orderName: { in: ["#1", "#2", "#3", "#4", "#10"] } }, orderBy: { orderName: "asc" } });
    expect(rows.map((r) => [r.orderName, r.state])).toEqual([
      ["#1", "pending"],
      ["#10", "failed"],
      ["#2", "pending"],
      ["#3", "pending"],
      ["#4", "failed"],
    ]);
  });
});
