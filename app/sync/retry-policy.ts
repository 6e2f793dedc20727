// Retry timing for transient ERP failures: exponential backoff with full
// jitter (random in [0, min(cap, base * 2^(n-1))]) so many orders failing at
// once do not come back in lock-step; a Retry-After from the ERP is a floor.
import type { SyncRules } from "./sync-rules";

export function retryDelayMs(
  attemptNumber: number,
  retry: SyncRules["retry"],
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attemptNumber - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** True when this failure used up the shop's retry budget (attempts or age). */
export function retriesExhausted(
  attemptNumber: number,
  firstAttemptAt: Date,
  now: Date,
  retry: SyncRules["retry"],
): boolean {
  const ageMs = now.getTime() - firstAttemptAt.getTime();
  return attemptNumber >= retry.maxAttempts || ageMs >= retry.maxAgeHours * 3_600_000;
}
