// Throughput of the sync engine against the fake ERP.
//   npm run bench:sync [-- --orders 500 --latency 50 --concurrency 8 --rate 0 --history 0 --intake-rate 200 --memory-relief]
// (--memory-relief: the worker process's memory relief runs alongside, as in `npm run worker`; it needs
// NODE_OPTIONS=--expose-gc, else it does nothing.)
// (vite-node --config vitest.config.ts: the app's vite.config.ts loads the
// Remix plugin and only serves app/, which vite-node cannot run scripts under.)
//
// 0. History (--history N): the ledger first gets N orders synced earlier,
//    with full-size snapshots, as a shop's ledger holds after months of use.
//    The worker's queue must cost the same whatever the ledger's size.
// 1. Intake: posts orders/create events at a steady rate (--intake-rate per
//    second) through recordWebhookEvent and reports latency percentiles.
// 2. Worker: one worker syncs all those orders into a fake ERP that takes
//    --latency ms per call and allows --concurrency calls at once (shop limit
//    set to the same; --rate R also limits the shop to R requests a second).
//    The best possible rate is concurrency / latency (or R if lower);
//    reports orders/s, the ratio to that bound (target >= 0.9), the most
//    concurrent ERP requests seen and the most started in any one second
//    (neither may exceed its limit), and duplicates.
import { parseArgs } from "node:util";
import { createLogger } from "../../../app/logging/logger";
import { recordWebhookEvent } from "../../../app/sync/intake/intake";
import { createWorker } from "../../../app/sync/worker/worker";
import { startMemoryRelief } from "../../../app/lib/memory-relief";
import { createTestDatabase, testDatabaseProvider } from "../../../testkit/db";
import { FakeErp } from "../../../testkit/fake-erp";
import { makeOrder, webhookInput } from "../../../testkit/shopify-payloads";
import { TestConfigProvider } from "../../../testkit/test-config-provider";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "500" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "8" },
    "intake-rate": { type: "string", default: "200" },
    rate: { type: "string", default: "0" },
    history: { type: "string", default: "0" },
    "memory-relief": { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const N = Number(values.orders);
const LATENCY = Number(values.latency);
const CONCURRENCY = Number(values.concurrency);
const INTAKE_RATE = Number(values["intake-rate"]);
const RATE = Number(values.rate);
const HISTORY = Number(values.history);
const SHOP = "bench.myshopify.com";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Most ERP requests started within any 1-second window. */
function maxPerSecond(starts: number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= 1000) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

/** N orders already synced, each with the snapshot of a real sample order (about 9 KB). */
async function seedHistory(prisma: typeof db.prisma, count: number): Promise<void> {
  const sample = webhookInput(SHOP, "orders/create", makeOrder({ id: 3000000000000000000n, name: "#1" })).rawBody;
  if (testDatabaseProvider() === "postgresql") {
    await prisma.$executeRawUnsafe(
      `INSERT INTO "OrderSync" ("id", "shop", "orderId", "orderGid", "orderName", "externalId", "state", "operation", "snapshot",
                                "sourceUpdatedAt", "contentHash", "syncedHash", "erpDocumentId", "nextAttemptAt", "updatedAt")
       SELECT 'hist' || i, $1, (3000000000 + i)::text, 'gid://shopify/Order/' || (3000000000 + i), '#H' || i, 'shopify-' || (3000000000 + i),
              'synced', 'none', $2, now(), 'h', 'h', 'ERP-' || i, now() - interval '1 day', now()
       FROM generate_series(1, ${count}) AS i`,
      SHOP,
      sample,
    );
    await prisma.$executeRawUnsafe(`ANALYZE "OrderSync"`);
    return;
  }
  await prisma.$executeRawUnsafe(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
     INSERT INTO "OrderSync" ("id", "shop", "orderId", "orderGid", "orderName", "externalId", "state", "operation", "snapshot",
                              "sourceUpdatedAt", "contentHash", "syncedHash", "erpDocumentId", "nextAttemptAt", "updatedAt")
     SELECT 'hist' || i, ?, CAST(3000000000 + i AS TEXT), 'gid://shopify/Order/' || (3000000000 + i), '#H' || i, 'shopify-' || (3000000000 + i),
            'synced', 'none', ?, '2026-01-01T00:00:00.000+00:00', 'h', 'h', 'ERP-' || i, '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00'
     FROM n`,
    SHOP,
    sample,
  );
}

const db = await createTestDatabase();
try {
  if (HISTORY > 0) {
    const t = performance.now();
    await seedHistory(db.prisma, HISTORY);
    console.log(`history: ${HISTORY} synced orders already in the ledger (seeded in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
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
    limits: { maxConcurrency: CONCURRENCY, requestsPerWindow: RATE > 0 ? RATE : 1_000_000, windowMs: 1000 },
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
  // CPU time as well as wall time: on a shared machine the wall time says how busy the neighbours were, the process's
  // CPU time per order what the sync itself costs (the bound is reachable only while it stays below 1/bound per core).
  const cpuBefore = process.cpuUsage();
  let reliefs = 0;
  const exposedGc = (globalThis as { gc?: (options: { type: "major"; execution: "async"; flavor: "last-resort" }) => Promise<void> }).gc;
  const relief =
    values["memory-relief"] && exposedGc
      ? startMemoryRelief({
          gc: async (gcOptions) => {
            reliefs++;
            await exposedGc(gcOptions);
          },
        })
      : undefined;
  if (values["memory-relief"] && !exposedGc) console.log("memory relief off: run with NODE_OPTIONS=--expose-gc");
  worker.start();
  while (erp.documents.length < N) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await relief?.stop();
  await worker.stop();
  const synced = await db.prisma.orderSync.count({ where: { shop: SHOP, state: "synced" } });
  const rate = N / seconds;
  const concurrencyBound = CONCURRENCY / (LATENCY / 1000);
  const bound = RATE > 0 ? Math.min(concurrencyBound, RATE) : concurrencyBound;
  const boundText = RATE > 0 && RATE < concurrencyBound ? `rate limit ${RATE}/s` : `concurrency ${CONCURRENCY} / latency ${LATENCY} ms`;
  console.log(
    `worker: ${N} orders in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} orders/s; bound ${bound.toFixed(1)} orders/s ` +
      `(${boundText}); ratio ${(rate / bound).toFixed(3)} (target >= 0.9); CPU ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms per order`,
  );
  const busiestSecond = maxPerSecond(erp.calls.map((c) => c.startedAt));
  const duplicates = erp.documents.length - new Set(erp.documents.map((d) => d.externalId)).size;
  console.log(
    `max concurrent ERP requests observed: ${erp.maxInFlight} (limit ${CONCURRENCY}); limit violations: ${erp.concurrencyViolations}; ` +
      `most requests started in one second: ${busiestSecond}${RATE > 0 ? ` (limit ${RATE})` : ""}; ` +
      `ERP documents ${erp.documents.length}, ledger rows synced ${synced}, duplicates ${duplicates}` +
      (relief ? `; memory reliefs during the sync: ${reliefs}` : ""),
  );
  if (erp.maxInFlight > CONCURRENCY || erp.concurrencyViolations > 0 || (RATE > 0 && busiestSecond > RATE) || duplicates > 0) {
    process.exitCode = 1;
  }
} finally {
  await db.cleanup();
}
