// Shopify order ids as the app receives them from the admin.

/** Accepts the legacy id (123) or the GID the admin hands an extension (gid://shopify/Order/123). */
export function legacyOrderId(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const id = decodeURIComponent(raw).replace(/^gid:\/\/shopify\/Order\//, "");
  return /^\d{1,20}$/.test(id) ? id : null;
}
