// REST-shaped Shopify order -> CanonicalOrder. Shop money only: every amount
// comes from a *_set.shop_money field (or the plain field, which Shopify
// documents in shop currency), never from presentment_money.
import {
  CANONICAL_ORDER_SCHEMA_VERSION,
  type CanonicalAddress,
  type CanonicalDiscount,
  type CanonicalLine,
  type CanonicalOrder,
  type CanonicalRefund,
  type CanonicalShippingLine,
  type CanonicalTaxLine,
} from "./canonical-order";
import { exactId } from "./exact-json";
import { negateMoney, sumMoney } from "./money";
import type { ShopifyRestOrder, ShopifyRestRefund } from "./shopify-rest-order";

type MoneySet = { shop_money: { amount: string | number } } | null | undefined;

/** Shop-currency amount as a decimal string; null when absent. */
function shopMoney(set: MoneySet, plain?: string | number | null): string | null {
  const raw = set?.shop_money?.amount ?? plain;
  if (raw === null || raw === undefined) return null;
  return typeof raw === "number" ? String(raw) : raw.trim();
}

function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === "" ? null : s;
}

function mapTaxLines(lines: ShopifyRestOrder["tax_lines"]): CanonicalTaxLine[] {
  return (lines ?? []).map((t) => ({
    title: t.title ?? "Tax",
    rate: t.rate === null || t.rate === undefined ? "0" : String(t.rate),
    amount: shopMoney(t.price_set, t.price) ?? "0.00",
  }));
}

function allocationsTotal(allocations: ShopifyRestOrder["line_items"][number]["discount_allocations"]): string {
  return sumMoney((allocations ?? []).map((a) => shopMoney(a.amount_set, a.amount)));
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

function mapLines(order: ShopifyRestOrder): CanonicalLine[] {
  return order.line_items.map((li, index) => {
    const title = str(li.title) ?? str(li.name) ?? `Line ${index + 1}`;
    const variantTitle = str(li.variant_title);
    return {
      lineId: exactId(li.admin_graphql_api_id, li.id) ?? `line-${index + 1}`,
      sku: str(li.sku),
      itemNumber: null,
      title,
      variantTitle,
      displayName: displayNameOf(title, variantTitle),
      quantity: li.quantity,
      unitPrice: shopMoney(li.price_set, li.price) ?? "",
      discount: allocationsTotal(li.discount_allocations),
      taxLines: mapTaxLines(li.tax_lines),
      giftCard: li.gift_card === true,
      requiresShipping: li.requires_shipping !== false,
      productId: exactId(null, li.product_id),
      variantId: exactId(null, li.variant_id),
    };
  });
}

function mapShippingLines(order: ShopifyRestOrder): CanonicalShippingLine[] {
  return (order.shipping_lines ?? [])
    .filter((s) => s.is_removed !== true)
    .map((s) => ({
      title: str(s.title) ?? "Shipping",
      code: str(s.code),
      price: shopMoney(s.price_set, s.price) ?? "0.00",
      discount: allocationsTotal(s.discount_allocations),
      taxLines: mapTaxLines(s.tax_lines),
    }));
}

/** One entry per discount application, amount = its allocations on lines and shipping (shop money). */
function mapDiscounts(order: ShopifyRestOrder): CanonicalDiscount[] {
  const allocations = [
    ...order.line_items.flatMap((l) => l.discount_allocations ?? []),
    ...(order.shipping_lines ?? []).flatMap((s) => s.discount_allocations ?? []),
  ];
  return (order.discount_applications ?? []).map((app, index) => ({
    code: str(app.code) ?? str(app.title),
    type: str(app.type) ?? "discount",
    amount: sumMoney(
      allocations.filter((a) => a.discount_application_index === index).map((a) => shopMoney(a.amount_set, a.amount)),
    ),
  }));
}

export function mapRefund(refund: ShopifyRestRefund): CanonicalRefund {
  const lines = (refund.refund_line_items ?? []).map((r) => ({
    lineId: exactId(null, r.line_item_id) ?? "",
    sku: str(r.line_item?.sku),
    quantity: r.quantity,
    amount: sumMoney([shopMoney(r.subtotal_set), shopMoney(r.total_tax_set)]),
  }));
  const shipping = (refund.refund_shipping_lines ?? []).flatMap((s) => [
    shopMoney(s.subtotal_amount_set),
    shopMoney(s.tax_amount_set),
  ]);
  // Order adjustments are signed from the order's point of view (a refunded
  // discrepancy is negative), so they are negated to add to money returned.
  const adjustments = (refund.order_adjustments ?? []).map((a) => {
    const amount = shopMoney(a.amount_set);
    return amount ? negateMoney(amount) : null;
  });
  return {
    refundId: exactId(refund.admin_graphql_api_id, refund.id) ?? "",
    createdAt: refund.created_at ?? "",
    note: str(refund.note),
    lines,
    amount: sumMoney([...lines.map((l) => l.amount), ...shipping, ...adjustments]),
  };
}

export interface MapOrderOptions {
  shop: string;
  externalIdPrefix: string;
  /** Refunds recorded from refunds/create webhooks, merged with the snapshot's own. */
  extraRefunds?: CanonicalRefund[];
}

export function mapOrder(order: ShopifyRestOrder, options: MapOrderOptions): CanonicalOrder {
  const shopifyOrderId = exactId(order.admin_graphql_api_id, order.id) ?? "";
  const refunds = new Map<string, CanonicalRefund>();
  for (const r of (order.refunds ?? []).map(mapRefund)) refunds.set(r.refundId, r);
  for (const r of options.extraRefunds ?? []) if (!refunds.has(r.refundId)) refunds.set(r.refundId, r);
  const customer = order.customer;
  return {
    schemaVersion: CANONICAL_ORDER_SCHEMA_VERSION,
    externalId: `${options.externalIdPrefix}${shopifyOrderId}`,
    shop: options.shop,
    shopifyOrderId,
    shopifyOrderGid: order.admin_graphql_api_id ?? `gid://shopify/Order/${shopifyOrderId}`,
    name: str(order.name) ?? (order.order_number ? `#${order.order_number}` : `order ${shopifyOrderId}`),
    createdAt: order.created_at ?? "",
    updatedAt: order.updated_at ?? "",
    cancelledAt: str(order.cancelled_at),
    cancelReason: str(order.cancel_reason),
    // The order's `currency` is the shop currency; presentment_currency is the buyer's.
    currency: str(order.currency) ?? str(order.total_price_set?.shop_money?.currency_code) ?? "",
    taxesIncluded: order.taxes_included === true,
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
    lines: mapLines(order),
    shippingLines: mapShippingLines(order),
    discounts: mapDiscounts(order),
    taxLines: mapTaxLines(order.tax_lines),
    refunds: [...refunds.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    totals: {
      subtotal: shopMoney(order.subtotal_price_set, order.subtotal_price) ?? "",
      discounts: shopMoney(order.total_discounts_set, order.total_discounts) ?? "0.00",
      shipping:
        shopMoney(order.total_shipping_price_set) ??
        sumMoney(mapShippingLines(order).map((s) => s.price)),
      tax: shopMoney(order.total_tax_set, order.total_tax) ?? "0.00",
      total: shopMoney(order.total_price_set, order.total_price) ?? "",
    },
  };
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
