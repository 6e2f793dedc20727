// Benchmark: one full stock comparison of V variants × 2 locations against the
// fake Admin API (validated against the 2026-10 schema, cost-based leaky
// bucket), with C % of the ERP's figures different from Shopify's. Time is
// virtual (the client and the fake share a clock that moves when the client
// waits), so hours of rate-limited traffic take a minute and the time figure
// is exactly what pacing cost; memory is the real process's.
//
//   npm run bench:stock -- --variants 50000 --changed 2 --rate 100 --bucket 1000 [--paged]
//
// Shopify's levels are read with a bulk operation (from 5,000 variants, as the
// app does); --paged reads them page by page instead, which is what shows the
// client's pacing against the cost bound.
//
// Targets (printed as ratios, exit code 1 when missed):
//   mutation calls = ceil(changes / 250);
//   time / bound <= 1.1, where bound = (points spent - initial bucket) / restore rate;
//   0 THROTTLED answers; peak RSS <= 300 MB.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createLogger } from "../../../app/logging/logger";
import { ShopifyAdminApi } from "../../../app/shopify-admin/admin-client";
import type { ErpStockFigure } from "../../../app/stock/plan";
import { syncStock } from "../../../app/stock/sync-stock";
import { createVirtualClock } from "../../../testkit/virtual-clock";
import { catalogue } from "./catalogue";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

const variants = flag("variants", 50_000);
const changedPercent = flag("changed", 2);
const rate = flag("rate", 100);
const bucket = flag("bucket", 1000);
const RSS_BOUND_MB = 300;
/** --paged: read Shopify's levels page by page even for this catalogue (shows the pacing against the cost bound). */
const paged = process.argv.includes("--paged");

// Shopify (the fake) runs in its own process: the RSS measured here is the app's.
const child = spawn(process.execPath, ["node_modules/vite-node/vite-node.mjs", "--config", "vitest.config.ts", "scripts/bench/stock/fake-shopify-process.ts", "--", ...[variants, changedPercent, rate, bucket].map(String)], {
  stdio: ["ignore", "pipe", "inherit"],
});
const [port, shop] = await new Promise<[string, string]>((resolve, reject) => {
  child.once("exit", (code) => reject(new Error(`fake Shopify exited (${code})`)));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const m = /^LISTENING (\d+) (\S+)/.exec(line);
    if (m) resolve([m[1], m[2]]);
  });
});
const stats = async () => (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as { actualCostTotal: number; throttled: number; requests: number; mutationCalls: number; bulkOperations: number; invalidQueries: number; locations: string[] };
const { locations } = await stats();

const clock = createVirtualClock();
const toFake: typeof fetch = (input, init) => {
  const url = new URL(new Request(input, init).url);
  const headers = new Headers(init?.headers);
  headers.set("x-bench-virtual-now", String(clock.now()));
  return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, { ...init, headers });
};

const baselineRss = process.memoryUsage().rss;
let peakRss = baselineRss;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 50);
const figures: ErpStockFigure[] = [];
let expectedChanges = 0;
for (const item of catalogue(variants, changedPercent)) {
  for (let k = 0; k < 2; k++) {
    if (item.erp[k] !== item.shopify[k]) expectedChanges++;
    figures.push({ itemNumber: item.sku, erpLocationId: `WH${k + 1}`, quantity: item.erp[k] });
  }
}

const admin = new ShopifyAdminApi({
  getAccessToken: async () => "shpat_test_token",
  refreshAccessToken: async () => "shpat_test_token",
  fetch: toFake,
  clock,
  logger: createLogger({ level: "silent" }),
}).forShop(shop);

console.log(
  `Stock comparison: ${variants.toLocaleString("en-US")} variants × 2 locations, ${changedPercent} % changed (${expectedChanges} changes), ${rate} points/s, bucket ${bucket}, levels read ${paged ? "page by page" : "by bulk operation"}…`,
);
const wallStart = performance.now();
const virtualStart = clock.now();
const result = await syncStock({
  client: admin,
  runId: "bench",
  erpLocationIds: ["WH1", "WH2"],
  figures,
  complete: true,
  links: locations.map((id, k) => ({ shopifyLocationId: id, erpLocationId: `WH${k + 1}` })),
  skuMappings: [],
  skuFallback: true,
  unsyncedSold: async () => [],
  bulk: { fetch: toFake, clock, ...(paged ? { fromVariants: Infinity } : {}) },
});
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const wallS = (performance.now() - wallStart) / 1000;
const elapsedS = (clock.now() - virtualStart) / 1000;
const fake = await stats();
child.kill();
if (result.status !== "done") throw new Error(`run did not finish: ${result.message}`);

const spent = fake.actualCostTotal;
const boundS = Math.max(0, spent - bucket) / rate;
const timeRatio = boundS > 0 ? elapsedS / boundS : NaN;
const expectedCalls = Math.ceil(expectedChanges / 250);
const mutationCalls = fake.mutationCalls;
const rssMb = peakRss / 1024 / 1024;
const reads = fake.requests - mutationCalls;

console.log(`written: ${result.written.length} of ${result.differences} differences; problems: ${result.problems.length}; conflicts: ${result.conflicts.length}`);
console.log(`requests: ${fake.requests} (${reads} reads, ${mutationCalls} inventorySetQuantities); bulk operations: ${fake.bulkOperations}; cost points spent: ${spent}`);
console.log(`mutation calls: ${mutationCalls}; ceil(changes / 250) = ${expectedCalls}; ratio: ${(mutationCalls / expectedCalls).toFixed(3)} (target 1.000)`);
console.log(`time (virtual): ${elapsedS.toFixed(1)} s; bound at ${rate} points/s: ${boundS.toFixed(1)} s; ratio: ${Number.isNaN(timeRatio) ? "n/a (every point fit in the initial bucket: no wait was needed)" : timeRatio.toFixed(3)} (target <= 1.1)`);
console.log(`THROTTLED answers: ${fake.throttled} (target 0)`);
console.log(`peak RSS of the app's process (fake Shopify runs in another): ${rssMb.toFixed(0)} MB; bound ${RSS_BOUND_MB} MB; ratio: ${(rssMb / RSS_BOUND_MB).toFixed(3)} (target <= 1)`);
console.log(`peak JS heap in use: ${(peakHeap / 1024 / 1024).toFixed(0)} MB`);
console.log(`RSS before the run (Node, vite-node, the app's modules): ${(baselineRss / 1024 / 1024).toFixed(0)} MB`);
console.log(`wall time: ${wallS.toFixed(1)} s`);
const ok =
  result.written.length === expectedChanges &&
  mutationCalls === expectedCalls &&
  fake.throttled === 0 &&
  (Number.isNaN(timeRatio) || timeRatio <= 1.1) &&
  rssMb <= RSS_BOUND_MB &&
  fake.invalidQueries === 0;
if (!ok) process.exitCode = 1;
