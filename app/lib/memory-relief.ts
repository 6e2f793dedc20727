// Gives the worker's freed V8 pages back to the system while it is busy.
//
// V8 only returns pages it no longer needs when it runs a memory-reducing
// collection, and it runs those when the process goes idle; a worker that
// syncs without pause never goes idle, so after a large order (the heap
// peaks at 80-100 MiB for a 10 MB one) and between ordinary collections its
// resident size stays at its high-water mark, 50-60 MiB above what it
// uses (docs/benchmarks.md, "Memory", round 3). An ordinary full collection does
// not give those pages back either; only V8's last-resort collection does.
//
// So every `everyMs` this job compares the resident size with what it was
// right after the last such collection and runs one when it has grown by
// `growthBytes`: an idle worker, or one whose live heap truly grew, is not
// collected again and again. One relief is two memory-reducing full
// collections (about 0.2 s of the main thread) and the compiling again of
// the code they drop: about 0.6 s of CPU, at most once per `everyMs`; a
// busy worker syncs a few per cent slower for it (docs/benchmarks.md).
//
// The collection needs V8's gc extension (`node --expose-gc`, which
// `npm run worker` passes); without it the job does nothing.
import type { Logger } from "../logging/logger";
import { startPollingLoop, type BackgroundJob } from "./background-job";

type GcFunction = (options: { type: "major"; execution: "async"; flavor: "last-resort" }) => Promise<void>;

export interface MemoryReliefOptions {
  everyMs?: number;
  growthBytes?: number;
  logger?: Logger;
  /** The process's resident size in bytes (default process.memoryUsage.rss). */
  residentBytes?: () => number;
  /** V8's gc extension (default globalThis.gc, present under --expose-gc). */
  gc?: GcFunction;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const MiB = 1024 * 1024;

export function startMemoryRelief(options: MemoryReliefOptions = {}): BackgroundJob {
  const everyMs = options.everyMs ?? 10_000;
  const growthBytes = options.growthBytes ?? 8 * MiB;
  const residentBytes = options.residentBytes ?? (() => process.memoryUsage.rss());
  const gc = options.gc ?? (globalThis as { gc?: GcFunction }).gc;
  if (typeof gc !== "function") {
    options.logger?.info("memory relief off: node was started without --expose-gc");
    return { name: "memory-relief", stop: async () => undefined };
  }
  let baseline = residentBytes();
  return startPollingLoop({
    name: "memory-relief",
    everyMs,
    logger: options.logger,
    sleep: options.sleep,
    round: async () => {
      const before = residentBytes();
      // Pages V8 gave back on its own lower the mark too (it reads the size right after a collection, before every page is released).
      baseline = Math.min(baseline, before);
      if (before - baseline < growthBytes) return;
      await gc({ type: "major", execution: "async", flavor: "last-resort" });
      baseline = residentBytes();
      options.logger?.debug({ residentBefore: before, residentAfter: baseline }, "memory relief: freed pages given back");
    },
  });
}
