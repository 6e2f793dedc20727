// Calls to the app's backend from the admin extension. Relative URLs go to
// the app's URL and Shopify adds the ID token (Authorization: Bearer ...).

export interface OrderSyncStatus {
  found: true;
  id: string;
  orderName: string;
  state: string;
  stateLabel: string;
  erpDocument: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  attemptCount: number;
  /** ERP shipments and the tracking they reached Shopify with (absent from older app versions). */
  shipments?: { document: string; state: string; tracking: string; fulfillment: string | null; problem: string | null }[];
}

export type StatusAnswer = { kind: "status"; status: OrderSyncStatus } | { kind: "unknown"; message: string } | { kind: "error"; message: string };

function path(orderGid: string): string {
  const legacyId = orderGid.replace("gid://shopify/Order/", "");
  return `/api/orders/${encodeURIComponent(legacyId)}/sync`;
}

export async function loadStatus(orderGid: string): Promise<StatusAnswer> {
  try {
    const response = await fetch(path(orderGid));
    const body = await response.json();
    if (response.status === 404) return { kind: "unknown", message: body.message };
    if (!response.ok) return { kind: "error", message: "The ERP sync status could not be loaded. Try again in a moment." };
    return { kind: "status", status: body as OrderSyncStatus };
  } catch {
    return { kind: "error", message: "The app could not be reached. Try again in a moment." };
  }
}

export async function resync(orderGid: string): Promise<{ ok: boolean; message: string }> {
  try {
    const response = await fetch(path(orderGid), { method: "POST" });
    const body = await response.json();
    return { ok: response.ok && body.ok !== false, message: String(body.message ?? "") };
  } catch {
    return { ok: false, message: "The app could not be reached. Try again in a moment." };
  }
}

export const STATE_TONES: Record<string, "success" | "critical" | "warning" | "info" | undefined> = {
  synced: "success",
  needs_attention: "critical",
  failed: "critical",
  retrying: "warning",
  pending: "info",
  sending: "info",
};

export function formatWhen(iso: string | null): string {
  if (!iso) return "never";
  return new Date(iso).toLocaleString();
}
