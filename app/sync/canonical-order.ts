// The canonical order: the one shape every ERP connector translates from.
// It is built from a Shopify order (webhook payload or Admin API) by
// order-mapper.ts. Money is always in the SHOP currency (shop_money), as a
// decimal string ("19.99"), never a float and never the presentment currency.
// Published as JSON Schema in docs/canonical-order.schema.json (version "1").

export const CANONICAL_ORDER_SCHEMA_VERSION = "1";

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

export interface CanonicalLine {
  /** Shopify line item id (legacy numeric id as a string). */
  lineId: string;
  sku: string | null;
  /** ERP item number after the shop's SKU mapping (falls back to the SKU). */
  itemNumber: string | null;
  title: string;
  variantTitle: string | null;
  /** "Blue T-shirt / M": what staff see in messages. */
  displayName: string;
  quantity: number;
  unitPrice: Money;
  /** Sum of discount allocations on this line. */
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
  amount: Money;
}

export interface CanonicalRefund {
  refundId: string;
  createdAt: string;
  note: string | null;
  lines: CanonicalRefundLine[];
  /** Money actually returned to the customer for this refund. */
  amount: Money;
}

export interface CanonicalTotals {
  subtotal: Money;
  discounts: Money;
  shipping: Money;
  tax: Money;
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
