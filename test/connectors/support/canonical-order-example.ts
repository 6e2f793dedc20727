// A complete canonical order as the order mapper produces it, typed against
// app/sync/order/canonical-order.ts (so it breaks the build when the model changes)
// and used both to exercise connectors and to check the published JSON Schema.
import { CANONICAL_ORDER_SCHEMA_VERSION, type CanonicalLine, type CanonicalOrder, type CanonicalRefund } from "~/sync/order/canonical-order";

let counter = 0;

/** A fresh order with a unique Shopify id (so tests never collide in a shared ERP). */
export function exampleOrder(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  counter += 1;
  const shopifyOrderId = String(450789469 + Date.now() * 10 + counter).slice(-12);
  const address = {
    firstName: "Bob",
    lastName: "Norman",
    company: null,
    address1: "Chestnut Street 92",
    address2: "Apt 2",
    city: "Louisville",
    province: "Kentucky",
    provinceCode: "KY",
    zip: "40202",
    country: "United States",
    countryCode: "US",
    phone: "+1 555-555-5555",
  };
  return {
    schemaVersion: CANONICAL_ORDER_SCHEMA_VERSION,
    externalId: `shopify-${shopifyOrderId}`,
    shop: "example-shop.myshopify.com",
    shopifyOrderId,
    shopifyOrderGid: `gid://shopify/Order/${shopifyOrderId}`,
    name: "#1042",
    createdAt: "2026-11-20T10:15:00-05:00",
    updatedAt: "2026-11-20T10:16:00-05:00",
    cancelledAt: null,
    cancelReason: null,
    currency: "USD",
    presentmentCurrency: "USD",
    taxesIncluded: false,
    financialStatus: "paid",
    fulfillmentStatus: null,
    test: false,
    tags: ["wholesale"],
    note: "Leave at the back door",
    customer: {
      shopifyCustomerId: "115310627314723954",
      email: `bob.norman+${shopifyOrderId}@example.com`,
      firstName: "Bob",
      lastName: "Norman",
      phone: null,
    },
    billingAddress: address,
    shippingAddress: address,
    lines: [
      {
        lineId: "866550311766439020",
        kind: "product",
        sku: "TSHIRT-BLUE-M",
        itemNumber: "TSHIRT-BLUE-M",
        title: "Blue T-shirt",
        variantTitle: "M",
        displayName: "Blue T-shirt / M",
        quantity: 2,
        orderedQuantity: 2,
        unitPrice: "19.99",
        discount: "4.00",
        taxLines: [{ title: "KY State Tax", rate: "0.06", amount: "2.16" }],
        giftCard: false,
        requiresShipping: true,
        productId: "632910392",
        variantId: "808950810",
      },
      {
        lineId: "141249953214522974",
        kind: "product",
        sku: "MUG-WHITE",
        itemNumber: "MUG-WHITE",
        title: "White mug",
        variantTitle: null,
        displayName: "White mug",
        quantity: 1,
        orderedQuantity: 1,
        unitPrice: "8.50",
        discount: "0.00",
        taxLines: [{ title: "KY State Tax", rate: "0.06", amount: "0.51" }],
        giftCard: false,
        requiresShipping: true,
        productId: "632910393",
        variantId: "808950811",
      },
    ],
    shippingLines: [{ title: "Standard", code: "STANDARD", price: "5.00", discount: "0.00", taxLines: [] }],
    discounts: [{ code: "TENOFF", type: "fixed_amount", amount: "4.00" }],
    taxLines: [{ title: "KY State Tax", rate: "0.06", amount: "2.67" }],
    refunds: [],
    // 2 x 19.99 - 4.00 + 8.50 = 44.48; + 5.00 shipping; + 2.67 tax
    totals: { subtotal: "44.48", discounts: "4.00", shipping: "5.00", tax: "2.67", duties: "0.00", tips: "0.00", total: "52.15" },
    ...overrides,
  };
}

export function exampleRefund(order: CanonicalOrder, overrides: Partial<CanonicalRefund> = {}): CanonicalRefund {
  const line = order.lines[0];
  return {
    refundId: "509562969",
    createdAt: "2026-11-22T09:00:00-05:00",
    note: "Wrong size",
    kind: "credit",
    status: "settled",
    // One shirt at 19.99 less its 2.00 share of the discount, plus its tax.
    lines: [{ lineId: line.lineId, sku: line.sku, quantity: 1, amount: "17.99", tax: "1.08", restockType: "return" }],
    shipping: "0.00",
    tax: "1.08",
    duties: "0.00",
    adjustment: "0.00",
    exchangeCredit: "0.00",
    amount: "19.07",
    ...overrides,
  };
}

let lineCounter = 0;
const nextLineId = () => String(900000000000000000n + BigInt(++lineCounter));

/** A tip line as the order mapper makes one (Shopify's tip_payment_gateway set): no SKU, no product, no tax. */
export function tipLine(amount: string): CanonicalLine {
  return {
    lineId: nextLineId(),
    kind: "tip",
    sku: null,
    itemNumber: null,
    title: "Tip",
    variantTitle: null,
    displayName: "Tip",
    quantity: 1,
    orderedQuantity: 1,
    unitPrice: amount,
    discount: "0.00",
    taxLines: [],
    giftCard: false,
    requiresShipping: false,
    productId: null,
    variantId: null,
  };
}

/** A gift card sold, without a SKU (Shopify's gift_card: true). */
export function giftCardLine(amount: string): CanonicalLine {
  return { ...tipLine(amount), kind: "gift_card", title: "Gift card", displayName: "Gift card", giftCard: true };
}

/**
 * A shop whose prices include 20 % VAT: 2 shirts at 24.00 (8.00 VAT),
 * shipping 6.00 (1.00 VAT); the customer paid 54.00.
 */
export function taxInclusiveOrder(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const base = exampleOrder();
  const vat = (amount: string) => [{ title: "VAT", rate: "0.2", amount }];
  return exampleOrder({
    currency: "EUR",
    presentmentCurrency: "EUR",
    taxesIncluded: true,
    lines: [{ ...base.lines[0], unitPrice: "24.00", discount: "0.00", taxLines: vat("8.00") }],
    shippingLines: [{ ...base.shippingLines[0], price: "6.00", taxLines: vat("1.00") }],
    discounts: [],
    taxLines: vat("9.00"),
    totals: { subtotal: "48.00", discounts: "0.00", shipping: "6.00", tax: "9.00", duties: "0.00", tips: "0.00", total: "54.00" },
    ...overrides,
  });
}

/** A guest point-of-sale order: no customer, no e-mail, no addresses, no shipping; one mug 8.50 + 0.51 tax. */
export function guestPosOrder(overrides: Partial<CanonicalOrder> = {}): CanonicalOrder {
  const base = exampleOrder();
  return exampleOrder({
    customer: null,
    billingAddress: null,
    shippingAddress: null,
    shippingLines: [],
    lines: [base.lines[1]],
    discounts: [],
    taxLines: [{ title: "KY State Tax", rate: "0.06", amount: "0.51" }],
    tags: ["pos"],
    note: null,
    totals: { subtotal: "8.50", discounts: "0.00", shipping: "0.00", tax: "0.51", duties: "0.00", tips: "0.00", total: "9.01" },
    ...overrides,
  });
}
