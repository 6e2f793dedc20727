// What counts as a stock quantity the app may write to Shopify. The ERP's
// figure arrives as whatever its API sends (a JSON number, a decimal string,
// a float from Tryton's computed fields); Shopify takes a whole number of
// units between 0 and 1,000,000,000 (InventorySetQuantitiesUserErrorCode
// INVALID_QUANTITY_TOO_HIGH / INVALID_QUANTITY_NEGATIVE in the 2026-10
// schema). Anything else is refused here with plain words, so the planner
// turns it into a problem item and writes nothing for that item.

/** Shopify's ceiling for a quantity (INVALID_QUANTITY_TOO_HIGH). */
export const MAX_SHOPIFY_QUANTITY = 1_000_000_000;

export type ParsedQuantity = { ok: true; value: number } | { ok: false; reason: string };

const INTEGER_TEXT = /^-?\d+(\.0+)?$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** The ERP's figure as a whole number of units, or why it cannot be one. */
export function parseErpQuantity(raw: unknown): ParsedQuantity {
  let text: string;
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) return { ok: false, reason: `is not a number (${String(raw)})` };
    text = Number.isInteger(raw) ? raw.toFixed(0) : String(raw);
  } else if (typeof raw === "string") {
    text = raw.trim();
  } else {
    return { ok: false, reason: `is not a number (${describe(raw)})` };
  }
  if (!NUMBER_TEXT.test(text)) {
    // 1e21 and the like: finite numbers too large for the plain notation.
    if (typeof raw === "number" && Math.abs(raw) > MAX_SHOPIFY_QUANTITY) return tooLarge(raw);
    return { ok: false, reason: `is not a number ("${clip(text)}")` };
  }
  if (!INTEGER_TEXT.test(text)) return { ok: false, reason: `is not a whole number of units (${clip(text)})` };
  const negative = text.startsWith("-");
  const digits = text.replace(/^-/, "").replace(/\.0+$/, "").replace(/^0+(?=\d)/, "");
  if (digits.length > 10 || Number(digits) > MAX_SHOPIFY_QUANTITY) {
    return negative ? { ok: false, reason: `is negative (-${clip(digits)})` } : tooLarge(digits);
  }
  const value = Number(digits);
  if (negative && value !== 0) return { ok: false, reason: `is negative (-${digits})` };
  return { ok: true, value };
}

function tooLarge(shown: unknown): ParsedQuantity {
  return { ok: false, reason: `is larger than Shopify accepts (${clip(String(shown))}; at most ${MAX_SHOPIFY_QUANTITY.toLocaleString("en-US")})` };
}

function describe(raw: unknown): string {
  if (raw === null) return "empty";
  if (raw === undefined) return "missing";
  if (typeof raw === "string") return `"${clip(raw)}"`;
  return typeof raw;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
