// The money check made before every ERP create, update and refund: the
// document about to be sent is added up from its own parts and compared with
// what Shopify says; a difference stops that write and becomes a
// needs-attention item naming the part and the amount. Nothing is ever
// "fixed" with a silent adjustment line: a difference means the app or the
// order holds something it does not understand, and a person decides.
// The formulas and their sources are in docs/sync-engine.md ("Money check").
import type { CanonicalOrder, CanonicalRefund } from "./canonical-order";
import { compareDecimals, isDecimal, multiplyDecimal, subtractDecimals, sumMoney } from "../../lib/decimal";
import type { ShopifyTotals } from "./order-mapper";
import { refundComponentsTotal } from "./refund-mapper";

/** The sales document's parts, as the ERP will receive them. */
export function documentParts(order: CanonicalOrder): Record<keyof ShopifyTotals, string> {
  const tips = order.lines.filter((l) => l.kind === "tip");
  const tipsTotal = sumMoney(tips.map((l) => subtractDecimals(multiplyDecimal(l.unitPrice, l.quantity), l.discount)));
  const subtotal = subtractDecimals(order.totals.subtotal, tipsTotal);
  const taxAdded = order.taxesIncluded ? "0.00" : order.totals.tax;
  return {
    subtotal,
    shipping: order.totals.shipping,
    tax: order.totals.tax,
    duties: order.totals.duties,
    tips: tipsTotal,
    total: sumMoney([order.totals.subtotal, order.totals.shipping, order.totals.duties, taxAdded]),
  };
}

const PART_NAMES: Record<Exclude<keyof ShopifyTotals, "total">, string> = {
  subtotal: "Line items after discounts",
  shipping: "Shipping after shipping discounts",
  tax: "Tax",
  duties: "Duties",
  tips: "Tips",
};

function describeDifference(name: string, shopify: string, erp: string, currency: string): string {
  if (compareDecimals(erp, "0") === 0) return `${name} ${shopify} ${currency} is missing from the ERP document.`;
  return `${name} is ${shopify} ${currency} in Shopify but ${erp} ${currency} in the ERP document.`;
}

/**
 * Problems with the sales document's money, in words staff can act on
 * (empty when it adds up). `shopify` is what the same order's Shopify
 * totals say, in the same currency view as `order`.
 */
export function checkOrderMoney(order: CanonicalOrder, shopify: ShopifyTotals): string[] {
  // Lines without a price or an order without a total are validation's to report.
  if (order.lines.some((l) => !isDecimal(l.unitPrice)) || shopify.total === null) return [];
  const parts = documentParts(order);
  if (compareDecimals(parts.total, shopify.total) === 0) return [];
  const currency = order.currency;
  const named = (Object.keys(PART_NAMES) as Array<keyof typeof PART_NAMES>)
    .filter((key) => !(key === "tax" && order.taxesIncluded)) // inside the prices: not a part of its own
    .filter((key) => shopify[key] !== null && compareDecimals(shopify[key]!, parts[key]) !== 0)
    .map((key) => describeDifference(PART_NAMES[key], shopify[key]!, parts[key], currency));
  const head = `Order ${order.name} was not sent: the ERP document would add up to ${parts.total} ${currency}, but Shopify's current total is ${shopify.total} ${currency}.`;
  const what =
    named.length > 0
      ? named.join(" ")
      : `The difference of ${subtractDecimals(shopify.total, parts.total)} ${currency} is in a part of the order the app does not map.`;
  return [`${head} ${what} Re-fetch the order from Shopify; if it stays, report it to the app's support with the order number.`];
}

/**
 * Problems with a refund's money: its parts (lines, shipping, duties, tax
 * when prices exclude it, Shopify's refund adjustments) must add up to the
 * money actually returned, plus what an exchange took instead of money.
 */
export function checkRefundMoney(order: CanonicalOrder, refund: CanonicalRefund): string[] {
  const parts = refundComponentsTotal(refund, order.taxesIncluded);
  const expected = sumMoney([refund.amount, refund.exchangeCredit]);
  if (compareDecimals(parts, expected) === 0) return [];
  const c = order.currency;
  const lines = sumMoney(refund.lines.map((l) => l.amount));
  const pieces = [
    `lines ${lines}`,
    `shipping ${refund.shipping}`,
    ...(compareDecimals(refund.duties, "0") !== 0 ? [`duties ${refund.duties}`] : []),
    ...(order.taxesIncluded ? [] : [`tax ${refund.tax}`]),
    ...(compareDecimals(refund.adjustment, "0") !== 0 ? [`adjustments ${refund.adjustment}`] : []),
  ];
  return [
    `The refund of ${refund.amount} ${c} on order ${order.name} was not sent: Shopify returned ${refund.amount} ${c}, but the refund's parts (${pieces.join(", ")}) add up to ${parts} ${c}, a difference of ${subtractDecimals(parts, expected)} ${c}. Record this refund in the ERP by hand, then choose "Mark resolved".`,
  ];
}
