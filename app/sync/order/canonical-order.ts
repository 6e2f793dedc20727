// The canonical order: the one shape every ERP connector translates from.
// It is built from a Shopify order (webhook payload or Admin API) by
// order-mapper.ts. Money is always in the SHOP currency (shop_money), as a
// decimal string ("19.99"), never a float and never the presentment currency.
// Published as JSON Schema in docs/canonical-order.schema.json (version "2").

export const CANONICAL_ORDER_SCHEMA_VERSION = "2";

/** A decimal amount as a string, e.g. "19.99". */
export type Money = string;

export interface CanonicalAddress {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCode: string | null;
  phone: string | null;
}

export interface CanonicalCustomer {
  shopifyCustomerId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
}

export interface CanonicalTaxLine {
  title: string;
  /** Rate as a decimal string, e.g. "0.2" for 20 %. */
  rate: string;
  amount: Money;
}

/**
 * What a line is, which decides how an ERP books it: a product (an item), a
 * gift card sold (a liability or prepayment, never stock) or a tip (income
 * with no item). Shopify marks tips by tip_payment_gateway on the line.
 */
export type LineKind = "product" | "gift_card" | "tip";

export interface CanonicalLine {
  /** Shopify line item id (legacy numeric id as a string). */
  lineId: string;
  kind: LineKind;
  sku: string | null;
  /** ERP item number after the shop's SKU mapping (falls back to the SKU). */
  itemNumber: string | null;
  title: string;
  variantTitle: string | null;
  /** "Blue T-shirt / M": what staff see in messages. */
  displayName: string;
  /**
   * Units the ERP sales document carries: what the customer bought after
   * order edits. Shopify's current_quantity leaves out both units removed by
   * an edit and units refunded; refunded units that returned money come back
   * here, because their refund reaches the ERP as its own credit note
   * (docs/sync-engine.md, "What the ERP document holds").
   */
  quantity: number;
  /** Units first ordered (Shopify's `quantity`), for messages and audits. */
  orderedQuantity: number;
  unitPrice: Money;
  /** Discount allocations on this line, for `quantity` units (pro rata when an edit removed some). */
  discount: Money;
  taxLines: CanonicalTaxLine[];
  giftCard: boolean;
  requiresShipping: boolean;
  productId: string | null;
  variantId: string | null;
}

export interface CanonicalShippingLine {
  title: string;
  code: string | null;
  price: Money;
  discount: Money;
  taxLines: CanonicalTaxLine[];
}

export interface CanonicalDiscount {
  code: string | null;
  type: string;
  amount: Money;
}

export interface CanonicalRefundLine {
  lineId: string;
  sku: string | null;
  quantity: number;
  /**
   * Value of the refunded units after discounts, in the order's tax
   * convention: tax included when the order's prices include tax, else
   * without it (Shopify's refund_line_items[].subtotal).
   */
  amount: Money;
  /** Tax on those units (Shopify's total_tax): part of `amount` when taxes are included. */
  tax: Money;
  /** Shopify's restock_type: "return" (items came back), "cancel" (never shipped), "no_restock", "legacy_restock". */
  restockType: string | null;
}

/**
 * What a refund is for the ERP:
 * - "credit": it returned money (or items were returned): it becomes a credit
 *   note of its own, and the sales document keeps the refunded units;
 * - "absorbed": no money moved (an order edit that removed items, or a
 *   refund whose payment failed): the sales document simply carries fewer
 *   units, and nothing else is written.
 */
export type RefundKind = "credit" | "absorbed";

/** Whether the refund's money has settled: a credit note is written only for "settled". */
export type RefundStatus = "settled" | "pending";

export interface CanonicalRefund {
  refundId: string;
  createdAt: string;
  note: string | null;
  kind: RefundKind;
  status: RefundStatus;
  lines: CanonicalRefundLine[];
  /** Refunded shipping, in the order's tax convention (tax included when the order's prices include it). */
  shipping: Money;
  /** Tax returned: lines' tax plus shipping tax (part of the amounts above when taxes are included). */
  tax: Money;
  /** Duties returned. */
  duties: Money;
  /**
   * Shopify's refund_discrepancy order adjustments, as money returned: what
   * the merchant chose to return beyond (positive) or short of (negative)
   * the calculated refund.
   */
  adjustment: Money;
  /**
   * Value of exchange items the customer took instead of money (a return
   * with exchange): the refund's money is already net of it. The exchange
   * items reach the sales document as new lines.
   */
  exchangeCredit: Money;
  /** Money actually returned to the customer: the refund's successful refund transactions. */
  amount: Money;
}

export interface CanonicalTotals {
  /** Lines at `quantity` × unit price, minus line discounts (the order's tax convention). */
  subtotal: Money;
  discounts: Money;
  /** Shipping after shipping discounts. */
  shipping: Money;
  tax: Money;
  duties: Money;
  /** Tip lines (already part of `subtotal`); shown apart because ERPs book them apart. */
  tips: Money;
  /**
   * What the sales document must add up to: Shopify's current total plus
   * what credit-note refunds took off it (their units stay on the document).
   */
  total: Money;
}

export interface CanonicalOrder {
  schemaVersion: typeof CANONICAL_ORDER_SCHEMA_VERSION;
  /** Stable id the ERP stores: `${prefix}${shopifyOrderId}`, e.g. "shopify-450789469". */
  externalId: string;
  shop: string;
  shopifyOrderId: string;
  shopifyOrderGid: string;
  /** "#1042" */
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  currency: string;
  /** The buyer's currency (presentment); equals `currency` for single-currency orders. */
  presentmentCurrency: string;
  taxesIncluded: boolean;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  test: boolean;
  tags: string[];
  note: string | null;
  customer: CanonicalCustomer | null;
  billingAddress: CanonicalAddress | null;
  shippingAddress: CanonicalAddress | null;
  lines: CanonicalLine[];
  shippingLines: CanonicalShippingLine[];
  discounts: CanonicalDiscount[];
  taxLines: CanonicalTaxLine[];
  refunds: CanonicalRefund[];
  totals: CanonicalTotals;
}
