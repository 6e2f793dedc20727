// REST-shaped Shopify order -> CanonicalOrder: the sales document the ERP
// gets. Money in one view (shop money for the ERP; the same document is
// built again in presentment money for the money check). The rules, with
// their sources, are in docs/sync-engine.md ("What the ERP document holds"):
// - a line carries what the customer bought after order edits: Shopify's
//   current_quantity ("excluding refunded and removed units") plus the units
//   of refunds that become credit notes of their own, so a refund is never
//   counted twice and an edit that removed units is never counted at all;
// - a line's discount and tax follow its units pro rata (Shopify's
//   allocations cover every unit ever ordered);
// - the document must add up to Shopify's current total plus what its
//   credit-note refunds took off it (totals.total).
import {
  CANONICAL_ORDER_SCHEMA_VERSION,
  type CanonicalAddress,
  type CanonicalDiscount,
  type CanonicalLine,
  type CanonicalOrder,
  type CanonicalRefund,
  type CanonicalShippingLine,
  type CanonicalTaxLine,
  type LineKind,
} from "./canonical-order";
import { multiplyDecimal, prorate, subtractDecimals, sumMoney } from "../../lib/decimal";
import { gidFor } from "../../lib/shopify-gid";
import { exactId } from "./exact-json";
import { mapRefund, mapStoredRefund, mergeRefunds, refundedGoodsValue, type RefundMapContext, type StoredRefund } from "./refund-mapper";
import { amountOf, type MoneySetLike, type MoneyView } from "./shopify-money";
import type { ShopifyRestOrder } from "./shopify-rest-order";

type LineItem = ShopifyRestOrder["line_items"][number];

function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === "" ? null : s;
}

interface MapContext extends RefundMapContext {
  money(set: MoneySetLike, plain?: string | number | null): string | null;
}

function mapTaxLines(lines: ShopifyRestOrder["tax_lines"], ctx: MapContext, units?: { kept: number; of: number }): CanonicalTaxLine[] {
  return (lines ?? []).map((t) => {
    const amount = ctx.money(t.price_set, t.price) ?? "0.00";
    return {
      title: t.title ?? "Tax",
      rate: t.rate === null || t.rate === undefined ? "0" : String(t.rate),
      amount: units ? keptShare(amount, units) : amount,
    };
  });
}

/**
 * A line amount (discount, tax) for the units kept: the whole amount minus
 * the pro rata share of the units removed or absorbed. Shopify values a
 * refunded or removed unit at its pro rata share too (the refund line's
 * subtotal), so taking the share of what left, rather than of what stayed,
 * rounds the same way Shopify's current totals do.
 */
function keptShare(amount: string, units: { kept: number; of: number }): string {
  return subtractDecimals(amount, prorate(amount, units.of - units.kept, units.of));
}

function allocationsTotal(allocations: LineItem["discount_allocations"], ctx: MapContext): string {
  return sumMoney((allocations ?? []).map((a) => ctx.money(a.amount_set, a.amount)));
}

function mapAddress(a: ShopifyRestOrder["billing_address"]): CanonicalAddress | null {
  if (!a) return null;
  return {
    firstName: str(a.first_name),
    lastName: str(a.last_name),
    company: str(a.company),
    address1: str(a.address1),
    address2: str(a.address2),
    city: str(a.city),
    province: str(a.province),
    provinceCode: str(a.province_code),
    zip: str(a.zip),
    country: str(a.country),
    countryCode: str(a.country_code),
    phone: str(a.phone),
  };
}

export function displayNameOf(title: string, variantTitle: string | null): string {
  return variantTitle && variantTitle !== "Default Title" ? `${title} / ${variantTitle}` : title;
}

function lineKind(li: LineItem): LineKind {
  if (li.gift_card === true) return "gift_card";
  if (str(li.tip_payment_gateway) || str(li.tip_payment_method)) return "tip";
  return "product";
}

/** Refunded units per line id, of the given refunds. */
function unitsByLine(refunds: CanonicalRefund[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const r of refunds) for (const l of r.lines) units.set(l.lineId, (units.get(l.lineId) ?? 0) + l.quantity);
  return units;
}

/**
 * Units the sales document carries for a line. With current_quantity
 * (REST 2024-01+, and our GraphQL conversion): those units plus the units of
 * credit-note refunds. Without it: ordered units minus the units of
 * absorbed refunds (removals). Never below 0 or above what was ordered.
 */
function documentQuantity(li: LineItem, lineId: string, credited: Map<string, number>, absorbed: Map<string, number>): number {
  if (li.quantity <= 0) return li.quantity; // not a quantity an order can have: validation names it
  const units =
    typeof li.current_quantity === "number"
      ? li.current_quantity + (credited.get(lineId) ?? 0)
      : li.quantity - (absorbed.get(lineId) ?? 0);
  return Math.max(0, Math.min(li.quantity, units));
}

function mapLines(order: ShopifyRestOrder, snapshotRefunds: CanonicalRefund[], ctx: MapContext): CanonicalLine[] {
  const credited = unitsByLine(snapshotRefunds.filter((r) => r.kind === "credit"));
  const absorbed = unitsByLine(snapshotRefunds.filter((r) => r.kind === "absorbed"));
  const lines: CanonicalLine[] = [];
  order.line_items.forEach((li, index) => {
    const lineId = exactId(li.admin_graphql_api_id, li.id) ?? `line-${index + 1}`;
    const quantity = documentQuantity(li, lineId, credited, absorbed);
    if (quantity === 0 && li.quantity > 0) return; // removed by an edit (or refunded away before any credit note)
    const units = li.quantity > 0 ? { kept: quantity, of: li.quantity } : undefined;
    const title = str(li.title) ?? str(li.name) ?? `Line ${index + 1}`;
    const variantTitle = str(li.variant_title);
    const discount = allocationsTotal(li.discount_allocations, ctx);
    lines.push({
      lineId,
      kind: lineKind(li),
      sku: str(li.sku),
      itemNumber: null,
      title,
      variantTitle,
      displayName: displayNameOf(title, variantTitle),
      quantity,
      orderedQuantity: li.quantity,
      unitPrice: ctx.money(li.price_set, li.price) ?? "",
      discount: units ? keptShare(discount, units) : discount,
      taxLines: mapTaxLines(li.tax_lines, ctx, units),
      giftCard: li.gift_card === true,
      requiresShipping: li.requires_shipping !== false,
      productId: exactId(null, li.product_id),
      variantId: exactId(null, li.variant_id),
    });
  });
  return lines;
}

function mapShippingLines(order: ShopifyRestOrder, ctx: MapContext): CanonicalShippingLine[] {
  return (order.shipping_lines ?? [])
    .filter((s) => s.is_removed !== true)
    .map((s) => ({
      title: str(s.title) ?? "Shipping",
      code: str(s.code),
      price: ctx.money(s.price_set, s.price) ?? "0.00",
      discount: allocationsTotal(s.discount_allocations, ctx),
      taxLines: mapTaxLines(s.tax_lines, ctx),
    }));
}

/** One entry per discount application, amount = its allocations on lines and shipping. */
function mapDiscounts(order: ShopifyRestOrder, ctx: MapContext): CanonicalDiscount[] {
  const allocations = [
    ...order.line_items.flatMap((l) => l.discount_allocations ?? []),
    ...(order.shipping_lines ?? []).flatMap((s) => s.discount_allocations ?? []),
  ];
  return (order.discount_applications ?? []).map((app, index) => ({
    code: str(app.code) ?? str(app.title),
    type: str(app.type) ?? "discount",
    amount: sumMoney(
      allocations.filter((a) => a.discount_application_index === index).map((a) => ctx.money(a.amount_set, a.amount)),
    ),
  }));
}

export interface MapOrderOptions {
  shop: string;
  externalIdPrefix: string;
  /** Refunds the ledger holds (refunds/create webhooks), merged with the snapshot's own (the newer record of one refund wins). */
  extraRefunds?: StoredRefund[];
  /** Default "shop": what the ERP gets. "presentment" builds the same document in the buyer's currency, for the money check. */
  view?: MoneyView;
}

/**
 * What Shopify says the sales document's parts add up to, from its own
 * current_* totals (present on webhooks since API 2024-01 and in our
 * GraphQL conversion), adjusted like the document for credit-note refunds.
 * A part Shopify did not send is null: only the grand total is then checked.
 */
export interface ShopifyTotals {
  /** Line items after discounts, tips left out (Shopify's subtotal excludes them). */
  subtotal: string | null;
  shipping: string | null;
  tax: string | null;
  duties: string | null;
  tips: string | null;
  total: string | null;
}

export function mapOrder(order: ShopifyRestOrder, options: MapOrderOptions): CanonicalOrder {
  return mapOrderWithTotals(order, options).order;
}

/** The sales document and, beside it, what Shopify says it must add up to (for the money check). */
export function mapOrderWithTotals(order: ShopifyRestOrder, options: MapOrderOptions): { order: CanonicalOrder; shopify: ShopifyTotals } {
  const view = options.view ?? "shop";
  const shopCurrency = str(order.currency) ?? str(order.total_price_set?.shop_money?.currency_code) ?? "";
  const presentmentCurrency = str(order.presentment_currency) ?? shopCurrency;
  const singleCurrency = presentmentCurrency === shopCurrency;
  const taxesIncluded = order.taxes_included === true;
  const ctx: MapContext = {
    view,
    singleCurrency,
    taxesIncluded,
    money: (set, plain) => amountOf(set, plain, view, singleCurrency),
  };
  const shopifyOrderId = exactId(order.admin_graphql_api_id, order.id) ?? "";
  const snapshotRefunds = (order.refunds ?? []).map((r) => mapRefund(r, ctx));
  const refunds = mergeRefunds((options.extraRefunds ?? []).map((r) => mapStoredRefund(r, ctx)), snapshotRefunds);
  const customer = order.customer;
  const lines = mapLines(order, snapshotRefunds, ctx);
  const shippingLines = mapShippingLines(order, ctx);
  const lineTax = lines.flatMap((l) => l.taxLines.map((t) => t.amount));
  const shippingTax = shippingLines.flatMap((s) => s.taxLines.map((t) => t.amount));
  const hasTaxLines = lineTax.length + shippingTax.length > 0;
  const creditRefunds = snapshotRefunds.filter((r) => r.kind === "credit");
  const currentTotal = ctx.money(order.current_total_price_set) ?? ctx.money(order.total_price_set, order.total_price);
  const currentDuties = ctx.money(order.current_total_duties_set) ?? ctx.money(order.original_total_duties_set) ?? "0.00";
  const plusCredits = (current: string | null, part: (r: CanonicalRefund) => string) =>
    current === null ? null : sumMoney([current, ...creditRefunds.map(part)]);
  const shopify: ShopifyTotals = {
    subtotal: plusCredits(ctx.money(order.current_subtotal_price_set), (r) => sumMoney(r.lines.map((l) => l.amount))),
    shipping: plusCredits(ctx.money(order.current_shipping_price_set), (r) => r.shipping),
    tax: plusCredits(ctx.money(order.current_total_tax_set), (r) => r.tax),
    duties: order.duties_included ? "0.00" : plusCredits(ctx.money(order.current_total_duties_set), (r) => r.duties),
    tips: ctx.money(order.total_tip_received_set, order.total_tip_received),
    total: currentTotal === null ? null : sumMoney([currentTotal, ...creditRefunds.map((r) => refundedGoodsValue(r, taxesIncluded))]),
  };
  const canonical: CanonicalOrder = {
    schemaVersion: CANONICAL_ORDER_SCHEMA_VERSION,
    externalId: `${options.externalIdPrefix}${shopifyOrderId}`,
    shop: options.shop,
    shopifyOrderId,
    shopifyOrderGid: order.admin_graphql_api_id ?? gidFor("Order", shopifyOrderId),
    name: str(order.name) ?? (order.order_number ? `#${order.order_number}` : `order ${shopifyOrderId}`),
    createdAt: order.created_at ?? "",
    updatedAt: order.updated_at ?? "",
    cancelledAt: str(order.cancelled_at),
    cancelReason: str(order.cancel_reason),
    // The order's `currency` is the shop currency; presentment_currency is the buyer's.
    currency: view === "shop" ? shopCurrency : presentmentCurrency,
    presentmentCurrency,
    taxesIncluded,
    financialStatus: str(order.financial_status),
    fulfillmentStatus: str(order.fulfillment_status),
    test: order.test === true,
    tags: (order.tags ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    note: str(order.note),
    customer: customer
      ? {
          shopifyCustomerId: exactId(customer.admin_graphql_api_id, customer.id),
          email: str(customer.email) ?? str(order.email),
          firstName: str(customer.first_name),
          lastName: str(customer.last_name),
          phone: str(customer.phone),
        }
      : null,
    billingAddress: mapAddress(order.billing_address),
    shippingAddress: mapAddress(order.shipping_address),
    lines,
    shippingLines,
    discounts: mapDiscounts(order, ctx),
    taxLines: mapTaxLines(order.tax_lines, ctx),
    refunds: refunds.sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    totals: {
      subtotal: sumMoney(lines.map((l) => subtractDecimals(multiplyDecimal(l.unitPrice || "0", l.quantity), l.discount))),
      discounts: sumMoney([...lines.map((l) => l.discount), ...shippingLines.map((s) => s.discount)]),
      shipping: sumMoney(shippingLines.map((s) => subtractDecimals(s.price, s.discount))),
      tax: hasTaxLines
        ? sumMoney([...lineTax, ...shippingTax])
        : sumMoney([ctx.money(order.current_total_tax_set) ?? ctx.money(order.total_tax_set, order.total_tax), ...creditRefunds.map((r) => r.tax)]),
      duties: order.duties_included ? "0.00" : sumMoney([currentDuties, ...creditRefunds.map((r) => r.duties)]),
      tips: sumMoney(lines.filter((l) => l.kind === "tip").map((l) => multiplyDecimal(l.unitPrice || "0", l.quantity))),
      total: shopify.total ?? "",
    },
  };
  return { order: canonical, shopify };
}

/** Apply the shop's SKU -> ERP item number mapping (fallback: the SKU itself, when allowed). */
export function applyItemNumbers(
  order: CanonicalOrder,
  mapping: Map<string, string>,
  skuFallbackAllowed: boolean,
): CanonicalOrder {
  return {
    ...order,
    lines: order.lines.map((line) => ({
      ...line,
      itemNumber: line.sku ? (mapping.get(line.sku) ?? (skuFallbackAllowed ? line.sku : null)) : null,
    })),
  };
}
