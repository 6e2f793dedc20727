// Shared set-up for sync engine tests: a worker (with a fake ERP per shop
// behind testkit's TestConfigProvider) on a controllable clock, and the JSON
// log lines it wrote.
import { Writable } from "node:stream";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createLogger } from "../../app/logging/logger";
import type { ShopConfigProvider } from "../../app/sync/shop-config";
import { createWorker, type SyncWorker, type WorkerOptions } from "../../app/sync/worker/worker";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { TestConfigProvider } from "../../testkit/test-config-provider";

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

export interface SyncTestbed {
  /** The test file's database (one per file, migrated, removed afterwards). */
  readonly prisma: PrismaClient;
  /** This test's ERP: SHOP's only connector, empty at the start of every test. */
  readonly erp: FakeErp;
  /** This test's shop configuration: SHOP with `erp`, nothing else set. */
  readonly provider: TestConfigProvider;
  /** This test's clock, a second ahead of real time at the start. */
  readonly clock: TestClock;
}

/**
 * Registers the hooks most engine tests share: a database for the file, and
 * for every test a fresh ERP, shop configuration and clock, so no test sees
 * what another left behind. Read the members inside tests (they change).
 */
export function setUpSyncTestbed(): SyncTestbed {
  let db: TestDatabase | undefined;
  let erp: FakeErp;
  let provider: TestConfigProvider;
  let clock: TestClock;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.cleanup());
  beforeEach(() => {
    erp = new FakeErp();
    provider = new TestConfigProvider().set(SHOP, { erp });
    clock = new TestClock();
  });
  return {
    get prisma() {
      if (!db) throw new Error("the sync testbed's database is made in beforeAll: read it inside a hook or test");
      return db.prisma;
    },
    get erp() {
      return erp;
    },
    get provider() {
      return provider;
    },
    get clock() {
      return clock;
    },
  };
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
