// The stock routes called with real requests (the library's own session-token
// path): the Stock page shows this shop's runs only and "Sync stock now"
// opens a run for this shop; the settings row saves this shop's ownership;
// the ERP's notice endpoint takes a signed notice without a session.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForShop } from "../support/app-modules";
import { callRoute, signedRequests, type RouteModule } from "../support/route-calls";
import type { TestDatabase } from "../../testkit/db";

const STORE = "stock-pages";
const SHOP = `${STORE}.myshopify.com`;
const OTHER = "someone-else.myshopify.com";
const SECRET = "whsec-route-0123456789";

let db: TestDatabase;
const routes: Record<string, RouteModule> = {};

const { admin } = signedRequests(STORE);

beforeAll(async () => {
  db = await useTestDatabaseForShop(SHOP);
  routes.page = await import("../../app/routes/app.stock/route");
  routes.settings = await import("../../app/routes/app.settings.stock");
  routes.notice = await import("../../app/routes/erp.$shop.stock");
  const { encryptSecrets } = await import("../../app/security/crypto.server");
  await db.prisma.shopSettings.create({ data: { shop: SHOP, connectorType: "generic-http", connectorSecrets: encryptSecrets(SHOP, { signingSecret: SECRET }) } });
  await db.prisma.stockRun.create({ data: { shop: OTHER, trigger: "manual", status: "completed", written: 99 } });
});
afterAll(async () => db?.cleanup());

describe("stock routes", () => {
  it("the settings row saves this shop's stock owner and links", async () => {
    const body = JSON.stringify({ owner: "erp", intervalMinutes: 10, links: [{ shopifyLocationId: "gid://shopify/Location/1", shopifyLocationName: "Main", erpLocationId: "WH1" }] });
    const res = await callRoute(routes.settings.action!, await admin("/app/settings/stock", { method: "POST", body, headers: { "Content-Type": "application/json" } }));
    expect(await res.json()).toMatchObject({ ok: true });
    expect(await db.prisma.shopSettings.findUnique({ where: { shop: SHOP } })).toMatchObject({ stockOwner: "erp", stockIntervalMinutes: 10 });
  });

  it("Sync stock now opens a run for this shop, and the page shows this shop's runs only", async () => {
    const res = await callRoute(routes.page.action!, await admin("/app/stock", { method: "POST", body: new URLSearchParams() }));
    expect(await res.json()).toMatchObject({ ok: true, message: expect.stringMatching(/started/) });
    const page = (await (await callRoute(routes.page.loader!, await admin("/app/stock"))).json()) as { current: { trigger: string } | null; history: { written: number }[] };
    expect(page.current).toMatchObject({ trigger: "manual" });
    expect(page.history.some((r) => r.written === 99)).toBe(false);
  });

  it("the ERP's notice endpoint takes a signed notice and refuses an unsigned one", async () => {
    const body = JSON.stringify({ noticeId: "r-1", issuedAt: new Date().toISOString(), items: [{ itemNumber: "A", locationId: "WH1", quantity: 1 }] });
    const post = (signature: string) =>
      callRoute(routes.notice.action!, new Request(`${APP_URL}/erp/${SHOP}/stock`, { method: "POST", body, headers: { "Content-Type": "application/json", "X-Signature-SHA256": signature } }), { shop: SHOP });
    expect((await post("bm9wZQ==")).status).toBe(401);
    const ok = await post(createHmac("sha256", SECRET).update(body).digest("base64"));
    expect(ok.status).toBe(202);
    expect(await db.prisma.stockNotice.count({ where: { shop: SHOP } })).toBe(1);
  });
});
