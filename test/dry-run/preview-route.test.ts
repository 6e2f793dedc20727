// Settings' intent=preview through the real route action with a session
// token: the dry run answers for this shop's stored orders only, a bad body
// is a 400 in words, and nothing is written (the SKU mapping stays as it was).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";
import { makeOrder, toRawBody } from "../../testkit/shopify-payloads";

const STORE = "preview-route";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "someone-else-preview.myshopify.com";
let db: TestDatabase;
let action: (args: ActionFunctionArgs) => Promise<unknown>;

async function post(body: unknown): Promise<Response> {
  const request = await setUpValidRequest(
    { type: RequestType.Admin, store: STORE, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app/settings`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  );
  try {
    const result = await action({ request, params: {}, context: {} });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  action = (await import("../../app/routes/app.settings/route")).action as typeof action;
  const { sessionStorage } = await import("../../app/shopify.server");
  await sessionStorage.storeSession(
    new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_orders", expires: new Date(Date.now() + 3600_000) }),
  );
  let n = 0;
  for (const shop of [SHOP, SHOP, OTHER]) {
    n++;
    const order = makeOrder({ id: 6200000000000000000n + BigInt(n), name: `#P${n}`, lines: [{ title: "Mug", sku: "MUG", price: "9.00" }] });
    await db.prisma.orderSync.create({
      data: { shop, orderId: String(n), orderGid: `gid://shopify/Order/${n}`, orderName: `#P${n}`, externalId: `shopify-${n}`, snapshot: toRawBody(order), sourceUpdatedAt: new Date(), shopifyCreatedAt: new Date() },
    });
  }
  await db.prisma.shopSettings.create({ data: { shop: SHOP, connectorType: "generic-http" } });
});
afterAll(() => db.cleanup());

describe("Settings intent=preview", () => {
  it("answers the dry run of a mapping for this shop's orders only and saves nothing", async () => {
    const response = await post({ intent: "preview", change: { kind: "sku_upsert", sku: "MUG", itemNumber: "ERP-MUG" } });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { intent: string; ok: boolean; message: string; preview: { ordersReplayed: number; changed: { count: number } } };
    expect(answer).toMatchObject({ intent: "preview", ok: true, preview: { ordersReplayed: 2, changed: { count: 2 } } });
    expect(answer.message).toMatch(/2 would be sent differently\. Nothing has been saved yet\./);
    expect(await db.prisma.skuMapping.count()).toBe(0);
  });

  it("answers 400 in words to a change it cannot read", async () => {
    const response = await post({ intent: "preview", change: { kind: "format_disk" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, message: expect.stringMatching(/could not be read/) });
  });
});
