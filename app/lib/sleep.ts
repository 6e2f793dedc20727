// One abortable sleep for the whole app (Node's timers/promises underneath).
// An abort rejects with the signal's own reason, so callers can tell a
// shutdown from a timeout by what they passed to abort().
import { setTimeout as delay } from "node:timers/promises";

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw signal.reason;
  if (ms <= 0) return;
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
