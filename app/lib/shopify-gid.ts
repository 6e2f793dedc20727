// Shopify's global ids ("gid://shopify/Order/820982911946154508"), read and
// written in one place. The numeric part stays a string: Shopify's ids pass
// 2^53, where a JavaScript number silently rounds them.

export interface ShopifyGid {
  /** "Order", "LineItem", "Refund", ... */
  type: string;
  /** The legacy (REST) id, as exact digits. */
  id: string;
}

/** "gid://shopify/Order/820982911946154508" -> { type: "Order", id: "820982911946154508" }; anything else -> null. */
export function parseGid(gid: unknown): ShopifyGid | null {
  if (typeof gid !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(gid);
  return match ? { type: match[1], id: match[2] } : null;
}

/** "gid://shopify/Order/820982911946154508" -> "820982911946154508". */
export function legacyIdFromGid(gid: unknown): string | null {
  return parseGid(gid)?.id ?? null;
}

/** ("Order", "820982911946154508") -> "gid://shopify/Order/820982911946154508". */
export function gidFor(type: string, id: string): string {
  return `gid://shopify/${type}/${id}`;
}
