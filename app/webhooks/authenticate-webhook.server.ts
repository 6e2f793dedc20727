// Wraps the library's webhook authentication so every webhook route answers
// the same way to bad input: wrong HMAC -> 401 (from the library), missing
// HMAC -> 401 (the library would say 400: it is an unsigned request, not a
// malformed one), other missing Shopify headers -> 400 (library), body that is not JSON -> 400 with
// a message (the library would throw a SyntaxError, i.e. a 500, which makes
// Shopify retry something that can never succeed), body larger than
// MAX_WEBHOOK_BODY_BYTES -> 413 before it is buffered whole, and a body that
// names another shop than the X-Shopify-Shop-Domain header -> 400, empty body
// or a shop header that is not a shop domain -> 400 (not a 500).
import { InvalidShopError } from "@shopify/shopify-api";
import { authenticate } from "../shopify.server";
import { NOT_A_SHOP_DOMAIN, NOT_JSON, plain, readWebhookBody, refuseUnsigned } from "./webhook-body.server";

export type WebhookContext = Awaited<ReturnType<typeof authenticate.webhook>> & {
  /** Exact body text: 64-bit ids survive, unlike in the parsed payload. */
  rawBody: string;
};

/**
 * Shopify signs the body only, not the headers: a captured, validly signed
 * body could be replayed with another shop's domain in the header. Bodies
 * that name their shop (compliance topics: shop_domain; app/uninstalled and
 * shop payloads: myshopify_domain) must name the header's shop, so such a
 * replay cannot erase or uninstall another merchant.
 */
function shopNamedInBody(payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return null;
  const p = payload as Record<string, unknown>;
  const named = typeof p.shop_domain === "string" ? p.shop_domain : typeof p.myshopify_domain === "string" ? p.myshopify_domain : null;
  return named ? named.toLowerCase() : null;
}

export async function authenticateWebhook(request: Request): Promise<WebhookContext> {
  refuseUnsigned(request);
  let rawBody = "";
  let limited = request;
  if (request.method === "POST") {
    rawBody = await readWebhookBody(request);
    limited = new Request(request.url, { method: "POST", headers: request.headers, body: rawBody });
  }
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(limited);
  } catch (error) {
    if (error instanceof SyntaxError) {
      // Only reachable after the HMAC was verified: the library parses last.
      throw plain(400, NOT_JSON);
    }
    if (error instanceof InvalidShopError) {
      // The library would let this escape as a 500 (and Shopify would retry).
      throw plain(400, NOT_A_SHOP_DOMAIN);
    }
    throw error;
  }
  const named = shopNamedInBody(context.payload);
  if (named && named !== context.shop.toLowerCase()) {
    throw plain(400, "Webhook body names another shop than the X-Shopify-Shop-Domain header; nothing was done.");
  }
  return { ...context, rawBody };
}
