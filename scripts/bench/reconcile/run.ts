// Benchmark: reconcile N orders against the fake Admin API at a plan's
// restore rate, on the wall clock, and compare the time taken with the
// minimum the cost bound allows: (points spent - initial bucket) / restore rate.
//
//   npx vite-node scripts/bench/reconcile/run.ts -- --orders 2000 --rate 100 --bucket 1000 --missing 10
//
// Targets: ratio <= 1.1 and 0 THROTTLED answers.
import type { PrismaClient } from "@prisma/client";
import { createLogger } from "../../../app/logging/logger";
import { MemoryReconciliationStore } from "../../../testkit/memory-reconciliation-store";
import { reconcileShop } from "../../../app/reconciliation/reconcile";
import { ShopifyAdminApi } from "../../../app/shopify-admin/admin-client";
import { systemClock } from "../../../app/lib/clock";
import { FakeIntake } from "../../../testkit/fake-intake";
import { FakeAdminApi } from "../../../testkit/fake-admin-api";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

const orders = flag("orders", 2000);
const rate = flag("rate", 100);
const bucket = flag("bucket", 1000);
/** Orders the ledger lacks (missed webhooks): each is read in full. */
const missing = flag("missing", 10);

const fake = new FakeAdminApi({ restoreRate: rate, maximumAvailable: bucket, clock: systemClock });
const now = Date.now();
const seeded = fake.seed({ count: orders, startAt: new Date(now - 20 * 3600_000), spacingMs: Math.floor((20 * 3600_000) / orders) });
const intake = new FakeIntake();
const skipEvery = missing > 0 ? Math.floor(orders / missing) : Infinity;
seeded.forEach((o, i) => {
  if (missing > 0 && i % skipEvery === 0 && i / skipEvery < missing) return;
  intake.rows.set(o.legacyResourceId, intake.entry(o.legacyResourceId, o.name, new Date(o.updatedAt)));
});

const admin = new ShopifyAdminApi({
  getAccessToken: async () => fake.accessToken,
  refreshAccessToken: async () => fake.accessToken,
  fetch: fake.fetch,
  logger: createLogger({ level: "silent" }),
}).forShop(fake.shop);

console.log(`Reconciling ${orders} orders (${missing} missing from the ledger) at ${rate} points/s, bucket ${bucket}…`);
const started = performance.now();
const run = await reconcileShop(
  {
    prisma: {} as PrismaClient,
    admin,
    ledger: intake,
    store: new MemoryReconciliationStore(),
    recordOrderSnapshot: intake.record,
    settings: { initialLookbackMs: 24 * 3600_000 },
  },
  "manual",
);
const elapsedS = (performance.now() - started) / 1000;
const spent = fake.actualCostTotal;
const minimumS = Math.max(0, spent - bucket) / rate;
const ratio = minimumS > 0 ? elapsedS / minimumS : NaN;

console.log(`run: ${run.status}, seen ${run.ordersSeen}, missing ${run.missingFound}, stale ${run.staleFound}, enqueued ${run.enqueued}`);
console.log(`requests: ${fake.requests.length}, cost points spent: ${spent}`);
console.log(
  `elapsed: ${elapsedS.toFixed(2)} s; theoretical minimum: ${minimumS.toFixed(2)} s; ratio: ${
    minimumS > 0 ? ratio.toFixed(3) : "n/a (all points fit in the initial bucket)"
  } (target <= 1.1)`,
);
console.log(`THROTTLED answers: ${fake.throttledCount} (target 0)`);
if (run.status !== "completed" || run.enqueued !== missing || fake.throttledCount > 0 || (minimumS > 0 && !(ratio <= 1.1))) process.exitCode = 1;
