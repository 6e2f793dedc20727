// The subset of Shopify's REST order payload (orders/create, orders/updated,
// orders/cancelled webhooks, and the REST-shaped orders reconciliation builds)
// the engine reads. zod checks the fields we depend on and lets everything
// else through; ids arrive as exact strings thanks to parseJsonExact.
import { z } from "zod";

const amountIn = z.object({ amount: z.union([z.string(), z.number()]), currency_code: z.string().nullish() }).passthrough();
const moneySet = z.object({ shop_money: amountIn, presentment_money: amountIn.nullish() }).passthrough();

const id = z.union([z.string(), z.number()]);

const taxLine = z
  .object({
    title: z.string().nullish(),
    rate: z.union([z.number(), z.string()]).nullish(),
    price: z.union([z.string(), z.number()]).nullish(),
    price_set: moneySet.nullish(),
  })
  .passthrough();

const discountAllocation = z
  .object({
    amount: z.union([z.string(), z.number()]).nullish(),
    amount_set: moneySet.nullish(),
    discount_application_index: z.number().nullish(),
  })
  .passthrough();

const address = z
  .object({
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    company: z.string().nullish(),
    address1: z.string().nullish(),
    address2: z.string().nullish(),
    city: z.string().nullish(),
    province: z.string().nullish(),
    province_code: z.string().nullish(),
    zip: z.string().nullish(),
    country: z.string().nullish(),
    country_code: z.string().nullish(),
    phone: z.string().nullish(),
  })
  .passthrough();

const lineItem = z
  .object({
    id: id.nullish(),
    admin_graphql_api_id: z.string().nullish(),
    title: z.string().nullish(),
    name: z.string().nullish(),
    variant_title: z.string().nullish(),
    sku: z.string().nullish(),
    quantity: z.number(),
    /** Units after order edits and refunds (REST 2024-01+). */
    current_quantity: z.number().nullish(),
    price: z.union([z.string(), z.number()]).nullish(),
    price_set: moneySet.nullish(),
    gift_card: z.boolean().nullish(),
    /** Set on tip lines only. */
    tip_payment_gateway: z.string().nullish(),
    tip_payment_method: z.string().nullish(),
    requires_shipping: z.boolean().nullish(),
    product_id: id.nullish(),
    variant_id: id.nullish(),
    tax_lines: z.array(taxLine).nullish(),
    discount_allocations: z.array(discountAllocation).nullish(),
  })
  .passthrough();

const transaction = z
  .object({
    kind: z.string().nullish(),
    status: z.string().nullish(),
    /** In the transaction's currency (the order's presentment currency). */
    amount: z.union([z.string(), z.number()]).nullish(),
    currency: z.string().nullish(),
    amount_set: moneySet.nullish(),
  })
  .passthrough();

const refund = z
  .object({
    id: id.nullish(),
    admin_graphql_api_id: z.string().nullish(),
    order_id: id.nullish(),
    created_at: z.string().nullish(),
    note: z.string().nullish(),
    refund_line_items: z
      .array(
        z
          .object({
            line_item_id: id.nullish(),
            quantity: z.number(),
            restock_type: z.string().nullish(),
            subtotal_set: moneySet.nullish(),
            total_tax_set: moneySet.nullish(),
            line_item: z.object({ sku: z.string().nullish() }).passthrough().nullish(),
          })
          .passthrough(),
      )
      .nullish(),
    refund_shipping_lines: z
      .array(
        z
          .object({ subtotal_amount_set: moneySet.nullish(), tax_amount_set: moneySet.nullish() })
          .passthrough(),
      )
      .nullish(),
    order_adjustments: z
      .array(z.object({ amount_set: moneySet.nullish(), tax_amount_set: moneySet.nullish(), kind: z.string().nullish() }).passthrough())
      .nullish(),
    /** Duties returned (REST: duties[].amount_set). */
    duties: z.array(z.object({ amount_set: moneySet.nullish() }).passthrough()).nullish(),
    transactions: z.array(transaction).nullish(),
    /** Money returned in shop and presentment money (our GraphQL conversion sets it from totalRefundedSet). */
    total_refunded_set: moneySet.nullish(),
    /** Present when the refund belongs to a return (possibly with exchange items). */
    return: z.object({ id: id.nullish() }).passthrough().nullish(),
  })
  .passthrough();

export const shopifyRestRefundSchema = refund;
export type ShopifyRestRefund = z.infer<typeof refund>;

export const shopifyRestOrderSchema = z
  .object({
    id: id.nullish(),
    admin_graphql_api_id: z.string().nullish(),
    name: z.string().nullish(),
    order_number: z.number().nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    cancelled_at: z.string().nullish(),
    cancel_reason: z.string().nullish(),
    currency: z.string().nullish(),
    presentment_currency: z.string().nullish(),
    taxes_included: z.boolean().nullish(),
    financial_status: z.string().nullish(),
    fulfillment_status: z.string().nullish(),
    test: z.boolean().nullish(),
    tags: z.string().nullish(),
    note: z.string().nullish(),
    source_name: z.string().nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    customer: z
      .object({
        id: id.nullish(),
        admin_graphql_api_id: z.string().nullish(),
        email: z.string().nullish(),
        first_name: z.string().nullish(),
        last_name: z.string().nullish(),
        phone: z.string().nullish(),
      })
      .passthrough()
      .nullish(),
    billing_address: address.nullish(),
    shipping_address: address.nullish(),
    line_items: z.array(lineItem),
    shipping_lines: z
      .array(
        z
          .object({
            title: z.string().nullish(),
            code: z.string().nullish(),
            price: z.union([z.string(), z.number()]).nullish(),
            price_set: moneySet.nullish(),
            is_removed: z.boolean().nullish(),
            tax_lines: z.array(taxLine).nullish(),
            discount_allocations: z.array(discountAllocation).nullish(),
          })
          .passthrough(),
      )
      .nullish(),
    discount_applications: z
      .array(
        z
          .object({ type: z.string().nullish(), code: z.string().nullish(), title: z.string().nullish() })
          .passthrough(),
      )
      .nullish(),
    tax_lines: z.array(taxLine).nullish(),
    refunds: z.array(refund).nullish(),
    subtotal_price: z.union([z.string(), z.number()]).nullish(),
    subtotal_price_set: moneySet.nullish(),
    total_discounts: z.union([z.string(), z.number()]).nullish(),
    total_discounts_set: moneySet.nullish(),
    total_shipping_price_set: moneySet.nullish(),
    total_tax: z.union([z.string(), z.number()]).nullish(),
    total_tax_set: moneySet.nullish(),
    total_price: z.union([z.string(), z.number()]).nullish(),
    total_price_set: moneySet.nullish(),
    // After order edits, returns and refunds (REST Order: "reflects order edits, returns, and refunds").
    current_subtotal_price_set: moneySet.nullish(),
    current_total_price_set: moneySet.nullish(),
    current_total_tax_set: moneySet.nullish(),
    current_total_discounts_set: moneySet.nullish(),
    current_total_duties_set: moneySet.nullish(),
    current_shipping_price_set: moneySet.nullish(),
    original_total_duties_set: moneySet.nullish(),
    total_tip_received: z.union([z.string(), z.number()]).nullish(),
    total_tip_received_set: moneySet.nullish(),
    duties_included: z.boolean().nullish(),
  })
  .passthrough();

export type ShopifyRestOrder = z.infer<typeof shopifyRestOrderSchema>;
