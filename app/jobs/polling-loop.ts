// A background loop that does one round of work every few seconds until it is
// stopped. Jobs in the worker process are built from it so each one is
// stoppable the same way: stop() aborts the wait (and the round's signal) and
// resolves once the round in progress has ended. A failing round is logged
// and the loop carries on: a database hiccup must not end a job for good.
import type { Logger } from "../logging/logger";
import { sleep } from "../lib/sleep";

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
}

export interface PollingLoop extends BackgroundJob {
  /** The signal every round receives; aborted by stop(). */
  readonly signal: AbortSignal;
}

export function startPollingLoop(options: PollingLoopOptions): PollingLoop {
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        await options.round(abort.signal);
      } catch (error) {
        if (!abort.signal.aborted) {
          options.logger?.error({ job: options.name, err: error instanceof Error ? error.message : String(error) }, "background job round failed");
        }
      }
      await sleep(options.everyMs, abort.signal).catch(() => undefined);
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
