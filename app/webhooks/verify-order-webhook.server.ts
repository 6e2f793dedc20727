// Verification for the order webhooks (orders/*, refunds/create), the
// app's hot path: Shopify's signature check done with node:crypto, the same
// required headers and shop-domain rule as the library, and the body parsed
// once with exact ids, so malformed input gets a 4xx with a message and
// intake gets what it needs. The shop's offline session is not loaded here:
// intake checks that the shop is installed inside its own transaction.
//
// Why not the library's webhooks.validate here (every other webhook route
// uses authenticate.webhook): it costs 0.44-0.73 ms per webhook (Web Crypto's
// key import and sign round trips, and re-canonicalising every header name on
// each of ~10 header look-ups), against 0.008 ms for node:crypto's HMAC, more
// than the whole baseline request in npm run bench:ingest. The check is
// Shopify's documented one (HMAC-SHA256 of the raw body with the app's
// secret, base64, compared in constant time), and
// test/webhooks/verify-order-webhook.test.ts holds it to the library's
// verdict on valid, forged, tampered and incomplete requests.
import { createHmac, timingSafeEqual } from "node:crypto";
import { InvalidShopError } from "@shopify/shopify-api";
import { config } from "../config.server";
import { parseJsonExact } from "../sync/order/exact-json";
import { webhookShopCheck } from "../shopify.server";
import { methodNotAllowed, NOT_A_SHOP_DOMAIN, NOT_JSON, plain, readWebhookBody, refuseUnsigned } from "./webhook-body.server";

export interface VerifiedOrderWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string;
  eventId: string | null;
  triggeredAt: string | null;
  /** Exact body text: 64-bit ids survive. */
  rawBody: string;
  /** The body parsed with exact ids (parseJsonExact). */
  body: unknown;
}

/** The headers the library requires of a webhook (besides the signature). */
const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"] as const;

/** True when `signature` (base64) is the HMAC-SHA256 of the body with the app's secret. */
export function signatureMatches(rawBody: string, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(rawBody, "utf8").digest();
  const given = Buffer.from(signature, "base64");
  // Buffer.from ignores what is not base64; require the canonical text too.
  return given.length === expected.length && timingSafeEqual(given, expected) && given.toString("base64") === signature;
}

export async function verifyOrderWebhook(request: Request): Promise<VerifiedOrderWebhook> {
  if (request.method !== "POST") throw methodNotAllowed();
  refuseUnsigned(request);
  const rawBody = await readWebhookBody(request);
  if (!signatureMatches(rawBody, request.headers.get("X-Shopify-Hmac-Sha256")!, config().shopify.apiSecret || "")) {
    throw plain(401, "Webhook signature (HMAC) does not match the body.");
  }
  const missing = REQUIRED_HEADERS.filter((name) => !request.headers.get(name));
  if (missing.length > 0) throw plain(400, `Webhook is missing Shopify headers: ${missing.join(", ")}.`);
  let shop: string;
  try {
    shop = webhookShopCheck(request.headers.get("X-Shopify-Shop-Domain")!);
  } catch (error) {
    if (error instanceof InvalidShopError) throw plain(400, NOT_A_SHOP_DOMAIN);
    throw error;
  }
  let body: unknown;
  try {
    body = parseJsonExact(rawBody);
  } catch {
    throw plain(400, NOT_JSON);
  }
  return {
    shop,
    topic: request.headers.get("X-Shopify-Topic")!,
    webhookId: request.headers.get("X-Shopify-Webhook-Id")!,
    apiVersion: request.headers.get("X-Shopify-API-Version")!,
    eventId: request.headers.get("X-Shopify-Event-Id"),
    triggeredAt: request.headers.get("X-Shopify-Triggered-At"),
    rawBody,
    body,
  };
}
