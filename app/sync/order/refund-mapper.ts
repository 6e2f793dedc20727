// Shopify refund (REST shape: refunds/create webhook, an order's refunds[],
// or our GraphQL conversion) -> CanonicalRefund. The rules, with their
// sources, are in docs/sync-engine.md ("Refunds"):
// - the money returned is the refund's successful `refund` transactions
//   (Shopify: "transactions: A list of transactions involved in the
//   refund"), not a sum of its lines: a merchant may return less or more;
// - line amounts follow the order's tax convention: with taxes included,
//   `subtotal` already holds the tax, so tax is never added on top (the
//   double count seen on every tax-inclusive refund);
// - a refund that moved no money and returned no items (an order edit that
//   removed units, a failed payment) is "absorbed": the sales document just
//   carries fewer units, and no credit note is written;
// - a refund whose transaction is still pending waits, and is sent once it
//   has settled.
import type { CanonicalRefund, CanonicalRefundLine } from "./canonical-order";
import { compareDecimals, negateDecimal, subtractDecimals, sumMoney } from "../../lib/decimal";
import { exactId } from "./exact-json";
import { amountOf, type MoneySetLike, type MoneyView } from "./shopify-money";
import type { ShopifyRestRefund } from "./shopify-rest-order";

export interface RefundMapContext {
  view: MoneyView;
  /** The order has one currency (presentment = shop): plain amounts count in both views. */
  singleCurrency: boolean;
  taxesIncluded: boolean;
}

// Transaction statuses that may still turn into money returned (REST:
// pending; GraphQL OrderTransactionStatus: PENDING, AWAITING_RESPONSE, UNKNOWN).
const UNSETTLED = new Set(["pending", "awaiting_response", "unknown"]);

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === "" ? null : s;
}

type Transaction = NonNullable<ShopifyRestRefund["transactions"]>[number];

/** A transaction's amount in the view: `amount` is in the transaction's (presentment) currency. */
function transactionAmount(t: Transaction, ctx: RefundMapContext): string | null {
  if (t.amount_set) return amountOf(t.amount_set as MoneySetLike, null, ctx.view, ctx.singleCurrency);
  if (ctx.view === "presentment" || ctx.singleCurrency) return amountOf(null, t.amount, "shop", true);
  return null;
}

export function mapRefund(refund: ShopifyRestRefund, ctx: RefundMapContext): CanonicalRefund {
  const money = (set: MoneySetLike) => amountOf(set, null, ctx.view, ctx.singleCurrency);
  const lines: CanonicalRefundLine[] = (refund.refund_line_items ?? []).map((r) => ({
    lineId: exactId(null, r.line_item_id) ?? "",
    sku: text(r.line_item?.sku),
    quantity: r.quantity,
    amount: money(r.subtotal_set) ?? "0.00",
    tax: money(r.total_tax_set) ?? "0.00",
    restockType: text(r.restock_type),
  }));

  const adjustments = refund.order_adjustments ?? [];
  // Before API 2024-10, refunded shipping came as order adjustments of kind
  // shipping_refund; since then as refund_shipping_lines. Adjustments are
  // signed from the order's side (shipping refunded is negative), so they
  // are negated to read as money returned.
  const legacyShipping = adjustments.filter((a) => a.kind === "shipping_refund");
  const shippingNet = sumMoney([
    ...(refund.refund_shipping_lines ?? []).map((s) => money(s.subtotal_amount_set)),
    ...legacyShipping.map((a) => negated(money(a.amount_set))),
  ]);
  const shippingTax = sumMoney([
    ...(refund.refund_shipping_lines ?? []).map((s) => money(s.tax_amount_set)),
    ...legacyShipping.map((a) => negated(money(a.tax_amount_set))),
  ]);
  const adjustment = sumMoney(adjustments.filter((a) => a.kind !== "shipping_refund").map((a) => negated(money(a.amount_set))));
  const duties = sumMoney((refund.duties ?? []).map((d) => money(d.amount_set)));
  const tax = sumMoney([...lines.map((l) => l.tax), shippingTax]);
  const shipping = ctx.taxesIncluded ? sumMoney([shippingNet, shippingTax]) : shippingNet;
  const components = sumMoney([...lines.map((l) => l.amount), shipping, duties, ctx.taxesIncluded ? null : tax, adjustment]);

  const transactions = refund.transactions;
  const refundTransactions = (transactions ?? []).filter((t) => (t.kind ?? "refund") === "refund");
  const succeeded = refundTransactions.filter((t) => t.status === "success");
  const unsettled = refundTransactions.filter((t) => UNSETTLED.has(String(t.status ?? "")));
  const returnedItems = lines.some((l) => l.restockType === "return");

  let amount: string;
  let movesMoney: boolean;
  const total = money(refund.total_refunded_set);
  if (total !== null) {
    amount = total;
    movesMoney = compareDecimals(total, "0") !== 0 || unsettled.length > 0;
  } else if (transactions === null || transactions === undefined) {
    // A payload without the transactions list (older API versions, refunds
    // stored before this rule): the refund is taken at its calculated value.
    amount = components;
    movesMoney = true;
  } else {
    const amounts = succeeded.map((t) => transactionAmount(t, ctx));
    // A multi-currency refund's transactions are in the buyer's currency;
    // without a shop-money amount on them its shop-money value is its parts'.
    amount = amounts.every((a) => a !== null) ? sumMoney(amounts) : components;
    movesMoney = succeeded.length + unsettled.length > 0;
  }
  const kind = movesMoney || returnedItems ? "credit" : "absorbed";
  const status = unsettled.length > 0 ? "pending" : "settled";
  // A return with exchange: the customer took other items for part of the
  // value, so less money came back than the returned items are worth.
  const exchangeCredit =
    kind === "credit" && status === "settled" && refund.return && compareDecimals(components, amount) > 0
      ? subtractDecimals(components, amount)
      : "0.00";

  return {
    refundId: exactId(refund.admin_graphql_api_id, refund.id) ?? "",
    createdAt: refund.created_at ?? "",
    note: text(refund.note),
    kind,
    status,
    lines,
    shipping,
    tax,
    duties,
    adjustment,
    exchangeCredit,
    amount,
  };
}

function negated(value: string | null): string | null {
  return value === null ? null : negateDecimal(value);
}

/**
 * What a credit-note refund took off Shopify's current total: the value of
 * its units, shipping and duties (tax too when prices exclude it). Adding it
 * back gives what the sales document, which keeps those units, adds up to.
 */
export function refundedGoodsValue(refund: CanonicalRefund, taxesIncluded: boolean): string {
  return sumMoney([...refund.lines.map((l) => l.amount), refund.shipping, refund.duties, taxesIncluded ? null : refund.tax]);
}

/** The parts of a refund as a credit note adds them up (lines, shipping, duties, tax when excluded, adjustment). */
export function refundComponentsTotal(refund: CanonicalRefund, taxesIncluded: boolean): string {
  return sumMoney([refundedGoodsValue(refund, taxesIncluded), refund.adjustment]);
}

/**
 * Merge what is known about refunds: a refund seen again (in a newer order
 * snapshot, or redelivered) replaces the older record, unless the older one
 * had already settled and the newer one says pending (an older snapshot
 * arriving late).
 */
export function mergeRefunds(existing: CanonicalRefund[], incoming: CanonicalRefund[]): CanonicalRefund[] {
  const byId = new Map(existing.map((r) => [r.refundId, r]));
  for (const r of incoming) {
    const known = byId.get(r.refundId);
    if (!known || !(known.status === "settled" && r.status === "pending")) byId.set(r.refundId, r);
  }
  return [...byId.values()];
}

/**
 * A refund as the ledger keeps it (OrderSync.refunds): Shopify's own refund
 * object, trimmed to the fields mapRefund reads, so it is mapped again with
 * the order's tax convention and currencies when it is sent (a refunds/create
 * webhook says neither). Rows written before this rule hold canonical
 * refunds (they have `refundId`); those read as settled credit refunds.
 */
export type StoredRefund = ShopifyRestRefund | LegacyStoredRefund;

interface LegacyStoredRefund {
  refundId: string;
  amount: string;
  createdAt?: string;
  note?: string | null;
  lines?: Array<{ lineId: string; sku: string | null; quantity: number; amount: string }>;
}

function isLegacy(stored: StoredRefund): stored is LegacyStoredRefund {
  return typeof (stored as LegacyStoredRefund).refundId === "string";
}

export function storedRefundId(stored: StoredRefund): string {
  return isLegacy(stored) ? stored.refundId : (exactId(stored.admin_graphql_api_id, stored.id) ?? "");
}

export function mapStoredRefund(stored: StoredRefund, ctx: RefundMapContext): CanonicalRefund {
  if (!isLegacy(stored)) return mapRefund(stored, ctx);
  return {
    refundId: stored.refundId,
    createdAt: stored.createdAt ?? "",
    note: stored.note ?? null,
    kind: "credit",
    status: "settled",
    lines: (stored.lines ?? []).map((l) => ({ ...l, tax: "0.00", restockType: null })),
    shipping: "0.00",
    tax: "0.00",
    duties: "0.00",
    adjustment: "0.00",
    exchangeCredit: "0.00",
    amount: stored.amount,
  };
}

/** The refund trimmed to what mapRefund reads (a refund line embeds its whole line item; only the SKU is kept). */
export function slimRefund(refund: ShopifyRestRefund): ShopifyRestRefund {
  return {
    id: refund.id,
    admin_graphql_api_id: refund.admin_graphql_api_id,
    order_id: refund.order_id,
    created_at: refund.created_at,
    note: refund.note,
    refund_line_items: refund.refund_line_items?.map((r) => ({
      line_item_id: r.line_item_id,
      quantity: r.quantity,
      restock_type: r.restock_type,
      subtotal_set: r.subtotal_set,
      total_tax_set: r.total_tax_set,
      line_item: r.line_item ? { sku: r.line_item.sku } : r.line_item,
    })),
    refund_shipping_lines: refund.refund_shipping_lines?.map((s) => ({ subtotal_amount_set: s.subtotal_amount_set, tax_amount_set: s.tax_amount_set })),
    order_adjustments: refund.order_adjustments?.map((a) => ({ kind: a.kind, amount_set: a.amount_set, tax_amount_set: a.tax_amount_set })),
    duties: refund.duties?.map((d) => ({ amount_set: d.amount_set })),
    transactions: refund.transactions?.map((t) => ({ kind: t.kind, status: t.status, amount: t.amount, currency: t.currency, amount_set: t.amount_set })),
    total_refunded_set: refund.total_refunded_set,
    return: refund.return ? { id: refund.return.id } : refund.return,
  };
}

/**
 * Fold refunds seen now into the stored ones: a refund is kept once, and a
 * newer copy of it (its transaction settled since) replaces the older one.
 * Returns null when nothing changed.
 */
export function foldStoredRefunds(stored: StoredRefund[], seen: ShopifyRestRefund[]): StoredRefund[] | null {
  const byId = new Map(stored.map((r) => [storedRefundId(r), r]));
  let changed = false;
  for (const raw of seen) {
    const id = storedRefundId(raw);
    if (!id) continue;
    const slim = slimRefund(raw);
    const known = byId.get(id);
    if (known && JSON.stringify(known) === JSON.stringify(slim)) continue;
    if (known && !isLegacy(known) && settledIn(known) && !settledIn(slim)) continue; // an older copy arriving late
    byId.set(id, slim);
    changed = true;
  }
  return changed ? [...byId.values()] : null;
}

function settledIn(refund: ShopifyRestRefund): boolean {
  return !(refund.transactions ?? []).some((t) => (t.kind ?? "refund") === "refund" && UNSETTLED.has(String(t.status ?? "")));
}
