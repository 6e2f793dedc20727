// Shopify sends 64-bit ids as JSON numbers; JSON.parse rounds them to the
// nearest double (820982911946154508 -> 820982911946154500). This parser reads
// the number's source text instead, so ids stay exact strings:
//  - every integer outside the safe range becomes its exact digits (string);
//  - every value under a key named "id" or ending in "_id" becomes a string.
// Relies on JSON.parse source text access (V8 11.4+, every Node >= 21; the
// app pins Node 24). Without it we refuse rather than silently lose precision.

interface ReviverContext {
  source?: string;
}

type Reviver = (this: unknown, key: string, value: unknown, context?: ReviverContext) => unknown;

let sourceAccessChecked: boolean | null = null;

function hasSourceTextAccess(): boolean {
  if (sourceAccessChecked === null) {
    let seen = false;
    (JSON.parse as (text: string, reviver: Reviver) => unknown)("[1]", (_k, _v, ctx) => {
      if (ctx && typeof ctx.source === "string") seen = true;
      return _v;
    });
    sourceAccessChecked = seen;
  }
  return sourceAccessChecked;
}

function isIdKey(key: string): boolean {
  return key === "id" || key.endsWith("_id");
}

export function parseJsonExact(text: string): unknown {
  if (!hasSourceTextAccess()) {
    throw new Error("This Node.js cannot read JSON numbers exactly (needs Node 22 or newer).");
  }
  return (JSON.parse as (text: string, reviver: Reviver) => unknown)(text, (key, value, ctx) => {
    if (typeof value !== "number" || !ctx?.source) return value;
    if (isIdKey(key)) return ctx.source;
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return ctx.source;
    return value;
  });
}

/** "gid://shopify/Order/820982911946154508" -> "820982911946154508". */
export function legacyIdFromGid(gid: unknown): string | null {
  if (typeof gid !== "string") return null;
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid);
  return match ? match[1] : null;
}

/** An id as an exact string: gid first, then an exact string/integer id. */
export function exactId(gid: unknown, raw: unknown): string | null {
  const fromGid = legacyIdFromGid(gid);
  if (fromGid) return fromGid;
  if (typeof raw === "string" && /^\d+$/.test(raw)) return raw;
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return String(raw);
  return null;
}
