// Canonical order -> Business Central request bodies, for API v2.0 and v1.0.
// Differences that matter (see docs/connectors.md): v2.0 takes dates as
// Edm.Date ("2026-11-20"), flat shipTo* address fields, lines by item number
// (lookupNumber) and nested lines in one POST (deep insert, atomic); v1.0
// takes orderDate as a date-time, a shippingPostalAddress object and lines by
// item id, posted one by one.
import type { CanonicalAddress, CanonicalOrder, CanonicalRefund } from "../../sync/order/canonical-order";
import { addDecimals, compareDecimals, multiplyDecimal, subtractDecimals } from "../../lib/decimal";
import type { DocumentPart } from "../support/document-parts";
import { priceWithDiscount } from "../support/line-pricing";

export type BcApiVersion = "v2.0" | "v1.0";

/** A JSON number written exactly as the decimal string (no float rounding). */
export interface RawNumber {
  readonly rawJSON: string;
}

type RawJsonFn = (text: string) => RawNumber;
const rawJSON = (JSON as unknown as { rawJSON?: RawJsonFn }).rawJSON;

/** Money must reach BC as a JSON number, yet never pass through a float: JSON.rawJSON (Node 21+) does that. */
export function decimalNumber(value: string): RawNumber | number {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`Not a decimal: ${value}`);
  return rawJSON ? rawJSON(value) : Number(value);
}

export interface BcLine {
  lineType: "Item" | "Account" | "Comment";
  /** v2.0: item or account number. */
  lookupNumber?: string;
  /** v1.0: item id / account id (GUIDs looked up by number). */
  itemId?: string;
  accountId?: string;
  description: string;
  quantity?: RawNumber | number;
  unitPrice?: RawNumber | number;
  discountAmount?: RawNumber | number;
}

/** Descriptions in BC are at most 100 characters. */
function description(text: string): string {
  return text.length > 100 ? text.slice(0, 99) + "…" : text;
}

export interface LineResolution {
  version: BcApiVersion;
  /** v1.0: item number -> item id. */
  itemIds?: Map<string, string>;
  /** v1.0: G/L account number -> account id. */
  accountIds?: Map<string, string>;
}

/**
 * Document lines for the parts (app/connectors/support/document-parts.ts):
 * items by item number, the other parts on their G/L accounts. Each line's
 * quantity × unitPrice − discountAmount is the part's amount exactly: the
 * order's own price and discount where the part is in the order's tax
 * convention, else a unit price with a cent-level discount (line-pricing.ts).
 */
export function documentLines(parts: DocumentPart[], r: LineResolution, notes: string[] = []): BcLine[] {
  const lines = parts.map((part): BcLine => {
    const { unitPrice, discount } = part.listPrice ?? priceWithDiscount(part.amount, part.quantity);
    const base: BcLine = {
      lineType: part.booking.on === "item" ? "Item" : "Account",
      description: description(part.description),
      quantity: part.quantity,
      unitPrice: decimalNumber(unitPrice),
    };
    if (compareDecimals(discount, "0") !== 0) base.discountAmount = decimalNumber(discount);
    const number = part.booking.number;
    if (r.version === "v2.0") return { ...base, lookupNumber: number };
    return part.booking.on === "item" ? { ...base, itemId: r.itemIds!.get(number) } : { ...base, accountId: r.accountIds!.get(number) };
  });
  for (const note of notes) lines.push({ lineType: "Comment", description: description(note) });
  return lines;
}

/** The decimal text of a money value as it goes out. */
function decimalText(value: RawNumber | number | undefined): string {
  if (value === undefined) return "0";
  return typeof value === "number" ? String(value) : value.rawJSON;
}

/** What the lines add up to (quantity × unit price − discount), exactly, as BC totals them before tax. */
export function linesAmount(lines: BcLine[]): string {
  return addDecimals(
    "0",
    ...lines
      .filter((l) => l.lineType !== "Comment")
      .map((l) => subtractDecimals(multiplyDecimal(decimalText(l.unitPrice), Number(decimalText(l.quantity))), decimalText(l.discountAmount))),
  );
}

function addressV2(a: CanonicalAddress | null): Record<string, string> {
  if (!a) return {};
  const out: Record<string, string | null> = {
    shipToName: [a.firstName, a.lastName].filter(Boolean).join(" ").slice(0, 100) || a.company,
    shipToAddressLine1: a.address1,
    shipToAddressLine2: a.address2,
    shipToCity: a.city,
    shipToState: a.provinceCode ?? a.province,
    shipToCountry: a.countryCode,
    shipToPostCode: a.zip,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v)) as Record<string, string>;
}

function addressV1(a: CanonicalAddress | null): Record<string, unknown> {
  if (!a) return {};
  const postal = {
    street: [a.address1, a.address2].filter(Boolean).join(", ") || undefined,
    city: a.city ?? undefined,
    state: a.provinceCode ?? a.province ?? undefined,
    countryLetterCode: a.countryCode ?? undefined,
    postalCode: a.zip ?? undefined,
  };
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ").slice(0, 100) || a.company;
  return { ...(name ? { shipToName: name } : {}), shippingPostalAddress: postal };
}

/** The header of a sales order (without lines). */
export function salesOrderHeader(
  order: CanonicalOrder,
  opts: { version: BcApiVersion; customerNumber: string; localCurrencyCode?: string },
): Record<string, unknown> {
  const header: Record<string, unknown> = {
    externalDocumentNumber: order.externalId,
    // The shop's local calendar date of the order, as Shopify stamped it.
    orderDate: opts.version === "v2.0" ? order.createdAt.slice(0, 10) : `${order.createdAt.slice(0, 10)}T00:00:00Z`,
    customerNumber: opts.customerNumber,
    ...(opts.version === "v2.0" ? addressV2(order.shippingAddress) : addressV1(order.shippingAddress)),
  };
  // BC leaves the local currency blank; sending its code is refused.
  if (order.currency.toUpperCase() !== opts.localCurrencyCode) header.currencyCode = order.currency;
  if (order.customer?.email) header.email = order.customer.email;
  if (order.customer?.phone) header.phoneNumber = order.customer.phone;
  return header;
}

export function creditMemoHeader(
  order: CanonicalOrder,
  refund: CanonicalRefund,
  externalDocumentNumber: string,
  opts: { version: BcApiVersion; customerNumber: string; localCurrencyCode?: string },
): Record<string, unknown> {
  const header: Record<string, unknown> = {
    externalDocumentNumber,
    creditMemoDate: opts.version === "v2.0" ? refund.createdAt.slice(0, 10) : `${refund.createdAt.slice(0, 10)}T00:00:00Z`,
    customerNumber: opts.customerNumber,
  };
  if (order.currency.toUpperCase() !== opts.localCurrencyCode) header.currencyCode = order.currency;
  return header;
}
