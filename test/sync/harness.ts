// Shared set-up for sync engine tests: a worker (with a fake ERP per shop
// behind testkit's TestConfigProvider) on a controllable clock, and the JSON
// log lines it wrote.
import { Writable } from "node:stream";
import type { PrismaClient } from "@prisma/client";
import { createLogger } from "../../app/logging/logger";
import type { ShopConfigProvider } from "../../app/sync/shop-config";
import { createWorker, type SyncWorker, type WorkerOptions } from "../../app/sync/worker/worker";

export const SHOP = "acme.myshopify.com";

/** A clock tests move by hand (retries and leases are due "later"). */
export class TestClock {
  // Starts a minute ahead of real time: intake stamps rows with the real
  // clock, and they must be due when a test first runs the worker. On a
  // loaded machine the first test of a file (its database, the SQLite writer
  // thread, the modules) takes seconds before its first webhook is stored; a
  // clock only 1 s ahead saw those rows in its future and found nothing due.
  constructor(public ms = Date.now() + 60_000) {}
  now = () => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk, _enc, cb) => {
      this.lines.push(...String(chunk).split("\n").filter(Boolean));
      cb();
    },
  });
  get text(): string {
    return this.lines.join("\n");
  }
  parsed(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l));
  }
}

export function makeWorker(
  prisma: PrismaClient,
  provider: ShopConfigProvider,
  overrides: Partial<WorkerOptions> = {},
  logs = new LogCapture(),
): { worker: SyncWorker; logs: LogCapture } {
  const worker = createWorker({
    prisma,
    configProvider: provider,
    workerId: "worker-1",
    concurrency: 8,
    leaseMs: 30_000,
    pollIntervalMs: 20,
    logger: createLogger({ level: "debug", destination: logs.stream }),
    configTtlMs: 0,
    ...overrides,
  });
  return { worker, logs };
}

/** Run the worker until nothing is due (advancing the clock past backoffs when asked). */
export async function drain(worker: SyncWorker, rounds = 20): Promise<number> {
  let total = 0;
  for (let i = 0; i < rounds; i++) {
    const n = await worker.runOnce();
    total += n;
    if (n === 0) break;
  }
  return total;
}
