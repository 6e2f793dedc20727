// Text PostgreSQL refuses, in every text field of an order: U+0000 and lone
// surrogates (sent by Shopify as the JSON escapes \u0000, \ud800, \udc00),
// next to 4-byte characters that must pass untouched. Whatever the field, the
// order is stored exactly as received, shows up in the ledger with a readable
// name and search text, reaches the ERP, and a redelivery is a duplicate.
// Before the text rules (app/lib/storable-text.ts) such an order got a 500 on
// PostgreSQL, every redelivery too, and was cut short at the U+0000 on SQLite.
import type { OrderSync } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOrderLog, parseOrderLogFilters } from "../../app/models/order-log.server";
import { lookupItemNumbers, upsertSkuMapping } from "../../app/settings/sku-mapping.server";
import type { CanonicalOrder } from "../../app/sync/order/canonical-order";
import { recordErpDifference } from "../../app/sync/ledger/erp-differences";
import { parseJsonExact } from "../../app/sync/order/exact-json";
import { recordOrderSnapshot, recordWebhookEvent } from "../../app/sync/intake/intake";
import type { ShopConfigProvider } from "../../app/sync/shop-config";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, makeRefund, toRawBody, webhookInput, type Payload } from "../../testkit/shopify-payloads";
import { drain, makeWorker, SHOP, TestClock } from "./harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

let db: TestDatabase;
let nextId = 6100000000000000001n;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

interface OddText {
  name: string;
  text: string;
  /** How the raw body carries it. */
  inBody: string;
  /** What a plain text column holds instead. */
  stored: string;
}

const ODD_TEXTS: OddText[] = [
  { name: "U+0000", text: "a\u0000b", inBody: "a\\u0000b", stored: "a\uFFFDb" },
  { name: "a lone high surrogate", text: "a\ud800b", inBody: "a\\ud800b", stored: "a\uFFFDb" },
  { name: "a lone low surrogate", text: "a\udc00b", inBody: "a\\udc00b", stored: "a\uFFFDb" },
  { name: "4-byte characters", text: "a😀𝄞b", inBody: "a😀𝄞b", stored: "a😀𝄞b" },
];

interface TextField {
  field: string;
  /** Puts the text where Shopify would send it. */
  put(order: Payload, text: string): void;
  /** Where the ERP finds it. */
  sent(order: CanonicalOrder): unknown;
  /** The ledger column built from it (searchText is lowercased), if any. */
  derived?: "orderName" | "searchText";
}

const FIELDS: TextField[] = [
  { field: "note", put: (o, t) => (o.note = t), sent: (o) => o.note },
  { field: "order name", put: (o, t) => (o.name = `#${t}`), sent: (o) => o.name.slice(1), derived: "orderName" },
  { field: "line item title", put: (o, t) => (o.line_items[0].title = t), sent: (o) => o.lines[0].title, derived: "searchText" },
  { field: "variant title", put: (o, t) => (o.line_items[0].variant_title = t), sent: (o) => o.lines[0].variantTitle, derived: "searchText" },
  { field: "SKU", put: (o, t) => (o.line_items[0].sku = t), sent: (o) => o.lines[0].sku, derived: "searchText" },
  { field: "customer first name", put: (o, t) => (o.customer.first_name = t), sent: (o) => o.customer?.firstName },
  { field: "customer last name", put: (o, t) => (o.customer.last_name = t), sent: (o) => o.customer?.lastName },
  { field: "customer e-mail", put: (o, t) => (o.customer.email = `${t}@example.com`), sent: (o) => o.customer?.email?.split("@")[0] },
  { field: "shipping address line", put: (o, t) => (o.shipping_address.address1 = t), sent: (o) => o.shippingAddress?.address1 },
  { field: "billing address city", put: (o, t) => (o.billing_address.city = t), sent: (o) => o.billingAddress?.city },
  { field: "billing address company", put: (o, t) => (o.billing_address.company = t), sent: (o) => o.billingAddress?.company },
  { field: "tags", put: (o, t) => (o.tags = `vip, ${t}`), sent: (o) => o.tags[1] },
  { field: "discount code", put: (o, t) => (o.discount_applications[0].code = t), sent: (o) => o.discounts[0].code },
  { field: "shipping title", put: (o, t) => (o.shipping_lines[0].title = t), sent: (o) => o.shippingLines[0].title },
];

/** The fake ERP behind a provider whose SKU look-up is the real one (a query with the order's SKU in it). */
function setUp(): { erp: FakeErp; provider: ShopConfigProvider; clock: TestClock } {
  const erp = new FakeErp();
  const base = new TestConfigProvider().set(SHOP, { erp });
  const provider: ShopConfigProvider = {
    async forShop(shop) {
      const config = await base.forShop(shop);
      return config && { ...config, lookupItemNumbers: (skus) => lookupItemNumbers(db.prisma, shop, skus) };
    },
  };
  return { erp, provider, clock: new TestClock() };
}

function freshOrder(): Payload {
  const id = nextId++;
  // A discounted line, so the order has a discount application (with a code).
  return makeOrder({ id, name: `#${id % 100000n}`, lines: [{ title: "Mug", variantTitle: "Large", sku: "MUG-L", price: "12.00", discount: "2.00" }] });
}

/** Every text column as staff and the database see it: no U+0000, no half of a surrogate pair. */
function expectStorable(row: OrderSync): void {
  for (const [column, value] of Object.entries(row)) {
    if (typeof value !== "string") continue;
    expect(value.includes("\u0000"), `${column} holds U+0000`).toBe(false);
    expect(value.isWellFormed(), `${column} holds a lone surrogate`).toBe(true);
  }
}

async function findInLedger(query: string): Promise<string[]> {
  const page = await listOrderLog(db.prisma, SHOP, parseOrderLogFilters(new URLSearchParams({ q: query })));
  return page.rows.map((r) => r.id);
}

describe.each(ODD_TEXTS)("$name in an order", (odd) => {
  it.each(FIELDS)("$field: stored exactly, readable in the ledger, sent to the ERP, redelivery is a duplicate", async (field) => {
    const { erp, provider, clock } = setUp();
    const order = freshOrder();
    field.put(order, odd.text);
    const input = webhookInput(SHOP, "orders/create", order);
    expect(input.rawBody).toContain(odd.inBody);

    const first = await recordWebhookEvent(db.prisma, input);
    expect(first.status).toBe("recorded");
    const event = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: SHOP, eventId: input.eventId! } });
    expect(event.payload).toBe(input.rawBody);
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: first.orderSyncId! } });
    expect(row.snapshot).toBe(input.rawBody);
    expectStorable(row);
    if (field.derived === "orderName") expect(row.orderName).toBe(`#${odd.stored}`);
    if (field.derived === "searchText") expect(row.searchText).toContain(odd.stored.toLowerCase());
    // Staff find it, searching for the text as they copied it or by the order's name.
    expect(await findInLedger(field.derived ? odd.text : row.orderName)).toContain(row.id);

    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);
    const synced = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: row.id } });
    expect(synced.state).toBe("synced");
    const documents = erp.documentsFor(row.externalId);
    expect(documents).toHaveLength(1);
    // The ERP gets the text as Shopify sent it.
    expect(field.sent(documents[0].order)).toBe(odd.text);

    expect((await recordWebhookEvent(db.prisma, input)).status).toBe("duplicate");
    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);
    expect(erp.documentsFor(row.externalId)).toHaveLength(1);
    expect(erp.calls.filter((c) => c.externalId === row.externalId && c.operation !== "findOrder")).toHaveLength(1);
  });

  it("refund note: the refund is stored, reaches the ERP with its note, and its redelivery is a duplicate", async () => {
    const { erp, provider, clock } = setUp();
    const order = freshOrder();
    const orderInput = webhookInput(SHOP, "orders/create", order);
    const recorded = await recordWebhookEvent(db.prisma, orderInput);
    const refundInput = webhookInput(SHOP, "refunds/create", makeRefund(order, { note: odd.text }));
    expect(refundInput.rawBody).toContain(odd.inBody);

    expect((await recordWebhookEvent(db.prisma, refundInput)).status).toBe("recorded");
    const event = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: SHOP, eventId: refundInput.eventId! } });
    expect(event.payload).toBe(refundInput.rawBody);
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: recorded.orderSyncId! } });
    expectStorable(row);
    expect(JSON.parse(row.refunds)[0].note).toBe(odd.text);

    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: row.id } })).state).toBe("synced");
    expect(erp.documentsFor(row.externalId)[0].refunds.map((r) => r.note)).toEqual([odd.text]);
    expect((await recordWebhookEvent(db.prisma, refundInput)).status).toBe("duplicate");
  });

  it("a line without a SKU whose title carries it: needs attention, with a message staff can read", async () => {
    const { erp, provider, clock } = setUp();
    const order = freshOrder();
    order.line_items[0].title = odd.text;
    order.line_items[0].variant_title = null;
    order.line_items[0].sku = null;
    const recorded = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));

    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: recorded.orderSyncId! } });
    expect(row.state).toBe("needs_attention");
    expectStorable(row);
    expect(row.lastError).toContain(`line item "${odd.stored}" has no SKU`);
    // The problems list is JSON: it keeps the title exactly, as a JSON escape.
    expect(JSON.parse(row.problems)[0]).toContain(`line item "${odd.text}" has no SKU`);
    expect(erp.calls.filter((c) => c.externalId === row.externalId)).toHaveLength(0);
  });

  it("a SKU carrying it finds the mapping staff made of it as the ledger shows it", async () => {
    const { erp, provider, clock } = setUp();
    const order = freshOrder();
    order.line_items[0].sku = odd.text;
    await upsertSkuMapping(db.prisma, SHOP, { sku: odd.stored, itemNumber: `ITEM-${odd.name}` }, { actor: "anna@acme.test" });
    const recorded = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));

    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: recorded.orderSyncId! } });
    expect(row.state).toBe("synced");
    const line = erp.documentsFor(row.externalId)[0].order.lines[0];
    expect([line.sku, line.itemNumber]).toEqual([odd.text, `ITEM-${odd.name}`]);
  });

  it("an ERP answer carrying it: the sync log and the ledger keep a readable message", async () => {
    const { erp, provider, clock } = setUp();
    const order = freshOrder();
    erp.failNext("createOrder", { kind: "unprocessable", message: `field ${odd.text} is not allowed` }, 1, `shopify-${order.id}`);
    const recorded = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));

    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: recorded.orderSyncId! } });
    expect(row.state).toBe("needs_attention");
    expectStorable(row);
    expect(row.lastError).toContain(`field ${odd.stored} is not allowed`);
    const attempt = await db.prisma.syncAttempt.findFirstOrThrow({ where: { orderSyncId: row.id } });
    expect(attempt.responseSummary).toBe(`field ${odd.stored} is not allowed`);
    expect(attempt.errorMessage).toContain(`field ${odd.stored} is not allowed`);
  });
});

describe("JSON text handed in by code (not a UTF-8 body)", () => {
  it("a raw lone surrogate in a snapshot's text is stored as its JSON escape: same order, nothing lost", async () => {
    const order = freshOrder();
    const rawBody = toRawBody(order).replace('"title":"Mug"', '"title":"Mug\ud800"');
    expect(rawBody).toContain("Mug\ud800");
    const recorded = await recordOrderSnapshot(db.prisma, { shop: SHOP, source: "refetch", rawBody, observedAt: new Date() });
    expect(recorded.status).toBe("recorded");
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: recorded.orderSyncId! } });
    expect(row.snapshot).toBe(rawBody.replace("Mug\ud800", "Mug\\ud800"));
    expect(parseJsonExact(row.snapshot)).toEqual(parseJsonExact(rawBody));
    const event = await db.prisma.webhookEvent.findFirstOrThrow({ where: { shop: SHOP, orderId: row.orderId } });
    expect(event.payload).toBe(row.snapshot);
  });
});

describe("an ERP check finding a difference", () => {
  it("keeps a message and an ERP total holding U+0000 or a lone surrogate readable", async () => {
    const { provider, clock } = setUp();
    const order = freshOrder();
    const recorded = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));
    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);

    const difference = { shop: SHOP, orderId: String(order.id), kind: "total_mismatch", erpTotal: "21.00\u0000", message: "ERP total 21.00\u0000 \ud800" } as const;
    expect(await recordErpDifference(db.prisma, difference)).toBe(true);
    const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: recorded.orderSyncId! } });
    expect(row.state).toBe("needs_attention");
    expectStorable(row);
    expect([row.erpTotal, row.lastError]).toEqual(["21.00\uFFFD", "ERP total 21.00\uFFFD \uFFFD"]);
    expect((await db.prisma.orderAction.findFirstOrThrow({ where: { orderSyncId: row.id } })).note).toBe("ERP total 21.00\uFFFD \uFFFD");
  });
});

describe("4-byte characters at a length limit", () => {
  it("an order whose search text is cut inside an emoji is stored, the cut half replaced", async () => {
    // The search text is cut at 4,000 characters; with two orders one
    // character apart, one of the cuts falls inside an emoji (two UTF-16 units).
    const lines = Array.from({ length: 30 }, (_, i) => ({ title: "🎁".repeat(100), sku: `S${i}`, price: "1.00" }));
    const ends: string[] = [];
    for (const name of ["#1", "#12"]) {
      const order = makeOrder({ id: nextId++, name, lines });
      const recorded = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));
      expect(recorded.status).toBe("recorded");
      const row = await db.prisma.orderSync.findUniqueOrThrow({ where: { id: recorded.orderSyncId! } });
      expectStorable(row);
      expect(row.searchText.length).toBeGreaterThan(3_990);
      ends.push(row.searchText.slice(-1));
    }
    expect(ends.sort()).toEqual(["\uFFFD", "🎁".slice(-1)].sort());
  });

  it("an ERP answer cut inside an emoji by the sync log's 500-character limit is stored, the cut half replaced", async () => {
    const { erp, provider, clock } = setUp();
    const order = freshOrder();
    erp.failNext("createOrder", { kind: "unprocessable", message: "😀".repeat(300) }, 1, `shopify-${order.id}`);
    const recorded = await recordWebhookEvent(db.prisma, webhookInput(SHOP, "orders/create", order));

    await drain(makeWorker(db.prisma, provider, { now: clock.now, random: () => 0.5 }).worker);
    const attempt = await db.prisma.syncAttempt.findFirstOrThrow({ where: { orderSyncId: recorded.orderSyncId! } });
    expect(attempt.outcome).toBe("needs_attention");
    expect(attempt.responseSummary).toBe(`${"😀".repeat(249)}\uFFFD…`);
  });
});
