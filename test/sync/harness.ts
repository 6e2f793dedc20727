// Shared set-up for sync engine tests: a fresh database, a fake ERP per shop
// behind a ShopConfigProvider, a worker on a controllable clock, and the
// JSON log lines it wrote.
import { Writable } from "node:stream";
import type { PrismaClient } from "@prisma/client";
import type { ConnectorDescription, ConnectorLimits } from "../../app/connectors/port";
import { createLogger } from "../../app/logging/logger";
import type { ShopConfigProvider, ShopSyncConfig } from "../../app/sync/shop-config";
import { parseSyncRules, type SyncRules } from "../../app/sync/order/sync-rules";
import { createWorker, type SyncWorker, type WorkerOptions } from "../../app/sync/worker/worker";
import { FakeErp } from "../support/fake-erp";

export const SHOP = "acme.myshopify.com";

export const FAKE_DESCRIPTION: ConnectorDescription = {
  type: "fake",
  name: "Fake ERP",
  description: "In-memory ERP for tests",
  fields: [],
  defaultLimits: { maxConcurrency: 4, requestsPerWindow: 1000, windowMs: 1000 },
  skuFallbackAllowed: true,
};

export interface ShopSetup {
  erp: FakeErp | null;
  rules?: Partial<Record<keyof SyncRules, unknown>>;
  limits?: Partial<ConnectorLimits>;
  skuFallbackAllowed?: boolean;
  itemNumbers?: Record<string, string>;
  prefix?: string;
}

export class TestConfigProvider implements ShopConfigProvider {
  readonly shops = new Map<string, ShopSetup>();
  set(shop: string, setup: ShopSetup): this {
    this.shops.set(shop, setup);
    return this;
  }
  async forShop(shop: string): Promise<ShopSyncConfig | null> {
    const s = this.shops.get(shop);
    if (!s) return null;
    const mapping = s.itemNumbers ?? {};
    return {
      shop,
      externalIdPrefix: s.prefix ?? "shopify-",
      rules: parseSyncRules(JSON.stringify(s.rules ?? {})),
      connector: s.erp,
      description: { ...FAKE_DESCRIPTION, skuFallbackAllowed: s.skuFallbackAllowed ?? true },
      limits: { ...FAKE_DESCRIPTION.defaultLimits, ...s.limits },
      async lookupItemNumbers(skus) {
        return new Map(skus.filter((k) => k in mapping).map((k) => [k, mapping[k]]));
      },
    };
  }
}

/** A clock tests move by hand (retries and leases are due "later"). */
export class TestClock {
  // Starts at real time: intake stamps rows with the real clock.
  constructor(public ms = Date.now() + 1_000) {}
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
