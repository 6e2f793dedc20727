/* global process, URL, Request, fetch */
// Demo mode only: loaded into the app's server process with `node --import`
// before the app, so the Shopify library's fetch (captured at import) sends
// the demo shop's Admin API calls to the local Shopify stand-in instead of the
// internet. Nothing else changes: the library builds the same requests,
// with the same headers and offline token, as it would for a real shop.
// Any other https request to a *.myshopify.com shop fails loudly, so the demo
// can never reach a real shop.
import { bypass, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

const shop = process.env.DEMO_SHOP;
const target = process.env.DEMO_SHOPIFY_URL;

if (!shop || !target) throw new Error("admin-api-redirect.mjs needs DEMO_SHOP and DEMO_SHOPIFY_URL (set by npm run demo).");
const targetUrl = new URL(target);
if (!["127.0.0.1", "localhost", "[::1]"].includes(targetUrl.hostname)) {
  throw new Error(`DEMO_SHOPIFY_URL must be on this machine, not ${targetUrl.hostname}.`);
}

const server = setupServer(
  http.all(`https://${shop}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const forwarded = new Request(new URL(url.pathname + url.search, targetUrl), {
      method: request.method,
      headers: request.headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
    });
    return fetch(bypass(forwarded));
  }),
  http.all("https://*.myshopify.com/*", ({ request }) =>
    HttpResponse.json({ errors: `Demo mode: ${new URL(request.url).host} is not the demo shop; refused.` }, { status: 403 }),
  ),
);
server.listen({ onUnhandledRequest: "bypass" });
