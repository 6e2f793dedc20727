// Hostile and broken webhook deliveries through the REAL route modules, the
// real library HMAC check and a real (temporary) SQLite database. Every case
// checks the status and message Shopify (or an attacker) gets, and that
// nothing already stored was lost: each test starts from a seeded ledger and
// compares counts and rows before and after.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { API_SECRET_KEY, getHmac } from "@shopify/shopify-api/test-helpers";
import { overrideAppConfig } from "../support/app-env";
import { useTestDatabaseForApp } from "../support/app-modules";
import type { TestDatabase } from "../../testkit/db";
import { makeOrder, toRawBody, updatedOrder } from "../../testkit/shopify-payloads";
import { sampleWebhookBody } from "../support/sample-webhooks";
import { webhookRequest } from "../support/webhook-request";
import { FakeErp } from "../../testkit/fake-erp";
import { makeWorker, drain } from "../sync/harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";
import { ledgerFingerprint, storedCounts } from "./support";
import { callRoute, type Handler } from "../support/route-calls";

const SHOP = "hostile-a.myshopify.com";
const OTHER = "hostile-b.myshopify.com";
const routes: Record<string, Handler> = {};
let db: TestDatabase;
let MAX_BYTES: number;

const post = (topic: string, request: Request) => callRoute(routes[topic], request);
const orderBody = (spec: Parameters<typeof makeOrder>[0] = {}) => toRawBody(makeOrder(spec));

async function installShop(shop: string) {
  const { sessionStorage } = await import("../../app/shopify.server");
  await sessionStorage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken: `shpat_${shop}`, scope: "read_orders" }));
  await db.prisma.shopSettings.upsert({ where: { shop }, create: { shop }, update: { uninstalledAt: null } });
}

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  const modules = {
    "orders/create": await import("../../app/routes/webhooks.orders.create"),
    "orders/updated": await import("../../app/routes/webhooks.orders.updated"),
    "refunds/create": await import("../../app/routes/webhooks.refunds.create"),
    "app/uninstalled": await import("../../app/routes/webhooks.app.uninstalled"),
    "customers/redact": await import("../../app/routes/webhooks.customers.redact"),
    "shop/redact": await import("../../app/routes/webhooks.shop.redact"),
  };
  for (const [topic, mod] of Object.entries(modules)) routes[topic] = mod.action as Handler;
  MAX_BYTES = (await import("../../app/webhooks/webhook-body.server")).MAX_WEBHOOK_BODY_BYTES;
});
afterAll(() => db.cleanup());

// Every test starts with two installed shops, each with one stored order.
beforeEach(async () => {
  for (const table of ["syncAttempt", "orderAction", "orderSync", "webhookEvent", "session", "shopSettings"] as const) {
    await (db.prisma[table] as { deleteMany(): Promise<unknown> }).deleteMany();
  }
  await installShop(SHOP);
  await installShop(OTHER);
  for (const [shop, id] of [[SHOP, 1001n], [OTHER, 2002n]] as const) {
    const res = await post("orders/create", webhookRequest({ topic: "orders/create", shop, body: orderBody({ id, name: `#${id}` }), eventId: `seed-${id}` }));
    expect(res.status).toBe(200);
  }
});

/** Runs the request and asserts status, that the process answered, and that nothing stored changed. */
async function expectRefusedUnchanged(topic: string, request: Request, status: number, message?: RegExp) {
  const before = await storedCounts(db.prisma);
  const ledger = await ledgerFingerprint(db.prisma);
  const response = await post(topic, request);
  expect(response.status).toBe(status);
  if (message) expect(await response.text()).toMatch(message);
  expect(await storedCounts(db.prisma)).toEqual(before);
  expect(await ledgerFingerprint(db.prisma)).toBe(ledger);
}

describe("signature and headers", () => {
  it("no HMAC header: 401 'not signed', nothing stored", async () => {
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: orderBody({ id: 5n }), hmac: null }), 401, /not signed/);
  });

  it("HMAC made with another secret: 401", async () => {
    const body = orderBody({ id: 5n });
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body, hmac: getHmac(body, "not-the-app-secret") }), 401);
  });

  it("HMAC that is not even base64: 401", async () => {
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: orderBody({ id: 5n }), hmac: "%%%not base64%%%" }), 401);
  });

  it("truncated body sent with the full body's HMAC: 401", async () => {
    const body = orderBody({ id: 5n });
    const hmac = getHmac(body, API_SECRET_KEY);
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: body.slice(0, body.length / 2), hmac }), 401);
  });

  it("truncated body that is correctly signed (cut in transit, re-signed): 400 'not valid JSON'", async () => {
    const body = orderBody({ id: 5n });
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: body.slice(0, 300) }), 400, /not valid JSON/);
  });

  it("empty signed body: 400 'body is empty'", async () => {
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: "" }), 400, /body is empty/);
  });

  it("no X-Shopify-Topic header: 400", async () => {
    const request = webhookRequest({ topic: "orders/create", shop: SHOP, body: orderBody({ id: 5n }) });
    request.headers.delete("X-Shopify-Topic");
    await expectRefusedUnchanged("orders/create", request, 400);
  });

  it("GET instead of POST: 405", async () => {
    await expectRefusedUnchanged("orders/create", new Request("https://x.test/webhooks/orders/create", { method: "GET" }), 405);
  });

  it("signed JSON sent as text/plain is still the verified body Shopify signed: processed once (200)", async () => {
    // Decision: the content type is not signed and Shopify only sends JSON, so
    // the HMAC-verified body decides; refusing it would only make Shopify retry.
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body: orderBody({ id: 6n }), contentType: "text/plain" }));
    expect(response.status).toBe(200);
    expect(await db.prisma.orderSync.count({ where: { shop: SHOP, orderId: "6" } })).toBe(1);
  });

  it("unknown topic posted to an order route: 200 (no Shopify retries) and nothing stored", async () => {
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "products/create", shop: SHOP, body: '{"id":1,"title":"Mug"}' }), 200);
  });
});

describe("shop identity", () => {
  it("shop/redact whose body names shop A but whose header says shop B: 400 and shop B keeps all its data", async () => {
    const body = sampleWebhookBody("shop/redact").replace("{shop}.myshopify.com", SHOP);
    await expectRefusedUnchanged("shop/redact", webhookRequest({ topic: "shop/redact", shop: OTHER, body }), 400, /another shop/);
    expect(await db.prisma.orderSync.count({ where: { shop: OTHER } })).toBe(1);
  });

  it("customers/redact replayed with another shop's header: 400 and no snapshot is touched", async () => {
    const body = `{"shop_id":1,"shop_domain":"${SHOP}","customer":{"id":1},"orders_to_redact":[2002]}`;
    await expectRefusedUnchanged("customers/redact", webhookRequest({ topic: "customers/redact", shop: OTHER, body }), 400, /another shop/);
  });

  it("app/uninstalled whose body is another shop's: 400 and the header's shop stays installed", async () => {
    const body = JSON.stringify({ id: 1, name: "A", domain: SHOP, myshopify_domain: SHOP });
    await expectRefusedUnchanged("app/uninstalled", webhookRequest({ topic: "app/uninstalled", shop: OTHER, body }), 400, /another shop/);
    expect((await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: OTHER } })).uninstalledAt).toBeNull();
  });

  it("order for a shop that never installed the app: 200 and nothing stored", async () => {
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: "stranger.myshopify.com", body: orderBody({ id: 7n }) }), 200);
  });

  it("order for a shop that uninstalled: 200 and nothing stored", async () => {
    const uninstall = JSON.stringify({ id: 1, myshopify_domain: OTHER });
    expect((await post("app/uninstalled", webhookRequest({ topic: "app/uninstalled", shop: OTHER, body: uninstall }))).status).toBe(200);
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: OTHER, body: orderBody({ id: 8n }) }), 200);
  });

  it("a shop header that is not a shop domain: 400 saying so (not a 500), nothing stored", async () => {
    const request = webhookRequest({ topic: "orders/create", shop: "../../etc/passwd", body: orderBody({ id: 9n }) });
    await expectRefusedUnchanged("orders/create", request, 400, /not a shop domain/);
  });
});

describe("replays and duplicates", () => {
  it("the same event id replayed days later (new webhook id, new triggered-at): 200, ledger untouched", async () => {
    const request = webhookRequest({ topic: "orders/create", shop: SHOP, body: orderBody({ id: 1001n, name: "#1001" }), eventId: "seed-1001", triggeredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() });
    await expectRefusedUnchanged("orders/create", request, 200);
  });

  it("an old orders/updated replayed after the inbox was purged (new event id) is recognised as stale", async () => {
    const newer = updatedOrder(makeOrder({ id: 1001n, name: "#1001" }), "2026-11-21T10:00:00-05:00", (o) => (o.note = "newest"));
    expect((await post("orders/updated", webhookRequest({ topic: "orders/updated", shop: SHOP, body: toRawBody(newer) }))).status).toBe(200);
    await db.prisma.webhookEvent.deleteMany(); // retention purge
    const before = await db.prisma.orderSync.findFirstOrThrow({ where: { shop: SHOP, orderId: "1001" } });
    const old = updatedOrder(makeOrder({ id: 1001n, name: "#1001" }), "2026-11-20T12:00:00-05:00", (o) => (o.note = "replayed old version"));
    const response = await post("orders/updated", webhookRequest({ topic: "orders/updated", shop: SHOP, body: toRawBody(old) }));
    expect(response.status).toBe(200);
    const after = await db.prisma.orderSync.findFirstOrThrow({ where: { shop: SHOP, orderId: "1001" } });
    expect(after.snapshot).toBe(before.snapshot);
    expect(after.revision).toBe(before.revision);
    expect((await db.prisma.webhookEvent.findFirstOrThrow()).processResult).toBe("stale");
  });

  it("twenty copies of one event at the same moment: one inbox row, one ledger row", async () => {
    const body = orderBody({ id: 10n });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body, eventId: "burst-1" }))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await db.prisma.webhookEvent.count({ where: { eventId: "burst-1" } })).toBe(1);
    expect(await db.prisma.orderSync.count({ where: { orderId: "10" } })).toBe(1);
  });

  it("the same order id under another shop stays two separate orders (no cross-shop merge)", async () => {
    expect((await post("orders/create", webhookRequest({ topic: "orders/create", shop: OTHER, body: orderBody({ id: 1001n, name: "#B-1001" }) }))).status).toBe(200);
    const rows = await db.prisma.orderSync.findMany({ where: { orderId: "1001" }, orderBy: { shop: "asc" } });
    expect(rows.map((r) => [r.shop, r.orderName])).toEqual([[SHOP, "#1001"], [OTHER, "#B-1001"]]);
  });
});

describe("size limits", () => {
  it("Content-Length above the limit: 413 with a clear message, body never read", async () => {
    const request = webhookRequest({ topic: "orders/create", shop: SHOP, body: orderBody({ id: 11n }) });
    request.headers.set("Content-Length", String(MAX_BYTES + 1));
    await expectRefusedUnchanged("orders/create", request, 413, /larger than 10 MB/);
  });

  it("a body above the limit without a truthful Content-Length (streamed): 413", async () => {
    const padding = "x".repeat(MAX_BYTES);
    const body = orderBody({ id: 12n, note: padding });
    await expectRefusedUnchanged("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body }), 413, /larger than/);
  });

  it("an order with 2,000 lines (about 2 MB) is accepted within Shopify's 5 s and stored whole", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => ({ title: `Bolt ${i}`, sku: `BOLT-${i}`, price: "0.10", quantity: 3 }));
    const body = orderBody({ id: 13n, lines });
    const started = Date.now();
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body }));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const row = await db.prisma.orderSync.findFirstOrThrow({ where: { shop: SHOP, orderId: "13" } });
    expect(JSON.parse(row.snapshot).line_items).toHaveLength(2000);
    expect(row.searchText.length).toBeLessThanOrEqual(4000);
  });
});

describe("time limit (as the Remix dev server hands bodies to the route; the production server: test/routes/webhook-http.test.ts)", () => {
  /** A signed delivery whose body arrives one byte every 50 ms after the first 100 bytes. */
  function tricklingRequest(topic: string, body: string): Request {
    const signed = webhookRequest({ topic, shop: SHOP, body });
    const bytes = new TextEncoder().encode(body);
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (at > 0) await new Promise((r) => setTimeout(r, 50));
        const next = at === 0 ? 100 : at + 1;
        controller.enqueue(bytes.subarray(at, next));
        at = next;
        if (at >= bytes.length) controller.close();
      },
    });
    return new Request(signed.url, { method: "POST", headers: signed.headers, body: stream, duplex: "half" } as RequestInit);
  }

  let restoreConfig = () => {};
  beforeEach(() => {
    restoreConfig = overrideAppConfig({ WEBHOOK_BODY_TIMEOUT_MS: "300" });
  });
  afterEach(() => restoreConfig());

  it.each([
    ["orders/create", () => orderBody({ id: 15n })],
    ["app/uninstalled", () => sampleWebhookBody("app/uninstalled")],
  ])("%s whose body trickles in: 408 at the limit with Connection: close, nothing stored", async (topic, body) => {
    const started = Date.now();
    await expectRefusedUnchanged(topic, tricklingRequest(topic, body()), 408, /did not arrive within 0.3 s/);
    expect(Date.now() - started).toBeLessThan(2_000);
    const again = await post(topic, tricklingRequest(topic, body()));
    expect(again.headers.get("Connection")).toBe("close");
  });
});

describe("payloads that parse but are not orders", () => {
  it.each([
    ["a JSON array", "[]"],
    ["a JSON number", "42"],
    ["null", "null"],
    ["an order without any id", JSON.stringify({ name: "#1", line_items: [] })],
    ["an order whose id is text", JSON.stringify({ id: "abc", admin_graphql_api_id: "gid://shopify/Order/abc", line_items: [] })],
  ])("%s: 200 (retrying cannot help), recorded as ignored, ledger untouched", async (_label, body) => {
    const ledger = await ledgerFingerprint(db.prisma);
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body, eventId: `junk-${_label}` }));
    expect(response.status).toBe(200);
    expect(await ledgerFingerprint(db.prisma)).toBe(ledger);
    const event = await db.prisma.webhookEvent.findFirst({ where: { eventId: `junk-${_label}` } });
    expect(event?.processResult).toMatch(/^ignored/);
  });

  it("JSON with __proto__ keys does not pollute objects in the process", async () => {
    const body = orderBody({ id: 14n }).replace(/^\{/, '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
    expect((await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body }))).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("very deeply nested JSON: answered without crashing the process", async () => {
    const deep = "[".repeat(50_000) + "]".repeat(50_000);
    const body = orderBody({ id: 15n }).replace('"note":null', `"note":${deep}`);
    const response = await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body }));
    expect(response.status).toBeLessThan(500);
  });

  it("an order id above 2^64 is kept digit for digit, never rounded", async () => {
    const body = orderBody({ id: 123456789012345678901234567890n });
    expect((await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body }))).status).toBe(200);
    expect(await db.prisma.orderSync.count({ where: { orderId: "123456789012345678901234567890" } })).toBe(1);
  });

  it("a refund for an order of another shop only touches the header's shop", async () => {
    const refund = JSON.stringify({ id: 99, order_id: 2002, created_at: "2026-11-21T10:00:00Z", refund_line_items: [], transactions: [], order_adjustments: [] });
    const otherBefore = await db.prisma.orderSync.findFirstOrThrow({ where: { shop: OTHER, orderId: "2002" } });
    expect((await post("refunds/create", webhookRequest({ topic: "refunds/create", shop: SHOP, body: refund }))).status).toBe(200);
    expect(await db.prisma.orderSync.findFirstOrThrow({ where: { shop: OTHER, orderId: "2002" } })).toEqual(otherBefore);
  });
});

describe("orders the ERP must not get as they are", () => {
  async function syncThroughWorker(body: string, orderId: string) {
    expect((await post("orders/create", webhookRequest({ topic: "orders/create", shop: SHOP, body }))).status).toBe(200);
    const erp = new FakeErp();
    const { worker } = makeWorker(db.prisma, new TestConfigProvider().set(SHOP, { erp }));
    await drain(worker);
    return { erp, row: await db.prisma.orderSync.findFirstOrThrow({ where: { shop: SHOP, orderId } }) };
  }

  it("negative quantity: needs attention in plain words, nothing sent to the ERP", async () => {
    const { erp, row } = await syncThroughWorker(orderBody({ id: 16n, name: "#1016", lines: [{ title: "Mug", sku: "MUG", quantity: -2 }] }), "16");
    expect(row.state).toBe("needs_attention");
    expect(JSON.parse(row.problems).join(" ")).toMatch(/"Mug" has quantity -2; the ERP needs a whole number above zero/);
    expect(erp.documentsFor(row.externalId)).toHaveLength(0);
  });

  it("unknown currency: needs attention naming the currency, nothing sent", async () => {
    const { erp, row } = await syncThroughWorker(orderBody({ id: 17n, currency: "XQZ" }), "17");
    expect(row.state).toBe("needs_attention");
    expect(JSON.parse(row.problems).join(" ")).toMatch(/currency "XQZ" is not a known currency code/);
    expect(erp.documentsFor(row.externalId)).toHaveLength(0);
  });

  it("script tags in names are stored as plain data, byte for byte", async () => {
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const { erp, row } = await syncThroughWorker(orderBody({ id: 18n, name: `#18${evil}`, lines: [{ title: evil, sku: "EVIL" }] }), "18");
    expect(row.orderName).toBe(`#18${evil}`);
    expect(erp.documentsFor(row.externalId)[0].order.lines[0].title).toBe(evil);
  });
});
