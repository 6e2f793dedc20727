// Exact ERP line prices for an amount spread over several units. An ERP
// line is quantity × unit price (− a line discount where the ERP has one),
// so an amount such as 10.00 over 3 units has no exact unit price at the
// amount's decimals; rounding it (3.33 or 3.3333) makes the document miss
// Shopify's total by a cent, which the totals check then flags. These
// helpers always give lines that add up to the amount exactly.
import { addDecimals, compareDecimals, divideDecimal, multiplyDecimal, subtractDecimals } from "../../lib/decimal";

function decimalsOf(amount: string): number {
  const dot = amount.indexOf(".");
  return dot === -1 ? 0 : amount.length - dot - 1;
}

/** One unit of the amount's last decimal place: "0.01" for "17.99", "1" for "1000". */
function smallestStep(decimals: number): string {
  return decimals === 0 ? "1" : `0.${"0".repeat(decimals - 1)}1`;
}

/**
 * A unit price and a line discount, both at the amount's decimals, with
 * quantity × unitPrice − discount = amount exactly and 0 ≤ discount < one
 * step per unit. For ERPs with a line discount field (Business Central).
 */
export function priceWithDiscount(amount: string, quantity: number): { unitPrice: string; discount: string } {
  const decimals = decimalsOf(amount.trim());
  const zero = decimals === 0 ? "0" : `0.${"0".repeat(decimals)}`;
  if (quantity === 1) return { unitPrice: amount, discount: zero };
  let unitPrice = divideDecimal(amount, quantity, decimals);
  if (compareDecimals(multiplyDecimal(unitPrice, quantity), amount) < 0) unitPrice = addDecimals(unitPrice, smallestStep(decimals));
  return { unitPrice, discount: subtractDecimals(multiplyDecimal(unitPrice, quantity), amount) };
}

/**
 * Quantities and unit prices (at most `priceDecimals` places) whose line
 * amounts add up to `amount` exactly, for ERPs without a line discount
 * (Tryton): one line when amount / quantity is exact at `priceDecimals`,
 * else quantity − 1 units at the price rounded to the amount's decimals and
 * one unit at what is left.
 */
export function exactQuantityPrices(amount: string, quantity: number, priceDecimals: number): { quantity: number; unitPrice: string }[] {
  const unitPrice = divideDecimal(amount, quantity, priceDecimals);
  if (compareDecimals(multiplyDecimal(unitPrice, quantity), amount) === 0) return [{ quantity, unitPrice }];
  const rounded = divideDecimal(amount, quantity, decimalsOf(amount.trim()));
  const rest = subtractDecimals(amount, multiplyDecimal(rounded, quantity - 1));
  return [
    { quantity: quantity - 1, unitPrice: rounded },
    { quantity: 1, unitPrice: rest },
  ];
}
