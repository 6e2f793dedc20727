// The embedded admin's entry: the dashboard loader authenticates the session
// token through the library and calls the Admin GraphQL API (intercepted at
// the fetch layer by msw, which must patch fetch before the library loads).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";

const SHOP = "loader-test.myshopify.com";
const graphqlCalls: string[] = [];
const server = setupServer(
  http.post(`https://${SHOP}/admin/api/2026-10/graphql.json`, async ({ request }) => {
    const body = (await request.json()) as { query: string };
    graphqlCalls.push(body.query);
    if (request.headers.get("X-Shopify-Access-Token") !== "shpat_offline") {
      return HttpResponse.json({ errors: "Invalid API key or access token" }, { status: 401 });
    }
    return HttpResponse.json({
      data: {
        shop: {
          name: "Loader Test Shop",
          myshopifyDomain: SHOP,
          currencyCode: "EUR",
          plan: { publicDisplayName: "Grow", partnerDevelopment: false, shopifyPlus: false },
        },
      },
      extensions: { cost: { requestedQueryCost: 2, actualQueryCost: 2, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1998, restoreRate: 100 } } },
    });
  }),
);

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
let db: TestDatabase;
let dashboardLoader: Loader;
let appLayoutLoader: Loader;

async function call(loader: Loader, request: Request): Promise<Response> {
  try {
    const result = await loader({ request, params: {}, context: {} });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeAll(async () => {
  server.listen({ onUnhandledRequest: "error" });
  db = await useTestDatabaseForApp();
  dashboardLoader = (await import("../../app/routes/app._index")).loader as Loader;
  appLayoutLoader = (await import("../../app/routes/app")).loader as Loader;
  const { sessionStorage } = await import("../../app/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "installed",
      isOnline: false,
      accessToken: "shpat_offline",
      scope: "read_orders",
      expires: new Date(Date.now() + 3600_000),
      refreshToken: "shprt_refresh",
      refreshTokenExpires: new Date(Date.now() + 30 * 24 * 3600_000),
    }),
  );
  await db.prisma.orderSync.create({
    data: { shop: SHOP, orderId: "1", orderGid: "gid://shopify/Order/1", orderName: "#1001", externalId: "shopify-1", snapshot: "{}", sourceUpdatedAt: new Date(), state: "needs_attention" },
  });
  await db.prisma.orderSync.create({
    data: { shop: "someone-else.myshopify.com", orderId: "2", orderGid: "gid://shopify/Order/2", orderName: "#1002", externalId: "shopify-2", snapshot: "{}", sourceUpdatedAt: new Date(), state: "needs_attention" },
  });
});
afterAll(async () => {
  server.close();
  await db.cleanup();
});

describe("authenticated admin loader", () => {
  it("answers 200 with the shop's name and plan from the Admin API and this shop's counts only", async () => {
    const request = await setUpValidRequest(
      { type: RequestType.Admin, store: SHOP.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
      new Request(`${APP_URL}/app`),
    );
    const response = await call(dashboardLoader, request);
    expect(response.status).toBe(200);
    const data = (await response.json()) as { shop: { name: string; plan: { publicDisplayName: string } }; counts: Record<string, number> };
    expect(data.shop.name).toBe("Loader Test Shop");
    expect(data.shop.plan.publicDisplayName).toBe("Grow");
    expect(data.counts.needs_attention).toBe(1);
    expect(graphqlCalls.some((q) => q.includes("query ShopOverview"))).toBe(true);
  });

  it("does not let a request without a session token in: it is sent to log in, and the Admin API is not called", async () => {
    graphqlCalls.length = 0;
    const response = await call(appLayoutLoader, new Request(`${APP_URL}/app`));
    expect([302, 401]).toContain(response.status);
    if (response.status === 302) expect(response.headers.get("Location")).toMatch(/\/auth\/login/);
    expect(graphqlCalls).toHaveLength(0);
  });

  it("answers 401 to a fetch with an invalid bearer token", async () => {
    const request = new Request(`${APP_URL}/app`, { headers: { Authorization: "Bearer not-a-jwt" } });
    const response = await call(appLayoutLoader, request);
    expect(response.status).toBe(401);
  });

  it("rejects a session token signed with another app's secret", async () => {
    const request = await setUpValidRequest(
      { type: RequestType.Bearer, store: SHOP.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: "some-other-secret" },
      new Request(`${APP_URL}/app`),
    );
    const response = await call(appLayoutLoader, request);
    expect(response.status).toBe(401);
  });
});
