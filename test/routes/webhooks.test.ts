// The webhook routes as Shopify calls them: real route modules, the real
// library HMAC check, a real (temporary) SQLite database, Shopify's own
// documented sample payloads.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { Session } from "@shopify/shopify-api";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";
import { sampleWebhookBody } from "../support/sample-webhooks";
import { webhookRequest } from "../support/webhook-request";

const SHOP = "webhook-test.myshopify.com";
type Action = (args: ActionFunctionArgs) => Promise<Response>;

let db: TestDatabase;
const routes: Record<string, Action> = {};

async function post(topic: string, request: Request): Promise<Response> {
  try {
    return await routes[topic]({ request, params: {}, context: {} });
  } catch (thrown) {
    // The library throws Responses (401/400/405); Remix would send them as-is.
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  const modules = {
    "orders/create": await import("../../app/routes/webhooks.orders.create"),
    "orders/updated": await import("../../app/routes/webhooks.orders.updated"),
    "orders/cancelled": await import("../../app/routes/webhooks.orders.cancelled"),
    "refunds/create": await import("../../app/routes/webhooks.refunds.create"),
    "app/uninstalled": await import("../../app/routes/webhooks.app.uninstalled"),
    "app/scopes_update": await import("../../app/routes/webhooks.app.scopes_update"),
    "customers/data_request": await import("../../app/routes/webhooks.customers.data_request"),
    "customers/redact": await import("../../app/routes/webhooks.customers.redact"),
    "shop/redact": await import("../../app/routes/webhooks.shop.redact"),
  };
  for (const [topic, mod] of Object.entries(modules)) routes[topic] = mod.action as Action;
});
afterAll(() => db.cleanup());

beforeEach(async () => {
  await db.prisma.webhookEvent.deleteMany();
  await db.prisma.orderSync.deleteMany();
  await db.prisma.session.deleteMany();
  await db.prisma.shopSettings.deleteMany();
  // An installed shop: an offline session, as the library stores it.
  const { sessionStorage } = await import("../../app/shopify.server");
  const session = new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "shpat_test", scope: "read_orders" });
  await sessionStorage.storeSession(session);
  await db.prisma.shopSettings.create({ data: { shop: SHOP } });
});

describe("order webhooks", () => {
  it("accept Shopify's sample orders/create with a valid HMAC, store it durably and answer 200", async () => {
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: sampleWebhookBody("orders/create"), eventId: "evt-1" }));
    expect(response.status).toBe(200);
    const events = await db.prisma.webhookEvent.findMany({ where: { shop: SHOP } });
    expect(events).toHaveLength(1);
    expect(events[0].eventId).toBe("evt-1");
    // The order id is taken from admin_graphql_api_id, not the rounded JSON number.
    expect(await db.prisma.orderSync.findFirst({ where: { shop: SHOP } })).toMatchObject({ orderId: "820982911946154508" });
  });

  it.each(["orders/updated", "orders/cancelled", "refunds/create"])("accept Shopify's sample %s", async (topic) => {
    const response = await post(topic, webhookRequest({ topic, shop: SHOP, body: sampleWebhookBody(topic) }));
    expect(response.status).toBe(200);
    expect(await db.prisma.webhookEvent.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("answer a duplicate delivery (same event id) with 200 and store nothing new", async () => {
    const body = sampleWebhookBody("orders/create");
    await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body, eventId: "evt-dup" }));
    const second = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body, eventId: "evt-dup" }));
    expect(second.status).toBe(200);
    expect(await db.prisma.webhookEvent.count()).toBe(1);
    expect(await db.prisma.orderSync.count()).toBe(1);
  });

  it("reject a wrong HMAC with 401 and write nothing", async () => {
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: sampleWebhookBody("orders/create"), hmac: "d3Jvbmc=" }));
    expect(response.status).toBe(401);
    expect(await db.prisma.webhookEvent.count()).toBe(0);
    expect(await db.prisma.orderSync.count()).toBe(0);
  });

  it("reject a missing HMAC with 401 and write nothing", async () => {
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: sampleWebhookBody("orders/create"), hmac: null }));
    expect(response.status).toBe(401);
    expect(await db.prisma.webhookEvent.count()).toBe(0);
  });

  it("reject a body signed with another app's secret (tampered body) with 401", async () => {
    const body = sampleWebhookBody("orders/create");
    const signedForOriginal = webhookRequest({ topic: "orders/create", shop: SHOP, body }).headers.get("X-Shopify-Hmac-Sha256");
    const tampered = body.replace('"total_price"', '"total_price_x"');
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: tampered, hmac: signedForOriginal }));
    expect(response.status).toBe(401);
    expect(await db.prisma.webhookEvent.count()).toBe(0);
  });

  it("answer a correctly signed body that is not JSON with a 400 that says so, writing nothing", async () => {
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: "{not json" }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not valid JSON/);
    expect(await db.prisma.webhookEvent.count()).toBe(0);
  });

  it("answer a signed request without Shopify's topic and shop headers with 400, writing nothing", async () => {
    const request = webhookRequest({ topic: "orders/create", shop: SHOP, body: sampleWebhookBody("orders/create") });
    request.headers.delete("X-Shopify-Topic");
    request.headers.delete("X-Shopify-Shop-Domain");
    expect((await post("orders/create", request)).status).toBe(400);
    expect(await db.prisma.webhookEvent.count()).toBe(0);
  });

  it("answer a GET with 405", async () => {
    const request = new Request("https://x.test/webhooks/orders/create", { method: "GET" });
    expect((await post("orders/create", request)).status).toBe(405);
  });

  it("store an order whose texts carry \\u0000, lone surrogates and 4-byte characters exactly as received, answer 200, and a redelivery too", async () => {
    // Shopify's sample, edited as text: JSON escapes as Shopify sends them.
    const body = sampleWebhookBody("orders/create")
      .replace('"name": "#9999",\n    "note": null', '"name": "#9999\\ud800",\n    "note": "leave at door\\u0000"')
      .replace('"title": "Aviator sunglasses"', '"title": "Aviator\\u0000sunglasses \\udc00 😀𝄞"')
      .replace('"sku": "SKU2006-001"', '"sku": "SKU\\u00002006"');
    expect(body.match(/\\u0000/g)).toHaveLength(3);
    const request = () => webhookRequest({ topic: "orders/create", shop: SHOP, body, eventId: "evt-odd-text" });

    expect((await post("orders/create", request())).status).toBe(200);
    const event = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: SHOP, eventId: "evt-odd-text" } });
    expect(event.payload).toBe(body);
    const row = await db.prisma.orderSync.findFirstOrThrow({ where: { shop: SHOP } });
    expect(row.snapshot).toBe(body);
    expect(row.orderName).toBe("#9999\uFFFD");
    expect(row.searchText).toContain("aviator\uFFFDsunglasses \uFFFD 😀𝄞");
    expect(row.searchText).toContain("sku\uFFFD2006");

    expect((await post("orders/create", request())).status).toBe(200);
    expect(await db.prisma.webhookEvent.count({ where: { shop: SHOP } })).toBe(1);
    expect(await db.prisma.orderSync.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("ignore (200, nothing stored) an order webhook for a shop without an installed session", async () => {
    await db.prisma.session.deleteMany();
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: sampleWebhookBody("orders/create") }));
    expect(response.status).toBe(200);
    expect(await db.prisma.webhookEvent.count()).toBe(0);
  });
});

describe("app lifecycle webhooks", () => {
  it("app/uninstalled drops sessions and stops the shop's work, and is idempotent", async () => {
    const request = () => webhookRequest({ topic: "app/uninstalled", shop: SHOP, body: sampleWebhookBody("app/uninstalled") });
    expect((await post("app/uninstalled", request())).status).toBe(200);
    expect(await db.prisma.session.count({ where: { shop: SHOP } })).toBe(0);
    const settings = await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(settings.uninstalledAt).not.toBeNull();
    expect((await post("app/uninstalled", request())).status).toBe(200);
  });

  it("app/scopes_update stores the newly granted scopes on the offline session", async () => {
    const body = JSON.stringify({ id: 1, previous: ["read_orders"], current: ["read_orders", "read_all_orders"], updated_at: new Date().toISOString() });
    expect((await post("app/scopes_update", webhookRequest({ topic: "app/scopes_update", shop: SHOP, body }))).status).toBe(200);
    const session = await db.prisma.session.findFirstOrThrow({ where: { shop: SHOP } });
    expect(session.scope).toBe("read_orders,read_all_orders");
  });
});

describe("compliance webhooks", () => {
  async function seedOrderWithCustomer(orderId: string) {
    const snapshot = JSON.stringify({ id: orderId, email: "jane@example.com", customer: { email: "jane@example.com", first_name: "Jane" }, shipping_address: { address1: "1 Main St" }, line_items: [{ sku: "SKU-1", quantity: 1 }] });
    await db.prisma.orderSync.create({
      data: { shop: SHOP, orderId, orderGid: `gid://shopify/Order/${orderId}`, orderName: "#1", externalId: `shopify-${orderId}`, snapshot, sourceUpdatedAt: new Date() },
    });
    await db.prisma.webhookEvent.create({ data: { shop: SHOP, eventId: `e-${orderId}`, topic: "orders/create", orderId, payload: snapshot } });
  }

  it("customers/redact removes the customer's personal data from the listed orders and keeps the lines", async () => {
    await seedOrderWithCustomer("9007199254740993"); // above 2^53: must not be rounded
    await seedOrderWithCustomer("111");
    const body = '{"shop_id":1,"shop_domain":"' + SHOP + '","customer":{"id":1,"email":"jane@example.com","phone":null},"orders_to_redact":[9007199254740993]}';
    expect((await post("customers/redact", webhookRequest({ topic: "customers/redact", shop: SHOP, body }))).status).toBe(200);
    const redacted = await db.prisma.orderSync.findFirstOrThrow({ where: { orderId: "9007199254740993" } });
    expect(redacted.snapshot).not.toContain("jane@example.com");
    expect(redacted.snapshot).not.toContain("1 Main St");
    expect(redacted.snapshot).toContain("SKU-1");
    const event = await db.prisma.webhookEvent.findFirstOrThrow({ where: { orderId: "9007199254740993" } });
    expect(event.payload).not.toContain("jane@example.com");
    // An order not listed is untouched.
    expect((await db.prisma.orderSync.findFirstOrThrow({ where: { orderId: "111" } })).snapshot).toContain("jane@example.com");
  });

  it("customers/data_request answers 200 with Shopify's sample payload", async () => {
    const response = await post("customers/data_request", webhookRequest({ topic: "customers/data_request", shop: SHOP, body: sampleWebhookBody("customers/data_request").replace("{shop}.myshopify.com", SHOP) }));
    expect(response.status).toBe(200);
  });

  it("shop/redact erases everything stored for the shop and nothing of other shops", async () => {
    await seedOrderWithCustomer("222");
    await db.prisma.shopSettings.create({ data: { shop: "other.myshopify.com" } });
    const response = await post("shop/redact", webhookRequest({ topic: "shop/redact", shop: SHOP, body: sampleWebhookBody("shop/redact").replace("{shop}.myshopify.com", SHOP) }));
    expect(response.status).toBe(200);
    expect(await db.prisma.orderSync.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.prisma.webhookEvent.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.prisma.shopSettings.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.prisma.shopSettings.count({ where: { shop: "other.myshopify.com" } })).toBe(1);
  });
});

describe("webhook ack metrics", () => {
  it("every answer, accepted or refused, lands in the ack-latency histogram on /metrics", async () => {
    const { renderMetrics } = await import("../../app/observability/metrics");
    const acks = async () => {
      const { body } = await renderMetrics(db.prisma);
      const count = (status: number) => Number(new RegExp(`erp_sync_webhook_ack_seconds_count\\{topic="orders/create",status="${status}"\\} (\\d+)`).exec(body)?.[1] ?? 0);
      return { accepted: count(200), refused: count(401) };
    };
    const before = await acks();
    await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: sampleWebhookBody("orders/create") }));
    await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: sampleWebhookBody("orders/create"), hmac: "d3Jvbmc=" }));
    expect(await acks()).toEqual({ accepted: before.accepted + 1, refused: before.refused + 1 });
  });
});
