// The order webhooks check Shopify's signature with node:crypto instead of
// the library's webhooks.validate (docs/benchmarks.md: the library's check
// cost more than a whole baseline request). This holds that check to the
// library's verdict: every request below is judged by both.
import "@shopify/shopify-api/adapters/web-api";
import { createHmac } from "node:crypto";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { describe, expect, it } from "vitest";
import { signatureMatches, verifyOrderWebhook } from "../../app/webhooks/verify-order-webhook.server";
import { sampleWebhookBody } from "../support/sample-webhooks";
import { webhookRequest, type WebhookRequestOptions } from "../support/webhook-request";

const library = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET_KEY,
  apiVersion: ApiVersion.October25,
  hostName: "localhost",
  isEmbeddedApp: true,
  logger: { level: 0 },
});

const SHOP = "verify-test.myshopify.com";
const body = sampleWebhookBody("orders/create");
const tampered = body.replace(/"total_price":\s*"[^"]+"/, '"total_price": "0.01"');
const withNonAscii = body.replace(/"note":\s*(null|"[^"]*")/, '"note": "Grüße aus Köln – 東京"');
const sign = (text: string, secret = API_SECRET_KEY) => createHmac("sha256", secret).update(text, "utf8").digest("base64");

/** "accepted", or the status our check refuses with / the library's reason. */
async function ours(request: Request): Promise<string> {
  try {
    await verifyOrderWebhook(request);
    return "accepted";
  } catch (thrown) {
    if (thrown instanceof Response) return String(thrown.status);
    throw thrown;
  }
}

async function theLibrarys(request: Request): Promise<string> {
  const rawBody = await request.text();
  const check = await library.webhooks.validate({ rawBody, rawRequest: request });
  if (check.valid) return "accepted";
  return check.reason === "invalid_hmac" ? "401" : "400";
}

function pair(opts: Partial<WebhookRequestOptions> & { drop?: string }): [Request, Request] {
  const make = () => {
    const request = webhookRequest({ topic: "orders/create", shop: SHOP, body, ...opts });
    if (opts.drop) request.headers.delete(opts.drop);
    return request;
  };
  return [make(), make()];
}

describe("order webhook signature check", () => {
  it("the altered bodies below really differ from the signed one", () => {
    expect(tampered).not.toBe(body);
    expect(withNonAscii).not.toBe(body);
  });

  it.each([
    ["a correctly signed sample order", {}, "accepted"],
    ["signed with another secret", { hmac: sign(body, "not-the-app-secret") }, "401"],
    ["body changed after signing", { body: tampered, hmac: sign(body) }, "401"],
    ["signature of an empty string", { hmac: sign("") }, "401"],
    ["signature that is not base64", { hmac: "not base64 at all!" }, "401"],
    ["signature truncated", { hmac: sign(body).slice(0, 20) }, "401"],
    ["signature in hex instead of base64", { hmac: createHmac("sha256", API_SECRET_KEY).update(body).digest("hex") }, "401"],
    ["non-ASCII body, correctly signed", { body: withNonAscii }, "accepted"],
    ["topic header missing", { drop: "X-Shopify-Topic" }, "400"],
    ["webhook id header missing", { drop: "X-Shopify-Webhook-Id" }, "400"],
    ["API version header missing", { drop: "X-Shopify-API-Version" }, "400"],
  ] as const)("%s: %s, the library's verdict too", async (_name, opts, expected) => {
    const [forUs, forLibrary] = pair(opts as Partial<WebhookRequestOptions> & { drop?: string });
    expect(await theLibrarys(forLibrary)).toBe(expected);
    expect(await ours(forUs)).toBe(expected);
  });

  it("accepts exactly the correct signature and nothing near it", () => {
    const good = sign(body);
    expect(signatureMatches(body, good, API_SECRET_KEY)).toBe(true);
    // Same bytes written differently (padding removed, trailing junk) are refused.
    expect(signatureMatches(body, good.replace(/=+$/, ""), API_SECRET_KEY)).toBe(false);
    expect(signatureMatches(body, `${good}AA`, API_SECRET_KEY)).toBe(false);
    expect(signatureMatches(body, good, "another-secret")).toBe(false);
    expect(signatureMatches(`${body} `, good, API_SECRET_KEY)).toBe(false);
  });

  it("hands intake the shop, topic, ids and the body with exact ids", async () => {
    const exact = body.replace('"id": 820982911946154500', '"id": 820982911946154508');
    const verified = await verifyOrderWebhook(webhookRequest({ topic: "orders/create", shop: SHOP, body: exact, eventId: "evt-9", webhookId: "wh-9" }));
    expect(verified).toMatchObject({ shop: SHOP, topic: "orders/create", eventId: "evt-9", webhookId: "wh-9", rawBody: exact });
    expect((verified.body as { id: string }).id).toBe("820982911946154508");
  });
});
