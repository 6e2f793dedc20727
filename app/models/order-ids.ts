// Shopify order ids as the app receives them from the admin.
import { parseGid } from "../lib/shopify-gid";

/** Accepts the legacy id (123) or the GID the admin hands an extension (gid://shopify/Order/123). */
export function legacyOrderId(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const text = decodeURIComponent(raw);
  const gid = parseGid(text);
  const id = gid ? (gid.type === "Order" ? gid.id : "") : text;
  return /^\d{1,20}$/.test(id) ? id : null;
}
