// The app's one background-job type and loop: one round of work, then a wait,
// until stopped. Every job in the worker process is built on it (sync-log
// purge, heartbeat, reconciliation scheduler and requests, backfill, alerts,
// ERP check), so each one starts and stops the same way: stop() aborts the
// wait (and the round's signal) and resolves once the round in progress has
// ended. A failing round is logged and the loop carries on: a database
// hiccup must not end a job for good.
import type { Logger } from "../logging/logger";
import { sleep } from "./sleep";

/** What the worker's composition root keeps to stop a job at shutdown. */
export interface BackgroundJob {
  name: string;
  stop(): Promise<void>;
}

export interface PollingLoopOptions {
  name: string;
  everyMs: number;
  /** One round; should give up promptly when the signal is aborted. */
  round(signal: AbortSignal): Promise<void>;
  logger?: Logger;
  /** The wait between rounds (default: real time; tests pass a virtual clock's). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface PollingLoop extends BackgroundJob {
  /** The signal every round receives; aborted by stop(). */
  readonly signal: AbortSignal;
}

export function startPollingLoop(options: PollingLoopOptions): PollingLoop {
  const abort = new AbortController();
  const wait = options.sleep ?? sleep;
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        await options.round(abort.signal);
      } catch (error) {
        if (!abort.signal.aborted) {
          options.logger?.error({ job: options.name, err: error }, "background job round failed");
        }
      }
      await wait(options.everyMs, abort.signal).catch(() => undefined);
    }
  })();
  return {
    name: options.name,
    signal: abort.signal,
    async stop() {
      abort.abort(new Error(`${options.name} stopped`));
      await loop;
    },
  };
}
