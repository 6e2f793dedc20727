// Time as the Admin client, reconciliation and the background jobs see it. Injected so tests can
// run minutes of rate-limited traffic in milliseconds (virtual clock) while
// production and the benchmark use the wall clock.
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

/**
 * A clock whose time only moves when someone sleeps: sleeping advances it
 * instantly. Shared by the client under test and the fake API, it makes
 * rate-limit behaviour deterministic and fast.
 */
export interface VirtualClock extends Clock {
  advance(ms: number): void;
  /** Total time spent sleeping, i.e. time the caller would have waited. */
  readonly sleptMs: number;
}

export function createVirtualClock(startMs = Date.UTC(2026, 10, 25, 12, 0, 0)): VirtualClock {
  let now = startMs;
  let slept = 0;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    get sleptMs() {
      return slept;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      const step = Math.max(0, ms);
      now += step;
      slept += step;
      // Yield so other work (e.g. an abort) can interleave like a real wait.
      await Promise.resolve();
      if (signal?.aborted) throw signal.reason;
    },
  };
}
