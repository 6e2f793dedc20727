// The demo's stream of Shopify events: Shopify's documented orders/create
// sample (via testkit/shopify-payloads.ts) varied into a realistic mix:
// different customers, products, quantities and amounts; a few orders with a
// line that has no SKU, a few with an old SKU the ERP does not know; an
// update, a cancellation, a refund and one redelivery (Shopify delivers at
// least once). Each event is signed exactly as Shopify signs webhooks
// (base64 HMAC-SHA256 of the raw body with the app's secret) and POSTed to
// the app's real webhook routes.
import { createHmac, randomUUID } from "node:crypto";
import { makeOrder, makeRefund, toRawBody, updatedOrder, type LineSpec, type Payload, type SampleTopic } from "../../testkit/shopify-payloads";
import { mulberry32 } from "../../testkit/seeded-random";

export const DEMO_WEBHOOK_API_VERSION = "2026-10";

/** Products of the demo shop; their SKUs are the ERP's item numbers. */
export const CATALOGUE: readonly { title: string; variant: string | null; sku: string; price: string }[] = [
  { title: "Blue T-shirt", variant: "M", sku: "TSHIRT-BLUE-M", price: "19.99" },
  { title: "Blue T-shirt", variant: "L", sku: "TSHIRT-BLUE-L", price: "19.99" },
  { title: "Aviator sunglasses", variant: null, sku: "SUN-AVIATOR", price: "89.00" },
  { title: "Leather wallet", variant: "Brown", sku: "WALLET-BRN", price: "45.50" },
  { title: "Canvas tote", variant: null, sku: "TOTE-CANVAS", price: "12.00" },
  { title: "Wool beanie", variant: "Grey", sku: "BEANIE-GRY", price: "24.90" },
];

/** A SKU still on some variants in Shopify that the ERP never had (renamed there to TSHIRT-BLUE-M). */
export const LEGACY_SKU = { sku: "OLD-TEE-M", itemNumber: "TSHIRT-BLUE-M", title: "Blue T-shirt (old stock)", variant: "M", price: "19.99" };

const CUSTOMERS = [
  ["Ada", "Lovelace", "London", "GB"],
  ["Grace", "Hopper", "Arlington", "US"],
  ["Linus", "Berg", "Stockholm", "SE"],
  ["Chiara", "Rossi", "Milan", "IT"],
  ["Kenji", "Sato", "Osaka", "JP"],
  ["Amara", "Okafor", "Lagos", "NG"],
  ["Lucía", "García", "Seville", "ES"],
  ["Jan", "Novak", "Brno", "CZ"],
] as const;

export interface DemoEvent {
  topic: SampleTopic;
  body: string;
  eventId: string;
  /** What this event is there to show, for the console. */
  label: string;
  /** Kind of order, so the demo can check the outcome. */
  expect: "synced" | "no-sku" | "unknown-item" | "cancelled" | "duplicate";
  orderName: string;
}

function withCustomer(order: Payload, i: number): Payload {
  const [first, last, city, country] = CUSTOMERS[i % CUSTOMERS.length];
  // Demo addresses are made up (example.com): no real personal data anywhere.
  const email = `${first}.${last}`.toLowerCase().normalize("NFD").replace(/[^a-z.]/g, "") + "@example.com";
  order.email = email;
  order.contact_email = email;
  if (order.customer) Object.assign(order.customer, { first_name: first, last_name: last, email });
  for (const key of ["billing_address", "shipping_address"]) {
    if (order[key]) Object.assign(order[key], { first_name: first, last_name: last, name: `${first} ${last}`, city, country_code: country });
  }
  return order;
}

/**
 * `count` new orders (at least 8) and the follow-up events, in the order they are sent.
 * Ids are above 2^53 like Shopify's, so precision loss would show.
 */
export function demoEvents(count: number, seed = 42): DemoEvent[] {
  const rand = mulberry32(seed);
  const baseId = 5810000000000000000n + BigInt(seed) * 1000n;
  const start = Date.parse("2026-11-24T09:00:00Z");
  const events: DemoEvent[] = [];
  const orders: Payload[] = [];
  const noSkuAt = new Set([3, Math.floor(count * 0.7)]);
  const legacyAt = new Set([5, Math.floor(count * 0.85)]);

  for (let i = 0; i < count; i++) {
    const lineCount = 1 + Math.floor(rand() * 3);
    const lines: LineSpec[] = [];
    for (let l = 0; l < lineCount; l++) {
      const p = CATALOGUE[Math.floor(rand() * CATALOGUE.length)];
      lines.push({ title: p.title, variantTitle: p.variant, sku: p.sku, price: p.price, quantity: 1 + Math.floor(rand() * 3) });
    }
    let expect: DemoEvent["expect"] = "synced";
    let label = "new order";
    if (noSkuAt.has(i)) {
      lines.push({ title: "Gift wrapping", variantTitle: null, sku: null, price: "3.50" });
      expect = "no-sku";
      label = "new order; one line has no SKU in Shopify";
    } else if (legacyAt.has(i)) {
      lines.push({ title: LEGACY_SKU.title, variantTitle: LEGACY_SKU.variant, sku: LEGACY_SKU.sku, price: LEGACY_SKU.price });
      expect = "unknown-item";
      label = `new order; SKU ${LEGACY_SKU.sku} is unknown to the ERP`;
    }
    const created = new Date(start + i * 97_000).toISOString();
    const order = withCustomer(
      makeOrder({ id: baseId + BigInt(i), name: `#${1101 + i}`, createdAt: created, lines, shippingPrice: rand() < 0.3 ? "0.00" : "4.90", currency: "EUR" }),
      i,
    );
    orders.push(order);
    events.push({ topic: "orders/create", body: toRawBody(order), eventId: randomUUID(), label, expect, orderName: order.name });
  }

  // Follow-ups on ordinary orders (never on the ones that need attention).
  const ordinary = events.map((e, i) => (e.expect === "synced" ? i : -1)).filter((i) => i >= 0);
  const [updatedIdx, cancelledIdx, refundedIdx] = [ordinary[1], ordinary[2], ordinary[4]];
  const later = (o: Payload) => new Date(Date.parse(o.created_at) + 3_600_000).toISOString();

  const updated = updatedOrder(orders[updatedIdx], later(orders[updatedIdx]), (o) => {
    o.note = "Please leave the parcel with the neighbour";
    if (o.shipping_address) o.shipping_address.address2 = "2nd floor";
  });
  events.push({ topic: "orders/updated", body: toRawBody(updated), eventId: randomUUID(), label: "address changed", expect: "synced", orderName: updated.name });

  const cancelled = updatedOrder(orders[cancelledIdx], later(orders[cancelledIdx]), (o) => {
    o.cancelled_at = later(orders[cancelledIdx]);
    o.cancel_reason = "customer";
  });
  events.push({ topic: "orders/cancelled", body: toRawBody(cancelled), eventId: randomUUID(), label: "cancelled by the customer", expect: "cancelled", orderName: cancelled.name });

  const refund = makeRefund(orders[refundedIdx], { refundId: baseId + 900n, createdAt: later(orders[refundedIdx]), note: "Arrived damaged" });
  events.push({ topic: "refunds/create", body: toRawBody(refund), eventId: randomUUID(), label: "one item refunded", expect: "synced", orderName: orders[refundedIdx].name });

  // Shopify redelivers an event it got no answer for: same event id, same body.
  const again = events[0];
  events.push({ ...again, label: "redelivery of an event already received", expect: "duplicate" });
  return events;
}

/** The headers Shopify sends with a webhook, signature included. */
export function signedHeaders(event: DemoEvent, shop: string, apiSecret: string): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": event.topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": DEMO_WEBHOOK_API_VERSION,
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": event.eventId,
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": createHmac("sha256", apiSecret).update(event.body, "utf8").digest("base64"),
  };
}

/** POSTs one event to the app's webhook route; returns the HTTP status. */
export async function deliver(appUrl: string, event: DemoEvent, shop: string, apiSecret: string): Promise<number> {
  const res = await fetch(`${appUrl}/webhooks/${event.topic}`, {
    method: "POST",
    headers: signedHeaders(event, shop, apiSecret),
    body: event.body,
  });
  await res.arrayBuffer();
  return res.status;
}
