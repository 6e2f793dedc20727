/* global process, console */
// Serves the production build of the app for the browser tests exactly as
// `npm start` does (server.mjs), plus two test-only paths on the same origin:
//   /__test__/app-bridge.js  the App Bridge stand-in (APP_BRIDGE_URL points here)
//   /__test__/id-token       a fresh session token: a JWT signed with the app's
//                            secret for the seeded shop, what Shopify's admin gives App Bridge
// The Shopify Admin API (unreachable here) is answered by msw in this process.
// Usage: node serve-app.mjs <buildDir> ; env: PORT, DATABASE_URL, SHOPIFY_*, TEST_SHOP
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { http, HttpResponse, passthrough } from "msw";
import { setupServer } from "msw/node";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { createAppServer } from "../../../server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = process.argv[2];
const shop = process.env.TEST_SHOP;
const store = shop.replace(".myshopify.com", "");

// The Admin API answers only the dashboard's shop query; anything else is a test bug and fails loudly.
const adminApi = setupServer(
  http.post(`https://${shop}/admin/api/:version/graphql.json`, async ({ request }) => {
    const body = await request.json();
    if (String(body.query).includes("query ShopOverview")) {
      return HttpResponse.json({
        data: { shop: { name: "Browser Test Shop", myshopifyDomain: shop, currencyCode: "EUR", plan: { publicDisplayName: "Grow", partnerDevelopment: false, shopifyPlus: false } } },
      });
    }
    return HttpResponse.json({ errors: [{ message: `No stub for ${body.query.slice(0, 80)}` }] }, { status: 500 });
  }),
  http.all("http://127.0.0.1*", () => passthrough()),
);
// Must patch fetch before the Shopify library is imported (it keeps a reference).
adminApi.listen({ onUnhandledRequest: "error" });

const app = await createAppServer({ buildDir, beforeApp: addTestRoutes });

function addTestRoutes(app) {
  app.get("/__test__/app-bridge.js", (_req, res) => {
    res.type("application/javascript").send(readFileSync(path.join(here, "app-bridge-stub.js"), "utf8"));
  });
  app.get("/__test__/id-token", async (_req, res) => {
    const now = Math.floor(Date.now() / 1000);
    // Same lifetime as Shopify's: one minute.
    const { token } = await getJwt(store, process.env.SHOPIFY_API_KEY, process.env.SHOPIFY_API_SECRET, { exp: now + 60, nbf: now - 5, iat: now - 5 });
    res.set("Cache-Control", "no-store").type("text/plain").send(token);
  });
}

const server = app.listen(Number(process.env.PORT), "127.0.0.1", () => {
  console.log(`listening on ${server.address().port}`);
});
process.on("SIGTERM", () => {
  server.close();
  adminApi.close();
  process.exit(0);
});
