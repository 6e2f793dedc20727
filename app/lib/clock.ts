// Time as the Admin client, reconciliation and the background jobs see it.
// Injected so tests can run minutes of rate-limited traffic in milliseconds
// (testkit/virtual-clock.ts) while production and the benchmark use the wall
// clock.
import { sleep } from "./sleep";

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep,
};
