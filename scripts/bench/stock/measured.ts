// The measured part of bench:stock: one full stock comparison (the ERP's
// figures, Shopify's levels, the writes) in a process of its own, started by
// run.ts with the Node flags and environment of `npm run worker` (where stock
// runs in production), so its peak RSS is what the worker's would be. Time is
// virtual: the client and the fake Admin API (another process) share this
// process's clock, sent with each request. Prints one RESULT line of JSON.
//
//   BENCH_STOCK={"port","shop","variants","changedPercent","locations","paged"} (JSON, from run.ts)
import { createLogger } from "../../../app/logging/logger";
import { ShopifyAdminApi } from "../../../app/shopify-admin/admin-client";
import type { ErpStockFigure } from "../../../app/stock/plan";
import { syncStock } from "../../../app/stock/sync-stock";
import { createVirtualClock } from "../../../testkit/virtual-clock";
import { catalogue } from "./catalogue";

const { port, shop, variants, changedPercent, locations, paged } = JSON.parse(process.env.BENCH_STOCK ?? "{}") as {
  port: string;
  shop: string;
  variants: number;
  changedPercent: number;
  locations: string[];
  paged: boolean;
};

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
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const sampler = setInterval(sample, 20);

// The ERP's answer, as the worker holds it during a full comparison.
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

const wallStart = performance.now();
const virtualStart = clock.now();
const result = await syncStock({
  client: admin,
  runId: "bench",
  erpLocationIds: ["WH1", "WH2"],
  figures,
  complete: true,
  links: locations.map((id: string, k: number) => ({ shopifyLocationId: id, erpLocationId: `WH${k + 1}` })),
  skuMappings: [],
  skuFallback: true,
  unsyncedSold: async () => [],
  bulk: { fetch: toFake, clock, ...(paged ? { fromVariants: Infinity } : {}) },
});
clearInterval(sampler);
sample();
if (result.status !== "done") throw new Error(`run did not finish: ${result.message}`);
process.stdout.write(
  `RESULT ${JSON.stringify({
    expectedChanges,
    written: result.written.length,
    differences: result.differences,
    problems: result.problems.length,
    conflicts: result.conflicts.length,
    elapsedS: (clock.now() - virtualStart) / 1000,
    wallS: (performance.now() - wallStart) / 1000,
    baselineRss,
    peakRss,
    peakHeap,
    execArgv: process.execArgv,
  })}\n`,
);
