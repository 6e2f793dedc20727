// What a Shopify refund means for the ERP, case by case (the rules are in
// docs/sync-engine.md, "Refunds"): money returned from its transactions,
// credit or absorbed, pending or settled, parts in the order's tax
// convention, legacy shipping adjustments, the Admin API's totalRefundedSet,
// an exchange's credit, and a stored refund from before these rules.
import { describe, expect, it } from "vitest";
import { foldStoredRefunds, mapRefund, mapStoredRefund, refundComponentsTotal } from "../../app/sync/order/refund-mapper";
import type { ShopifyRestRefund } from "../../app/sync/order/shopify-rest-order";

const usd = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
const eurShopUsdBuyer = (shop: string, buyer: string) => ({ shop_money: { amount: shop, currency_code: "EUR" }, presentment_money: { amount: buyer, currency_code: "USD" } });

function refund(over: Partial<ShopifyRestRefund> = {}): ShopifyRestRefund {
  return {
    id: "900",
    order_id: "100",
    created_at: "2026-11-21T10:00:00Z",
    refund_line_items: [{ line_item_id: "11", quantity: 1, restock_type: "no_restock", subtotal_set: usd("11.90"), total_tax_set: usd("1.90"), line_item: { sku: "TASSE" } }],
    refund_shipping_lines: [],
    order_adjustments: [],
    transactions: [{ kind: "refund", status: "success", amount: "11.90", currency: "USD" }],
    ...over,
  };
}

const shopView = { view: "shop" as const, singleCurrency: true, taxesIncluded: true };

describe("a Shopify refund for the ERP", () => {
  it("returns the successful refund transactions' money; with taxes included the line already holds its tax", () => {
    const r = mapRefund(refund(), shopView);
    expect([r.kind, r.status, r.amount, r.lines[0].amount, r.tax]).toEqual(["credit", "settled", "11.90", "11.90", "1.90"]);
    expect(refundComponentsTotal(r, true)).toBe("11.90");
    // Prices without tax: the same refund's tax is added on top.
    expect(refundComponentsTotal(mapRefund(refund({ transactions: [{ kind: "refund", status: "success", amount: "13.80" }] }), { ...shopView, taxesIncluded: false }), false)).toBe("13.80");
  });

  it("waits while a transaction is pending; ignores failed transactions and other kinds", () => {
    const pending = mapRefund(refund({ transactions: [{ kind: "refund", status: "pending", amount: "11.90" }] }), shopView);
    expect([pending.kind, pending.status]).toEqual(["credit", "pending"]);
    const failed = mapRefund(refund({ transactions: [{ kind: "refund", status: "failure", amount: "11.90" }, { kind: "sale", status: "success", amount: "5.00" }] }), shopView);
    expect([failed.kind, failed.amount]).toEqual(["absorbed", "0.00"]);
  });

  it("absorbs a refund that moved no money and returned nothing (an edit's removal); a return without money is still a credit", () => {
    expect(mapRefund(refund({ transactions: [], refund_line_items: [{ line_item_id: "11", quantity: 1, restock_type: "cancel" }] }), shopView).kind).toBe("absorbed");
    const returned = mapRefund(refund({ transactions: [], refund_line_items: [{ line_item_id: "11", quantity: 1, restock_type: "return", subtotal_set: usd("11.90") }] }), shopView);
    expect(returned.kind).toBe("credit");
  });

  it("reads shipping from refund_shipping_lines and, before API 2024-10, from shipping_refund adjustments (negated)", () => {
    const now = mapRefund(refund({ refund_shipping_lines: [{ subtotal_amount_set: usd("4.12"), tax_amount_set: usd("0.78") }] }), shopView);
    expect([now.shipping, now.tax]).toEqual(["4.90", "2.68"]);
    const legacy = mapRefund(refund({ order_adjustments: [{ kind: "shipping_refund", amount_set: usd("-4.12"), tax_amount_set: usd("-0.78") }] }), shopView);
    expect([legacy.shipping, legacy.adjustment]).toEqual(["4.90", "0.00"]);
    const discrepancy = mapRefund(refund({ order_adjustments: [{ kind: "refund_discrepancy", amount_set: usd("2.00") }] }), shopView);
    expect(discrepancy.adjustment).toBe("-2.00");
  });

  it("takes the Admin API's totalRefundedSet when the refund came through it", () => {
    const r = mapRefund(refund({ total_refunded_set: usd("11.90"), transactions: [] }), shopView);
    expect([r.kind, r.amount]).toEqual(["credit", "11.90"]);
  });

  it("reads a multi-currency refund in the buyer's currency from its transactions, in shop money from its parts", () => {
    const r = refund({
      refund_line_items: [{ line_item_id: "11", quantity: 1, subtotal_set: eurShopUsdBuyer("10.00", "11.00"), total_tax_set: eurShopUsdBuyer("0.00", "0.00") }],
      transactions: [{ kind: "refund", status: "success", amount: "11.00", currency: "USD" }],
    });
    expect(mapRefund(r, { view: "presentment", singleCurrency: false, taxesIncluded: true }).amount).toBe("11.00");
    expect(mapRefund(r, { view: "shop", singleCurrency: false, taxesIncluded: true }).amount).toBe("10.00");
  });

  it("counts what a return with exchange took instead of money as exchange credit", () => {
    const r = mapRefund(refund({ return: { id: "5" }, refund_line_items: [{ line_item_id: "11", quantity: 1, restock_type: "return", subtotal_set: usd("30.00"), total_tax_set: usd("0.00") }], transactions: [{ kind: "refund", status: "success", amount: "10.00" }] }), shopView);
    expect([r.amount, r.exchangeCredit]).toEqual(["10.00", "20.00"]);
  });

  it("keeps one copy of each refund, the newer one, unless a late copy would turn a settled refund back to pending", () => {
    const pending = refund({ transactions: [{ kind: "refund", status: "pending", amount: "11.90" }] });
    const settled = refund();
    const stored = foldStoredRefunds([], [pending])!;
    const afterSettled = foldStoredRefunds(stored, [settled])!;
    expect(afterSettled).toHaveLength(1);
    expect(mapStoredRefund(afterSettled[0], shopView).status).toBe("settled");
    expect(foldStoredRefunds(afterSettled, [pending])).toBeNull();
    expect(foldStoredRefunds(afterSettled, [settled])).toBeNull();
  });

  it("reads a refund stored before these rules as a settled credit of its recorded amount", () => {
    const legacy = mapStoredRefund({ refundId: "77", amount: "12.50", lines: [{ lineId: "11", sku: "X", quantity: 1, amount: "12.50" }] }, shopView);
    expect([legacy.kind, legacy.status, legacy.amount, legacy.lines[0].tax]).toEqual(["credit", "settled", "12.50", "0.00"]);
  });
});
