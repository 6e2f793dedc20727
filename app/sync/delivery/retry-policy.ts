// Retry timing for transient ERP failures (timeouts, 5xx, 429). The budget is
// time, not a number of attempts: an order is retried for the shop's window
// (retry.maxAgeHours, 72 hours by default) from its first failed attempt, and
// only a failure after that moves it to `failed`. A number of attempts is no
// budget: a short outage can take several of them at once, and a long one
// spaced out by backoff few. Attempts are counted and logged; they do not
// end the retries.
//
// Delays use the app's one backoff rule (app/lib/backoff.ts): exponential
// from retry.baseDelayMs, capped at retry.maxDelayMs (15 minutes by default),
// with equal jitter, so an attempt is never scheduled sooner than half the
// exponential delay. A Retry-After from the ERP is a further floor.
import { backoffDelayMs, type BackoffPolicy } from "../../lib/backoff";
import type { SyncRules } from "../order/sync-rules";

type RetryRules = SyncRules["retry"];

function backoffOf(retry: RetryRules): BackoffPolicy {
  return { baseMs: retry.baseDelayMs, maxMs: retry.maxDelayMs };
}

/** Delay before the next attempt after failed attempt `attemptNumber` (1 = the first). */
export function retryDelayMs(
  attemptNumber: number,
  retry: RetryRules,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  return Math.max(backoffDelayMs(attemptNumber, backoffOf(retry), random), retryAfterMs ?? 0);
}

/** True once the order has been retried for the whole window since its first attempt. */
export function retryWindowEnded(firstAttemptAt: Date, now: Date, retry: RetryRules): boolean {
  return now.getTime() - firstAttemptAt.getTime() >= retry.maxAgeHours * 3_600_000;
}

/** What staff read on an order that ran out of retry time: what happened and what to do. */
export function gaveUpMessage(userMessage: string, attempts: number, retry: RetryRules): string {
  const hours = retry.maxAgeHours;
  return (
    `${userMessage} The app kept trying for ${hours} hour${hours === 1 ? "" : "s"} (${attempts} attempts) and has stopped. ` +
    `Check that your ERP is running and accepts orders from the app (Settings → Test connection), then choose "Retry" on this order.`
  );
}
