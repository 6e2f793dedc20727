// The money parts of the two documents every ERP connector writes, built
// from the canonical order so that Business Central and Tryton book the same
// things the same way (docs/sync-engine.md, "What the ERP document holds"
// and "Money check"; docs/connectors.md, "Money on the ERP documents"):
// - the sales document: product lines, gift cards sold, tips, shipping,
//   duties, and the tax when prices exclude it and the ERP computes none;
// - a refund's credit note: the refunded units at their refunded value,
//   refunded shipping, duties and tax, and Shopify's refund adjustment as a
//   part of its own; the exchange credit as a note. Its parts add up to the
//   money returned plus the exchange credit (the invariant the engine checks
//   before sending), so the credit note cancels exactly what the sales
//   document holds for the returned goods.
// Each part says where it is booked: a product's own item, or the item or
// account set in the connector's settings for that kind of part. A part
// whose setting is empty makes the order need attention, naming the setting.
import type { CanonicalLine, CanonicalOrder, CanonicalRefund, Money } from "../../sync/order/canonical-order";
import { addDecimals, compareDecimals, multiplyDecimal, negateDecimal, subtractDecimals, sumMoney } from "../../lib/decimal";
import { missingItemNumberProblem, missingSettingsProblem, orderProblem } from "./order-problems";

/** The kinds of part a connector books on an item or account chosen in its settings. */
export type BookingKey = "shipping" | "giftCards" | "tips" | "duties" | "adjustments" | "tax";

/** A connector's settings for those parts: the value set (if any) and the field's label, for messages. */
export interface BookingSettings {
  numbers: Partial<Record<BookingKey, string | undefined>>;
  labels: Partial<Record<BookingKey, string>>;
}

/** Where a part is booked: the line's own item (by item number), or the item/account set for its kind. */
export type Booking = { on: "item"; number: string } | { on: BookingKey; number: string };

export interface DocumentPart {
  booking: Booking;
  /** What staff read on the ERP line. */
  description: string;
  /** Units; 1 for shipping, duties, tax and adjustments. */
  quantity: number;
  /** The part's value after discounts, in the document's tax convention; may be negative (an adjustment). */
  amount: Money;
  /**
   * The order's own unit price and discount for `quantity` units, when
   * `amount` is in the order's tax convention and equals
   * quantity × unitPrice − discount: lets an ERP show the familiar price.
   */
  listPrice?: { unitPrice: Money; discount: Money };
  /** The order line of a product, gift card or tip part. */
  line?: CanonicalLine;
}

/**
 * How the ERP treats tax:
 * - `erpAddsTax: true` (Business Central): the ERP computes tax itself from
 *   its own setup; amounts are sent in the document's convention
 *   (`pricesIncludeTax`), converted from the order's with Shopify's tax;
 * - `erpAddsTax: false` (Tryton, lines written without taxes): amounts stay
 *   in the order's convention, and tax the prices exclude becomes a part of
 *   its own, booked on the "tax" setting.
 */
export type TaxHandling = { erpAddsTax: true; pricesIncludeTax: boolean } | { erpAddsTax: false };

export interface CreditNote {
  parts: DocumentPart[];
  /**
   * Set when the refund is a return with exchange: the value that paid for
   * the exchange items instead of money, as words for a note line. It is no
   * money line: the exchange items are on the sales document, and this
   * credit note cancels the returned goods in full.
   */
  exchangeNote: string | null;
}

/** Collects parts whose setting is empty, to report them all at once. */
class MissingSettings {
  private readonly needs: { what: string; setting: string }[] = [];
  constructor(private readonly settings: BookingSettings) {}

  /** The item/account set for this kind of part, if any. */
  configured(key: BookingKey): string | undefined {
    return this.settings.numbers[key]?.trim() || undefined;
  }

  /** Where to book a part of this kind; null (and noted as missing) when its setting is empty. */
  booking(key: BookingKey, what: string): Booking | null {
    const number = this.configured(key);
    if (number) return { on: key, number };
    this.needs.push({ what, setting: this.settings.labels[key] ?? key });
    return null;
  }

  throwIfAny(order: CanonicalOrder): void {
    if (this.needs.length) throw missingSettingsProblem(order, this.needs);
  }
}

const money = (order: CanonicalOrder, amount: Money) => `${amount} ${order.currency}`;
const isZero = (amount: Money) => compareDecimals(amount, "0") === 0;

/**
 * Where an order line is booked: a tip or a gift card on the item/account
 * set for it (else on its own item number, if it has a SKU); a product on
 * its item number.
 */
function lineBooking(
  line: CanonicalLine,
  missing: MissingSettings,
  noItemNumber: CanonicalLine[],
  amount: Money,
  order: CanonicalOrder,
  /** "it has" for the order, "its refund 123 returns" for a refund. */
  verb: string,
): Booking | null {
  const own = line.itemNumber?.trim();
  if (line.kind === "tip" || line.kind === "gift_card") {
    const key: BookingKey = line.kind === "tip" ? "tips" : "giftCards";
    const configured = missing.configured(key);
    if (configured) return { on: key, number: configured };
    if (own) return { on: "item", number: own };
    const what = line.kind === "tip" ? `${verb} a tip of ${money(order, amount)}` : `${verb} a gift card "${line.displayName}" (${money(order, amount)}) without a SKU`;
    return missing.booking(key, what);
  }
  if (own) return { on: "item", number: own };
  noItemNumber.push(line);
  return null;
}

/** The amount in the document's convention (Shopify's tax added or taken out when the conventions differ). */
function inDocumentConvention(amount: Money, tax: Money, order: CanonicalOrder, handling: TaxHandling): { amount: Money; converted: boolean } {
  if (!handling.erpAddsTax || handling.pricesIncludeTax === order.taxesIncluded) return { amount, converted: false };
  return { amount: handling.pricesIncludeTax ? addDecimals(amount, tax) : subtractDecimals(amount, tax), converted: true };
}

const taxOf = (line: { taxLines: { amount: Money }[] }) => sumMoney(line.taxLines.map((t) => t.amount));

function taxDescription(order: CanonicalOrder): string {
  const titles = [...new Set(order.taxLines.map((t) => t.title))];
  return titles.length ? `Tax (${titles.join(", ")})` : "Tax";
}

/** The sales document's parts; throws the order's problem when an item number or a setting is missing. */
export function salesDocumentParts(order: CanonicalOrder, settings: BookingSettings, taxHandling: TaxHandling): DocumentPart[] {
  const missing = new MissingSettings(settings);
  const noItemNumber: CanonicalLine[] = [];
  const parts: DocumentPart[] = [];

  for (const line of order.lines) {
    const own = subtractDecimals(multiplyDecimal(line.unitPrice, line.quantity), line.discount);
    const booking = lineBooking(line, missing, noItemNumber, own, order, "it has");
    if (!booking) continue;
    const { amount, converted } = inDocumentConvention(own, taxOf(line), order, taxHandling);
    parts.push({
      booking,
      description: line.displayName,
      quantity: line.quantity,
      amount,
      ...(converted ? {} : { listPrice: { unitPrice: line.unitPrice, discount: line.discount } }),
      line,
    });
  }

  for (const shipping of order.shippingLines) {
    const own = subtractDecimals(shipping.price, shipping.discount);
    if (isZero(own)) continue;
    const booking = missing.booking("shipping", `it has shipping "${shipping.title}" of ${money(order, own)}`);
    if (!booking) continue;
    parts.push({ booking, description: `Shipping: ${shipping.title}`, quantity: 1, amount: inDocumentConvention(own, taxOf(shipping), order, taxHandling).amount });
  }

  if (!isZero(order.totals.duties)) {
    const booking = missing.booking("duties", `it has duties of ${money(order, order.totals.duties)}`);
    if (booking) parts.push({ booking, description: "Duties", quantity: 1, amount: order.totals.duties });
  }

  if (!taxHandling.erpAddsTax && !order.taxesIncluded && !isZero(order.totals.tax)) {
    const booking = missing.booking("tax", `it has tax of ${money(order, order.totals.tax)} on top of its prices`);
    if (booking) parts.push({ booking, description: taxDescription(order), quantity: 1, amount: order.totals.tax });
  }

  if (noItemNumber.length) throw missingItemNumberProblem(order, noItemNumber);
  missing.throwIfAny(order);
  return parts;
}

/**
 * A refund's credit note parts (all positive for money returned to the
 * customer; an adjustment may be negative). Throws the order's problem when
 * a refunded line is not on the order or a setting is missing.
 */
export function creditNoteParts(order: CanonicalOrder, refund: CanonicalRefund, settings: BookingSettings, taxHandling: TaxHandling): CreditNote {
  const missing = new MissingSettings(settings);
  const noItemNumber: CanonicalLine[] = [];
  const parts: DocumentPart[] = [];
  const byId = new Map(order.lines.map((l) => [l.lineId, l]));
  const refunded = refund.lines.filter((r) => r.quantity > 0);

  const strangers = refunded.filter((r) => !byId.has(r.lineId));
  if (strangers.length) {
    throw orderProblem(
      order,
      `its refund ${refund.refundId} returns ${strangers.map((r) => `"${r.sku ?? r.lineId}"`).join(", ")}, which the order does not hold`,
      `Re-fetch the order from Shopify and retry; if it stays, record the refund in the ERP by hand, then choose "Mark resolved".`,
    );
  }

  for (const r of refunded) {
    const line = byId.get(r.lineId)!;
    const booking = lineBooking(line, missing, noItemNumber, r.amount, order, `its refund ${refund.refundId} returns`);
    if (!booking) continue;
    const { amount, converted } = inDocumentConvention(r.amount, r.tax, order, taxHandling);
    // The order's unit price, with the refund's share of discounts as the line discount.
    const discount = subtractDecimals(multiplyDecimal(line.unitPrice, r.quantity), r.amount);
    parts.push({
      booking,
      description: `Refund: ${line.displayName}`,
      quantity: r.quantity,
      amount,
      ...(converted || compareDecimals(discount, "0") < 0 ? {} : { listPrice: { unitPrice: line.unitPrice, discount } }),
      line,
    });
  }

  const what = (part: string, amount: Money) => `its refund ${refund.refundId} returns ${part} of ${money(order, amount)}`;
  if (!isZero(refund.shipping)) {
    const booking = missing.booking("shipping", what("shipping", refund.shipping));
    // Shipping's own tax: the refund's tax less the refunded lines' tax.
    const shippingTax = subtractDecimals(refund.tax, sumMoney(refunded.map((r) => r.tax)));
    if (booking) parts.push({ booking, description: "Refund: shipping", quantity: 1, amount: inDocumentConvention(refund.shipping, shippingTax, order, taxHandling).amount });
  }
  if (!isZero(refund.duties)) {
    const booking = missing.booking("duties", what("duties", refund.duties));
    if (booking) parts.push({ booking, description: "Refund: duties", quantity: 1, amount: refund.duties });
  }
  if (!taxHandling.erpAddsTax && !order.taxesIncluded && !isZero(refund.tax)) {
    const booking = missing.booking("tax", what("tax", refund.tax));
    if (booking) parts.push({ booking, description: `Refund: ${taxDescription(order).toLowerCase()}`, quantity: 1, amount: refund.tax });
  }
  if (!isZero(refund.adjustment)) {
    const more = compareDecimals(refund.adjustment, "0") > 0;
    const booking = missing.booking(
      "adjustments",
      `its refund ${refund.refundId} returned ${money(order, more ? refund.adjustment : negateDecimal(refund.adjustment))} ${more ? "more" : "less"} than Shopify calculated (a refund adjustment)`,
    );
    if (booking) parts.push({ booking, description: "Refund adjustment (difference to Shopify's calculated refund)", quantity: 1, amount: refund.adjustment });
  }

  if (noItemNumber.length) throw missingItemNumberProblem(order, noItemNumber);
  missing.throwIfAny(order);

  const exchangeNote = isZero(refund.exchangeCredit)
    ? null
    : `Exchange: ${money(order, refund.exchangeCredit)} of this credit paid for exchange items on the order; money returned ${money(order, refund.amount)}`;
  return { parts, exchangeNote };
}
