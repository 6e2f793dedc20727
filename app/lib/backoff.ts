// The app's one backoff rule, for everything that waits before trying again:
// ERP retries (app/sync/delivery/retry-policy.ts), probes of an ERP that is down
// (app/sync/delivery/erp-breaker.ts) and the Shopify Admin client
// (app/shopify-admin/admin-client.ts).
//
// Exponential with "equal jitter": the delay before try n is drawn from
// [ceiling/2, ceiling], ceiling = min(max, base * 2^(n-1)).
// Why equal jitter:
// - Full jitter (random in [0, ceiling]) can draw a delay near zero, so a few
//   tries can land within seconds of each other, all inside one short ERP
//   outage. Half the exponential delay is a floor here, so tries never bunch
//   up like that.
// - The other half is random, so many orders that failed together (an outage)
//   still come back spread over ceiling/2 instead of in lock-step.
// - Decorrelated jitter (random in [base, 3 * previous delay]) spreads about as
//   well, but its floor is only the base delay and it needs each order's
//   previous delay stored; equal jitter is computed from the try number alone.

export interface BackoffPolicy {
  /** Ceiling of the first delay. */
  baseMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
}

/** Upper end of the delay before try `attempt` (1 = the first retry). */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy): number {
  const doublings = Math.min(Math.max(0, attempt - 1), 52); // 2^52: beyond any cap, and no Infinity
  return Math.max(0, Math.min(policy.maxMs, policy.baseMs * 2 ** doublings));
}

/** The shortest delay the jitter may draw before try `attempt`: half its ceiling. */
export function backoffFloorMs(attempt: number, policy: BackoffPolicy): number {
  return Math.ceil(backoffCeilingMs(attempt, policy) / 2);
}

/** Delay before try `attempt`, uniformly in [floor, ceiling]; `random` returns [0, 1). */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  const floor = backoffFloorMs(attempt, policy);
  // Clamped: an injected random() outside [0, 1) must not break the bounds.
  const share = Math.min(1, Math.max(0, random()));
  return Math.min(ceiling, floor + Math.floor(share * (ceiling - floor + 1)));
}
