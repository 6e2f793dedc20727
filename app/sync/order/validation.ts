// Checks before anything is sent to the ERP. Every problem is collected (not
// just the first), in words staff can act on without a developer.
import type { CanonicalOrder } from "./canonical-order";
import { compareDecimals, isDecimal } from "../../lib/decimal";

export interface ValidationContext {
  connectorConfigured: boolean;
  skuFallbackAllowed: boolean;
  /** SKUs that have an ERP item number in the shop's SKU mapping. */
  mappedSkus: Set<string>;
}

let knownCurrencies: Set<string> | null = null;
function isKnownCurrency(code: string): boolean {
  if (!knownCurrencies) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    knownCurrencies = new Set(intl.supportedValuesOf ? intl.supportedValuesOf("currency") : []);
  }
  return knownCurrencies.size === 0 ? /^[A-Z]{3}$/.test(code) : knownCurrencies.has(code);
}

export function validateOrder(order: CanonicalOrder, ctx: ValidationContext): string[] {
  const problems: string[] = [];
  const prefix = `Cannot sync order ${order.name}:`;
  if (!ctx.connectorConfigured) {
    problems.push(
      `${prefix} no ERP connection is set up for this shop. Open Settings, choose your ERP and save a working connection, then retry.`,
    );
  }
  if (!order.currency) {
    problems.push(`${prefix} Shopify did not say which currency the order is in. Use "Re-fetch from Shopify", then retry.`);
  } else if (!isKnownCurrency(order.currency)) {
    problems.push(
      `${prefix} the currency "${order.currency}" is not a known currency code. Check the store currency in Shopify, then re-fetch and retry.`,
    );
  }
  if (order.lines.length === 0) {
    problems.push(`${prefix} the order has no line items. Check the order in Shopify; if it is correct, skip it.`);
  }
  for (const line of order.lines) {
    const what = `line item "${line.displayName}"`;
    if (!line.sku && !line.giftCard) {
      problems.push(`${prefix} ${what} has no SKU. Add a SKU to the variant in Shopify, then retry.`);
    } else if (line.sku && !line.giftCard && !ctx.skuFallbackAllowed && !ctx.mappedSkus.has(line.sku)) {
      problems.push(
        `${prefix} SKU "${line.sku}" (${what}) has no ERP item number. Map it to an ERP item in ERP Order Sync (on this order's page, or Settings → SKU mapping), then retry.`,
      );
    }
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      problems.push(
        `${prefix} ${what} has quantity ${line.quantity}; the ERP needs a whole number above zero. Correct the order in Shopify, then re-fetch and retry.`,
      );
    }
    if (!isDecimal(line.unitPrice)) {
      problems.push(`${prefix} ${what} has no price in the shop currency. Use "Re-fetch from Shopify", then retry.`);
    } else if (compareDecimals(line.unitPrice, "0") < 0) {
      problems.push(`${prefix} ${what} has a negative price (${line.unitPrice}). Correct the order in Shopify, then re-fetch and retry.`);
    }
  }
  if (!isDecimal(order.totals.total)) {
    problems.push(`${prefix} Shopify did not send the order total. Use "Re-fetch from Shopify", then retry.`);
  }
  return problems;
}
