// Shopify sends 64-bit ids as JSON numbers; JSON.parse rounds them to the
// nearest double (820982911946154508 -> 820982911946154500). This parser keeps
// them exact:
//  - every integer outside the safe range becomes its exact digits (string);
//  - every number under a key named "id" or ending in "_id" becomes a string.
//
// How: integer literals of 16 or more digits outside strings (the only ones
// that can be unsafe: 2^53 has 16 digits) are quoted in the text before
// JSON.parse, unless they are safe; then one walk turns the numbers under id
// keys into strings. It runs on every webhook, so it avoids a reviver: a
// reviver with source text access gave the same result at 6x the cost
// (test/sync/exact-json.test.ts checks both agree).

import { legacyIdFromGid } from "../../lib/shopify-gid";

// An integer literal of 16+ digits that is not part of a decimal or an
// exponent. Matches inside JSON strings too: the caller skips those.
const LONG_INTEGER = /(?<![\w.+-])-?\d{16,}(?![\w.])/g;

function isIdKey(key: string): boolean {
  return key === "id" || key.endsWith("_id");
}

/** True when the quote at `index` is escaped (an odd number of backslashes before it). */
function isEscapedQuote(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 1;
}

function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let copiedUpTo = 0;
  // Whether the text at `scanned` is inside a JSON string, found by hopping
  // from quote to quote (ahead of the candidates only as far as needed).
  let scanned = 0;
  let inString = false;
  for (const match of text.matchAll(LONG_INTEGER)) {
    const at = match.index;
    for (let quote = text.indexOf('"', scanned); quote !== -1 && quote < at; quote = text.indexOf('"', scanned)) {
      if (!isEscapedQuote(text, quote)) inString = !inString;
      scanned = quote + 1;
    }
    if (inString || Number.isSafeInteger(Number(match[0]))) continue;
    out += `${text.slice(copiedUpTo, at)}"${match[0]}"`;
    copiedUpTo = at + match[0].length;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

function stringifyIds(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) if (item !== null && typeof item === "object") stringifyIds(item);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item === "number") {
      if (isIdKey(key)) record[key] = String(item);
    } else if (item !== null && typeof item === "object") {
      stringifyIds(item);
    }
  }
}

export function parseJsonExact(text: string): unknown {
  const value: unknown = JSON.parse(quoteUnsafeIntegers(text));
  if (value !== null && typeof value === "object") stringifyIds(value);
  return value;
}

/** An id as an exact string: gid first, then an exact string/integer id. */
export function exactId(gid: unknown, raw: unknown): string | null {
  const fromGid = legacyIdFromGid(gid);
  if (fromGid) return fromGid;
  if (typeof raw === "string" && /^\d+$/.test(raw)) return raw;
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return String(raw);
  return null;
}
