// What intake answers, whichever store carried it out.
export interface IntakeResult {
  status: "recorded" | "duplicate" | "ignored";
  orderSyncId?: string;
  message?: string;
}

/** The Shopify library's id for a shop's offline session: it exists while the app is installed. */
export function offlineSessionId(shop: string): string {
  return `offline_${shop}`;
}

/**
 * A webhook for a shop without an offline session (uninstalled, or never
 * finished installing): nothing is stored for a shop we may no longer hold
 * data for, and the route still answers 200 so Shopify stops retrying.
 */
export const NOT_INSTALLED: IntakeResult = { status: "ignored", message: "ignored: the shop is not installed (no offline session)" };
