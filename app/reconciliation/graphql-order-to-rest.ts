// Admin GraphQL order -> the REST payload shape of the orders/updated webhook.
// The sync engine accepts only that shape (app/sync/order/shopify-rest-order.ts), so
// orders found by reconciliation or backfill go through exactly the same
// mapper as webhooks. Ids are exact strings taken from the GIDs, money is shop
// money as Shopify's decimal strings (never floats).
import { legacyIdFromGid } from "../lib/shopify-gid";
import { multiplyDecimal, sumMoney } from "../lib/decimal";
import type {
  AddressFieldsFragment,
  DiscountAllocationFieldsFragment,
  DiscountApplicationFieldsFragment,
  LineItemFieldsFragment,
  OrderFieldsFragment,
  RefundFieldsFragment,
  ShippingLineFieldsFragment,
  ShopMoneyFragment,
  TaxLineFieldsFragment,
} from "../types/admin.generated";

// --- What the queries in app/graphql/orders.ts return (types from codegen) ---

export type GqlMoneyBag = ShopMoneyFragment;
export type GqlLineItem = LineItemFieldsFragment;
export type GqlRefund = RefundFieldsFragment;
type GqlTaxLine = TaxLineFieldsFragment;
type GqlAddress = AddressFieldsFragment;
type GqlDiscountAllocation = DiscountAllocationFieldsFragment;
type GqlShippingLine = ShippingLineFieldsFragment;
type GqlDiscountApplication = DiscountApplicationFieldsFragment;

/**
 * A whole order as the conversion takes it: the SyncOrder fragment's fields
 * (OrderFields in a bulk result) with every line item and each refund read in
 * full (app/reconciliation/order-fetcher.ts, backfill's bulk reader).
 */
export type GqlOrder = OrderFieldsFragment & {
  discountApplications: { nodes: GqlDiscountApplication[] };
  lineItems: { nodes: GqlLineItem[] };
  shippingLines: { nodes: GqlShippingLine[] };
  refunds: GqlRefund[];
};

// --- REST shape ---------------------------------------------------------------

type RestMoneySet = { shop_money: { amount: string; currency_code: string } };
type Json = Record<string, unknown>;

function moneySet(bag: GqlMoneyBag | null | undefined): RestMoneySet | null {
  return bag ? { shop_money: { amount: bag.shopMoney.amount, currency_code: bag.shopMoney.currencyCode } } : null;
}

function amount(bag: GqlMoneyBag | null | undefined): string | null {
  return bag?.shopMoney.amount ?? null;
}

/** Both the plain amount and its *_set, as the webhook carries them. */
function priced(key: string, bag: GqlMoneyBag | null | undefined): Json {
  return { [key]: amount(bag), [`${key}_set`]: moneySet(bag) };
}

function lower(value: string | null | undefined): string | null {
  return value ? value.toLowerCase() : null;
}

function taxLines(lines: GqlTaxLine[]): Json[] {
  return lines.map((t) => ({
    title: t.title,
    rate: t.rate,
    ...priced("price", t.priceSet),
  }));
}

function allocations(list: GqlDiscountAllocation[]): Json[] {
  return list.map((a) => ({
    ...priced("amount", a.allocatedAmountSet),
    discount_application_index: a.discountApplication.index,
  }));
}

function address(a: GqlAddress | null | undefined): Json | null {
  if (!a) return null;
  return {
    first_name: a.firstName,
    last_name: a.lastName,
    name: a.name,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    province_code: a.provinceCode,
    zip: a.zip,
    country: a.country,
    country_code: a.countryCodeV2,
    phone: a.phone,
  };
}

/** REST fulfillment_status: null until something shipped. */
function fulfillmentStatus(display: string): string | null {
  switch (display) {
    case "FULFILLED":
      return "fulfilled";
    case "PARTIALLY_FULFILLED":
      return "partial";
    case "RESTOCKED":
      return "restocked";
    default:
      return null;
  }
}

const DISCOUNT_TYPE: Record<string, string> = {
  DiscountCodeApplication: "discount_code",
  AutomaticDiscountApplication: "automatic",
  ManualDiscountApplication: "manual",
  ScriptDiscountApplication: "script",
};

function discountApplication(app: GqlDiscountApplication): Json {
  const value = app.value;
  const isMoney = value.__typename === "MoneyV2";
  return {
    type: DISCOUNT_TYPE[app.__typename] ?? "manual",
    ...("code" in app && app.code !== undefined ? { code: app.code } : {}),
    ...("title" in app && app.title !== undefined ? { title: app.title } : {}),
    value: value.__typename === "MoneyV2" ? value.amount : String(value.percentage),
    value_type: isMoney ? "fixed_amount" : "percentage",
    allocation_method: lower(app.allocationMethod),
    target_selection: lower(app.targetSelection),
    target_type: lower(app.targetType),
  };
}

function lineItem(li: GqlLineItem): Json {
  return {
    id: legacyIdFromGid(li.id),
    admin_graphql_api_id: li.id,
    sku: li.sku,
    title: li.title,
    variant_title: li.variantTitle,
    name: li.name,
    vendor: li.vendor,
    quantity: li.quantity,
    current_quantity: li.currentQuantity,
    ...priced("price", li.originalUnitPriceSet),
    ...priced("total_discount", li.totalDiscountSet),
    discount_allocations: allocations(li.discountAllocations),
    tax_lines: taxLines(li.taxLines),
    gift_card: li.isGiftCard,
    requires_shipping: li.requiresShipping,
    taxable: li.taxable,
    product_id: li.product ? legacyIdFromGid(li.product.id) : null,
    variant_id: li.variant ? legacyIdFromGid(li.variant.id) : null,
  };
}

function shippingLine(s: GqlShippingLine): Json {
  return {
    id: s.id ? legacyIdFromGid(s.id) : null,
    title: s.title,
    code: s.code,
    source: s.source,
    carrier_identifier: s.carrierIdentifier,
    // The default shippingLines selection leaves removed lines out.
    is_removed: false,
    ...priced("price", s.originalPriceSet),
    ...priced("discounted_price", s.discountedPriceSet),
    tax_lines: taxLines(s.taxLines),
    discount_allocations: allocations(s.discountAllocations),
  };
}

/** One refund in the REST shape (refunds/create carries the same). */
export function graphqlRefundToRest(r: GqlRefund, orderId: string): Json {
  return {
    id: legacyIdFromGid(r.id),
    admin_graphql_api_id: r.id,
    order_id: orderId,
    created_at: r.createdAt,
    processed_at: r.processedAt,
    note: r.note,
    refund_line_items: r.refundLineItems.nodes.map((rl) => ({
      id: rl.id ? legacyIdFromGid(rl.id) : null,
      quantity: rl.quantity,
      line_item_id: legacyIdFromGid(rl.lineItem.id),
      restock_type: lower(rl.restockType),
      ...priced("subtotal", rl.subtotalSet),
      ...priced("total_tax", rl.totalTaxSet),
      line_item: { id: legacyIdFromGid(rl.lineItem.id), admin_graphql_api_id: rl.lineItem.id, sku: rl.lineItem.sku },
    })),
    refund_shipping_lines: r.refundShippingLines.nodes.map((s) => ({
      ...priced("subtotal_amount", s.subtotalAmountSet),
      ...priced("tax_amount", s.taxAmountSet),
    })),
    order_adjustments: r.orderAdjustments.nodes.map((a) => ({
      id: legacyIdFromGid(a.id),
      kind: lower(a.reason),
      reason: lower(a.reason),
      ...priced("amount", a.amountSet),
      ...priced("tax_amount", a.taxAmountSet),
    })),
    // Money returned per Shopify (the engine prefers it to summing transactions).
    total_refunded_set: moneySet(r.totalRefundedSet),
    duties: (r.duties ?? []).map((d) => ({ amount_set: moneySet(d.amountSet) })),
    transactions: r.transactions.nodes.map((t) => ({
      id: legacyIdFromGid(t.id),
      admin_graphql_api_id: t.id,
      order_id: orderId,
      kind: lower(t.kind),
      status: lower(t.status),
      gateway: t.gateway,
      processed_at: t.processedAt,
      amount: amount(t.amountSet),
      currency: t.amountSet.shopMoney.currencyCode,
      amount_set: moneySet(t.amountSet),
    })),
  };
}

/** The REST payload for one order (everything the orders/updated webhook carries that the engine reads). */
export function graphqlOrderToRestPayload(order: GqlOrder): Json {
  const orderId = order.legacyResourceId;
  const lines = order.lineItems.nodes;
  const shipping = order.shippingLines.nodes;
  const apps = [...order.discountApplications.nodes].sort((a, b) => a.index - b.index);
  const allAllocations = [...lines.flatMap((l) => l.discountAllocations), ...shipping.flatMap((s) => s.discountAllocations)];
  const appliedAmount = (index: number) =>
    sumMoney(allAllocations.filter((a) => a.discountApplication.index === index).map((a) => a.allocatedAmountSet.shopMoney.amount));

  return {
    id: orderId,
    admin_graphql_api_id: order.id,
    name: order.name,
    order_number: order.number,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: lower(order.cancelReason),
    currency: order.currencyCode,
    taxes_included: order.taxesIncluded,
    financial_status: lower(order.displayFinancialStatus),
    fulfillment_status: fulfillmentStatus(order.displayFulfillmentStatus),
    test: order.test,
    tags: order.tags.join(", "),
    note: order.note,
    email: order.email,
    contact_email: order.email,
    phone: order.phone,
    source_name: order.sourceName,
    customer: order.customer
      ? {
          id: legacyIdFromGid(order.customer.id),
          admin_graphql_api_id: order.customer.id,
          email: order.customer.defaultEmailAddress?.emailAddress ?? null,
          first_name: order.customer.firstName,
          last_name: order.customer.lastName,
          phone: order.customer.defaultPhoneNumber?.phoneNumber ?? null,
        }
      : null,
    billing_address: address(order.billingAddress),
    shipping_address: address(order.shippingAddress),
    line_items: lines.map(lineItem),
    shipping_lines: shipping.map(shippingLine),
    discount_applications: apps.map(discountApplication),
    discount_codes: apps
      .filter((a) => a.__typename === "DiscountCodeApplication")
      .map((a) => ({
        code: "code" in a ? a.code : undefined,
        amount: appliedAmount(a.index),
        type: a.targetType === "SHIPPING_LINE" ? "shipping" : a.value.__typename === "MoneyV2" ? "fixed_amount" : "percentage",
      })),
    tax_lines: taxLines(order.taxLines),
    refunds: order.refunds.map((r) => graphqlRefundToRest(r, orderId)),
    ...priced("subtotal_price", order.subtotalPriceSet),
    ...priced("total_price", order.totalPriceSet),
    ...priced("total_discounts", order.totalDiscountsSet),
    ...priced("total_tax", order.totalTaxSet),
    total_shipping_price_set: moneySet(order.totalShippingPriceSet),
    total_line_items_price: sumMoney(lines.map((l) => multiplyDecimal(l.originalUnitPriceSet.shopMoney.amount, l.quantity))),
    ...priced("current_subtotal_price", order.currentSubtotalPriceSet),
    ...priced("current_total_price", order.currentTotalPriceSet),
    ...priced("current_total_tax", order.currentTotalTaxSet),
    ...priced("current_total_discounts", order.currentTotalDiscountsSet),
    current_shipping_price_set: moneySet(order.currentShippingPriceSet),
    current_total_duties_set: moneySet(order.currentTotalDutiesSet),
    ...priced("total_tip_received", order.totalTipReceivedSet),
    total_refunded_set: moneySet(order.totalRefundedSet),
  };
}
