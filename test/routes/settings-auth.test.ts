// The Settings pages' actions (save, test connection, SKU mappings, alerts,
// "Import past orders", "Check for missed orders now") as the embedded admin
// calls them: the real route modules and the library's session-token check.
// Shopify's token endpoint is answered by msw at the fetch layer (it must
// patch fetch before the library loads), so "Shopify cannot be reached" is a
// real network failure as the library sees it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import type { ActionFunctionArgs } from "@remix-run/node";
import { API_KEY, API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";

const NEW_SHOP = "settings-auth.myshopify.com";
const STORE = NEW_SHOP.replace(".myshopify.com", "");
const RETRY_HEADER = "X-Shopify-Retry-Invalid-Session-Request";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

/** What Shopify's token endpoint does in the current test. */
let tokenEndpoint: () => Response = () => HttpResponse.error();
let tokenExchanges = 0;
const shopify = setupServer(
  http.post(`https://${NEW_SHOP}/admin/oauth/access_token`, () => {
    tokenExchanges++;
    return tokenEndpoint();
  }),
);

let db: TestDatabase;
/** The Settings actions, each with a body its page really sends. */
const SETTINGS_ACTIONS: { route: string; file?: string; path: string; body: unknown; action?: Action }[] = [
  { route: "app.settings", file: "app.settings/route.tsx", path: "/app/settings", body: { intent: "sku_upsert", sku: "MUG", itemNumber: "1000" } },
  { route: "app.settings.alerts", path: "/app/settings/alerts", body: { intent: "save" } },
  { route: "app.settings.backfill", path: "/app/settings/backfill", body: { intent: "cancel", id: "none" } },
  { route: "app.settings.reconciliation", path: "/app/settings/reconciliation", body: {} },
];

async function call(action: Action, request: Request): Promise<Response> {
  try {
    const result = await action({ request, params: {}, context: {} });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    // Remix sends thrown Responses as they are (a redirect becomes 204 + X-Remix-Redirect for a fetch).
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Every table a Settings action could write to. */
async function writtenRows() {
  const [sessions, settings, skuMappings, alertSettings, runs, backfills] = await Promise.all([
    db.prisma.session.count(),
    db.prisma.shopSettings.count(),
    db.prisma.skuMapping.count(),
    db.prisma.alertSettings.count(),
    db.prisma.reconciliationRun.count(),
    db.prisma.backfillJob.count(),
  ]);
  return { sessions, settings, skuMappings, alertSettings, runs, backfills };
}

function postJson(path: string, body: unknown, search = ""): Request {
  return new Request(`${APP_URL}${path}${search}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  shopify.listen({ onUnhandledRequest: "error" });
  db = await useTestDatabaseForApp();
  for (const entry of SETTINGS_ACTIONS) {
    entry.action = (await import(`../../app/routes/${entry.file ?? `${entry.route}.tsx`}`)).action as Action;
  }
});
afterAll(async () => {
  shopify.close();
  await db.cleanup();
});
beforeEach(async () => {
  tokenExchanges = 0;
  await db.prisma.session.deleteMany();
  await db.prisma.shopSettings.deleteMany();
});
afterEach(() => {
  tokenEndpoint = () => HttpResponse.error();
});

describe("Settings actions without a session token", () => {
  it.each(SETTINGS_ACTIONS)("POST $path answers 401 and writes nothing", async ({ path, body, action, route }) => {
    const before = await writtenRows();
    // As a page's fetcher sends it, minus the token App Bridge would add.
    const response = await call(action!, postJson(path, body, `?_data=routes%2F${route}`));
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/no Shopify session token/);
    expect(await writtenRows()).toEqual(before);
    expect(tokenExchanges).toBe(0);
  });

  it("an embedded page's POST without its token (shop and host in the URL) answers 401, not a redirect", async () => {
    const search = `?embedded=1&shop=${NEW_SHOP}&host=${Buffer.from(`admin.shopify.com/store/${STORE}`).toString("base64url")}`;
    const response = await call(SETTINGS_ACTIONS[0].action!, postJson("/app/settings", SETTINGS_ACTIONS[0].body, search));
    expect(response.status).toBe(401);
    expect(response.headers.get("Location")).toBeNull();
  });
});

describe("a valid session token for a shop without an offline session", () => {
  async function withToken(path: string, body: unknown): Promise<Request> {
    return setUpValidRequest({ type: RequestType.Bearer, store: STORE, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY }, postJson(path, body));
  }

  it.each(SETTINGS_ACTIONS)("POST $path while Shopify cannot be reached: 401 with the retry header, nothing stored", async ({ path, body, action }) => {
    tokenEndpoint = () => HttpResponse.error(); // connection refused / reset
    const before = await writtenRows();
    const response = await call(action!, await withToken(path, body));
    expect(response.status).toBe(401);
    expect(response.headers.get(RETRY_HEADER)).toBe("1");
    expect(tokenExchanges).toBe(1);
    expect(await writtenRows()).toEqual(before);
  });

  it("Shopify's token endpoint answering 503: 401 with the retry header", async () => {
    tokenEndpoint = () => new HttpResponse("<html>Service unavailable</html>", { status: 503, headers: { "Content-Type": "text/html" } });
    const { path, body, action } = SETTINGS_ACTIONS[3];
    const response = await call(action!, await withToken(path, body));
    expect(response.status).toBe(401);
    expect(response.headers.get(RETRY_HEADER)).toBe("1");
  });

  it("the retry App Bridge makes once Shopify answers again is served, and the shop's offline session is stored", async () => {
    tokenEndpoint = () =>
      HttpResponse.json({
        access_token: "shpat_exchanged",
        scope: "read_orders",
        expires_in: 3600,
        refresh_token: "shprt_exchanged",
        refresh_token_expires_in: 30 * 24 * 3600,
      });
    const { path, body, action } = SETTINGS_ACTIONS[3];
    const response = await call(action!, await withToken(path, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
    expect(await db.prisma.session.count({ where: { shop: NEW_SHOP, isOnline: false } })).toBe(1);
    expect(await db.prisma.reconciliationRun.count({ where: { shop: NEW_SHOP, status: "requested" } })).toBe(1);
  });

  it("a session token signed with another secret is still refused by the library (401 with the retry header, no exchange)", async () => {
    const { path, body, action } = SETTINGS_ACTIONS[3];
    const forged = await setUpValidRequest({ type: RequestType.Bearer, store: STORE, apiKey: API_KEY, apiSecretKey: "another-apps-secret" }, postJson(path, body));
    const response = await call(action!, forged);
    expect(response.status).toBe(401);
    expect(response.headers.get(RETRY_HEADER)).toBe("1");
    expect(tokenExchanges).toBe(0);
  });
});
