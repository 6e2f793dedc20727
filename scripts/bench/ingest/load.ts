// The webhook load generator of bench:ingest, shared with bench:memory:
// signed orders/create webhooks (Shopify's sample order, 3 lines, its id
// swapped per request so every event is a new order) with a share of
// redeliveries, sent flat out by autocannon.
import { createHmac, randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { makeOrder, toRawBody } from "../../../testkit/shopify-payloads";

export interface Signed {
  body: string;
  headers: Record<string, string>;
}

export interface RunResult {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  duplicatesSent: number;
}

const TEMPLATE_ID = 7770000000000000000n;
const template = toRawBody(
  makeOrder({
    id: TEMPLATE_ID,
    lines: [
      { title: "Blue T-shirt", sku: "TSHIRT-BLUE-M", price: "19.99", quantity: 2 },
      { title: "Wallet", sku: "WALLET-BRN", price: "45.50" },
      { title: "Tote", sku: "TOTE-CANVAS", price: "12.00" },
    ],
  }),
);
const templateParts = template.split(String(TEMPLATE_ID));

/** Shopify's webhook headers for `body`, signed with the app's secret. */
export function signedHeaders(shop: string, apiSecret: string, topic: string, body: string, eventId: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-event-id": eventId,
    "x-shopify-triggered-at": new Date().toISOString(),
    "x-shopify-hmac-sha256": createHmac("sha256", apiSecret).update(body).digest("base64"),
  };
}

export function createWebhookLoad(options: { shop: string; apiSecret: string; seconds: number; duplicateShare: number }) {
  const { shop, apiSecret, seconds, duplicateShare } = options;

  function eventFor(n: number, runTag: string): Signed {
    // Distinct 19-digit ids per run and request (the app dedupes on event id; the ledger on order id).
    const id = (TEMPLATE_ID + BigInt(runTag.charCodeAt(0)) * 10_000_000n + BigInt(n)).toString();
    const body = templateParts.join(id);
    return { body, headers: signedHeaders(shop, apiSecret, "orders/create", body, `${runTag}-${n}`) };
  }

  /** The requests of one run: new events, and a share of redeliveries of earlier ones. */
  function eventSource(runTag: string) {
    let n = 0;
    let duplicatesSent = 0;
    const sent: Signed[] = [];
    return {
      next(): Signed {
        if (sent.length > 10 && Math.random() < duplicateShare) {
          duplicatesSent++;
          return sent[Math.floor(Math.random() * sent.length)];
        }
        const event = eventFor(n++, runTag);
        if (sent.length < 2000) sent.push(event);
        return event;
      },
      get sentNew() {
        return n;
      },
      get duplicatesSent() {
        return duplicatesSent;
      },
    };
  }

  /** As fast as it goes: autocannon with `connections` requests in flight for `seconds`. */
  async function flatOut(url: string, runTag: string, connections: number): Promise<RunResult & { newEvents: number }> {
    const events = eventSource(runTag);
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      requests: [
        {
          method: "POST",
          path: "/webhooks/orders/create",
          setupRequest: (req) => {
            const event = events.next();
            return { ...req, headers: { ...req.headers, ...event.headers }, body: event.body };
          },
        },
      ],
    });
    return {
      requests: result.requests.total,
      throughput: result.requests.total / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      duplicatesSent: events.duplicatesSent,
      newEvents: events.sentNew,
    };
  }

  return { eventFor, eventSource, flatOut };
}
