// Builds webhook requests exactly as Shopify sends them: raw JSON body,
// base64 HMAC-SHA256 of the body with the app's secret, Shopify's headers.
import { randomUUID } from "node:crypto";
import { getHmac, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

export interface WebhookRequestOptions {
  topic: string; // "orders/create"
  shop: string;
  body: string;
  path?: string; // defaults to /webhooks/<topic>
  eventId?: string;
  webhookId?: string;
  triggeredAt?: string;
  apiVersion?: string;
  /** Override the signature (e.g. a wrong one); null = no signature header. */
  hmac?: string | null;
  contentType?: string;
}

export function webhookRequest(opts: WebhookRequestOptions): Request {
  const headers = new Headers({
    "Content-Type": opts.contentType ?? "application/json",
    "X-Shopify-Topic": opts.topic,
    "X-Shopify-Shop-Domain": opts.shop,
    "X-Shopify-API-Version": opts.apiVersion ?? "2026-10",
    "X-Shopify-Webhook-Id": opts.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": opts.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": opts.triggeredAt ?? new Date().toISOString(),
  });
  const hmac = opts.hmac === undefined ? getHmac(opts.body, API_SECRET_KEY) : opts.hmac;
  if (hmac !== null) headers.set("X-Shopify-Hmac-Sha256", hmac);
  return new Request(`${APP_URL}${opts.path ?? `/webhooks/${opts.topic}`}`, {
    method: "POST",
    headers,
    body: opts.body,
  });
}
