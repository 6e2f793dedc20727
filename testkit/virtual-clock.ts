// Virtual time for tests and the chaos run's reconciliation: the Admin client,
// the fake Admin API and the jobs share one clock that moves only when
// someone sleeps, so minutes of rate-limited traffic take milliseconds.
import type { Clock } from "../app/lib/clock";

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
