// Text as both databases can hold it. Every writer passes the strings it
// stores through here, so an odd character in an order never turns into a
// refused write (a 500 that Shopify redelivers forever) on one database and a
// silently cut value on the other.
//
// What neither database takes:
//  - U+0000. PostgreSQL's text type cannot hold it ("invalid byte sequence for
//    encoding "UTF8": 0x00"); SQLite (libsql) cuts the value at it.
//  - Lone surrogates (half of a UTF-16 pair, e.g. from the JSON escape
//    \ud800 alone, or a 4-byte character cut in two by a length limit).
//    They have no UTF-8 form: Prisma's query engine refuses them on either
//    database ("unexpected end of hex escape"); libsql, used directly by
//    SQLite's intake, turns them into U+FFFD on its own.
//
// Two rules, one per kind of text:
//  - storableText (names, search text, messages, SKUs): each such character
//    becomes U+FFFD, the replacement character, so staff see that something
//    was there. 4-byte characters (emoji, 𝄞) are valid pairs and stay.
//  - storableJsonText (the received JSON itself): each such character is
//    written as its JSON escape (\u0000, \ud800), which JSON.parse reads back
//    to the very same value, so nothing of the order is lost. A webhook body
//    never needs it: JSON forbids a raw NUL (it parses only when escaped, as
//    the six characters \u0000) and a body decoded from UTF-8 has no lone
//    surrogates, so the received text is stored exactly as it came.

const REPLACEMENT_CHARACTER = "\uFFFD";

// A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when the text holds nothing a database refuses (the fast, usual case). */
function isStorable(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

/** Text with U+0000 and lone surrogates replaced by U+FFFD; the same string when there are none. */
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null | undefined): string | null | undefined;
export function storableText(text: string | null | undefined): string | null | undefined {
  if (typeof text !== "string" || isStorable(text)) return text;
  return text.replaceAll("\u0000", REPLACEMENT_CHARACTER).toWellFormed();
}

/** JSON text with U+0000 and lone surrogates written as JSON escapes (same parsed value); the same string when there are none. */
export function storableJsonText(text: string): string {
  if (isStorable(text)) return text;
  return text.replace(UNSTORABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A row's values with every string passed through storableText (other values as they are). */
export function storableColumns<T extends object>(values: T): T {
  let copy: Record<string, unknown> | null = null;
  for (const [column, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    const storable = storableText(value);
    if (storable === value) continue;
    copy ??= { ...(values as Record<string, unknown>) };
    copy[column] = storable;
  }
  return (copy ?? values) as T;
}
