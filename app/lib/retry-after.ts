// The app's one Retry-After reader (RFC 9110 §10.2.3: delay-seconds or an
// HTTP-date), for ERP answers (app/connectors/http/classify.ts) and Shopify's
// Admin API (app/shopify-admin/admin-client.ts). A server answering 429/503
// says when to come back; honouring it keeps the shop from being throttled
// harder.

/** Longest wait we accept from a server; anything longer is clamped (a typo or clock skew must not park an order for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** Milliseconds to wait, or undefined when the header is missing or unreadable. */
export function parseRetryAfterMs(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;

  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    ms = Math.round(Number(trimmed) * 1000);
  } else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
