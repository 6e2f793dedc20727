// The worker's memory relief (app/lib/memory-relief.ts): a last-resort
// collection when the resident size has grown since the previous one, and
// none while it has not, so an idle worker or one whose heap truly grew is
// not collected again and again.
import { describe, expect, it } from "vitest";
import { startMemoryRelief } from "../../app/lib/memory-relief";

const MiB = 1024 * 1024;

/** A fake process: resident size set by the test, gc() drops it to `afterGc`; rounds run when the test says. */
function fakeProcess(startMiB: number) {
  const state = { resident: startMiB * MiB, afterGc: startMiB * MiB, collections: 0 };
  const waiting: (() => void)[] = [];
  const sleep = (_ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      waiting.push(resolve);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  return {
    state,
    options: {
      residentBytes: () => state.resident,
      gc: async () => {
        state.collections++;
        state.resident = state.afterGc;
      },
      sleep,
    },
    /** Lets the loop run its next round and waits until it sleeps again. */
    async nextRound() {
      waiting.shift()?.();
      while (waiting.length === 0) await new Promise((r) => setImmediate(r));
    },
  };
}

describe("memory relief", () => {
  it("collects once the resident size has grown by the threshold, and again only after it grows again", async () => {
    const proc = fakeProcess(120);
    const relief = startMemoryRelief({ ...proc.options, growthBytes: 8 * MiB });
    await proc.nextRound(); // first round: at the start size
    expect(proc.state.collections).toBe(0);

    proc.state.resident = 126 * MiB; // grown, but by less than 8 MiB
    await proc.nextRound();
    expect(proc.state.collections).toBe(0);

    proc.state.resident = 190 * MiB; // a large order's pages kept
    proc.state.afterGc = 140 * MiB;
    await proc.nextRound();
    expect(proc.state.collections).toBe(1);
    expect(proc.state.resident).toBe(140 * MiB);

    await proc.nextRound(); // nothing grew since: no second collection
    await proc.nextRound();
    expect(proc.state.collections).toBe(1);

    proc.state.resident = 149 * MiB; // grown again from the level after the collection
    proc.state.afterGc = 141 * MiB;
    await proc.nextRound();
    expect(proc.state.collections).toBe(2);
    await relief.stop();
  });

  it("follows the resident size down, so growth is counted from the lowest level seen", async () => {
    const proc = fakeProcess(160);
    const relief = startMemoryRelief({ ...proc.options, growthBytes: 8 * MiB });
    await proc.nextRound();
    proc.state.resident = 130 * MiB; // V8 gave pages back by itself
    await proc.nextRound();
    proc.state.resident = 139 * MiB; // 9 MiB above the low, still below the start size
    await proc.nextRound();
    expect(proc.state.collections).toBe(1);
    await relief.stop();
  });
});
