// Throughput of the sync engine against the fake ERP.
//   npx vite-node --config vitest.config.ts scripts/bench-sync.ts [-- --orders 500 --latency 50 --concurrency 8 --intake-rate 200]
// (--config vitest.config.ts: the app's vite.config.ts loads the Remix plugin
// and only serves app/, which vite-node cannot run scripts under.)
//
// 1. Intake: posts orders/create events at a steady rate (--intake-rate per
//    second) through recordWebhookEvent and reports latency percentiles.
// 2. Worker: one worker syncs all those orders into a fake ERP that takes
//    --latency ms per call and allows --concurrency calls at once (shop limit
//    set to the same). The best possible rate is concurrency / latency;
//    reports orders/s, the ratio to that bound (target >= 0.9) and the most
//    concurrent ERP requests seen (must not exceed the limit).
import { parseArgs } from "node:util";
import { createLogger } from "../app/logging/logger";
import { recordWebhookEvent } from "../app/sync/intake";
import { createWorker } from "../app/sync/worker";
import { createTestDatabase } from "../test/support/db";
import { FakeErp } from "../test/support/fake-erp";
import { makeOrder, webhookInput } from "../test/support/shopify-payloads";
import { TestConfigProvider } from "../test/sync/harness";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "500" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "8" },
    "intake-rate": { type: "string", default: "200" },
  },
  allowPositionals: true,
});
const N = Number(values.orders);
const LATENCY = Number(values.latency);
const CONCURRENCY = Number(values.concurrency);
const INTAKE_RATE = Number(values["intake-rate"]);
const SHOP = "bench.myshopify.com";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const db = await createTestDatabase();
if (process.env.BENCH_SYNC_NORMAL) await db.prisma.$queryRawUnsafe("PRAGMA synchronous=NORMAL");
try {
  // --- intake at a steady offered rate ---
  const inputs = Array.from({ length: N }, (_, i) =>
    webhookInput(SHOP, "orders/create", makeOrder({ id: 4000000000000000000n + BigInt(i), name: `#${10000 + i}` })),
  );
  const latencies: number[] = [];
  const intakeStart = performance.now();
  await Promise.all(
    inputs.map(async (input, i) => {
      const due = intakeStart + (i * 1000) / INTAKE_RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t = performance.now();
      const res = await recordWebhookEvent(db.prisma, input);
      if (res.status !== "recorded") throw new Error(`intake ${i}: ${res.status}`);
      latencies.push(performance.now() - t);
    }),
  );
  const intakeSeconds = (performance.now() - intakeStart) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `intake: ${N} events offered at ${INTAKE_RATE}/s, done in ${intakeSeconds.toFixed(2)} s (${(N / intakeSeconds).toFixed(0)}/s); ` +
      `latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
  );

  // --- worker throughput ---
  const erp = new FakeErp({ latencyMs: LATENCY, concurrencyLimit: CONCURRENCY });
  const provider = new TestConfigProvider().set(SHOP, {
    erp,
    limits: { maxConcurrency: CONCURRENCY, requestsPerWindow: 1_000_000, windowMs: 1000 },
  });
  const worker = createWorker({
    prisma: db.prisma,
    configProvider: provider,
    workerId: "bench",
    concurrency: CONCURRENCY * 2,
    leaseMs: 30_000,
    pollIntervalMs: 5,
    logger: createLogger({ level: "silent" }),
  });
  const start = performance.now();
  worker.start();
  while (erp.documents.length < N) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - start) / 1000;
  await worker.stop();
  const synced = await db.prisma.orderSync.count({ where: { shop: SHOP, state: "synced" } });
  const rate = N / seconds;
  const bound = CONCURRENCY / (LATENCY / 1000);
  console.log(
    `worker: ${N} orders in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} orders/s; bound ${bound.toFixed(1)} orders/s ` +
      `(concurrency ${CONCURRENCY} / latency ${LATENCY} ms); ratio ${(rate / bound).toFixed(3)} (target >= 0.9)`,
  );
  console.log(
    `max concurrent ERP requests observed: ${erp.maxInFlight} (limit ${CONCURRENCY}); limit violations: ${erp.concurrencyViolations}; ` +
      `ERP documents ${erp.documents.length}, ledger rows synced ${synced}, duplicates ${erp.documents.length - new Set(erp.documents.map((d) => d.externalId)).size}`,
  );
  if (erp.maxInFlight > CONCURRENCY || erp.concurrencyViolations > 0) process.exitCode = 1;
} finally {
  await db.cleanup();
}
