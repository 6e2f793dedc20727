// Benchmark: one full stock comparison of V variants × 2 locations against the
// fake Admin API (validated against the 2026-10 schema, cost-based leaky
// bucket), with C % of the ERP's figures different from Shopify's. Time is
// virtual (the client and the fake share a clock that moves when the client
// waits), so hours of rate-limited traffic take a minute and the time figure
// is exactly what pacing cost; memory is real.
//
//   npm run bench:stock -- --variants 50000 --changed 2 --rate 100 --bucket 1000 [--paged] [--node-flags=none]
//
// Three processes: this one (orchestration only), the fake Shopify
// (fake-shopify-process.ts) and the measured run (measured.ts), started with
// the Node flags and environment of `npm run worker` read from package.json,
// because the worker is where stock runs in production (--node-flags=none:
// Node's defaults, to see what the flags buy).
//
// Shopify's levels are read with a bulk operation (from 5,000 variants, as the
// app does); --paged reads them page by page instead, which is what shows the
// client's pacing against the cost bound.
//
// Targets (printed as ratios, exit code 1 when missed):
//   mutation calls = ceil(changes / 250);
//   time / bound <= 1.1, where bound = (points spent - initial bucket) / restore rate;
//   0 THROTTLED answers; peak RSS of the measured process <= 300 MB.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

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
const defaultFlags = process.argv.includes("--node-flags=none");

// The Node flags and environment `npm run worker` starts the worker with (as scripts/bench/memory does).
const root = path.resolve(__dirname, "../../..");
const workerScript = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.worker;
const workerFlags = defaultFlags ? [] : workerScript.split(" ").filter((word) => word.startsWith("--"));
const workerEnv: Record<string, string> = defaultFlags
  ? {}
  : Object.fromEntries(workerScript.split(" ").filter((word) => /^[A-Z_]+=/.test(word)).map((word) => word.split("=", 2) as [string, string]));
const viteNode = ["node_modules/vite-node/vite-node.mjs", "--config", "vitest.config.ts"];

/** Start a child and resolve with the first stdout line matching `pattern`. */
function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, pattern: RegExp) {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  const line = new Promise<RegExpExecArray>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before answering`)));
    createInterface({ input: child.stdout! }).on("line", (text) => {
      const m = pattern.exec(text);
      if (m) resolve(m);
    });
  });
  return { child, line };
}

// Shopify (the fake) runs in its own process: the RSS measured is the app's.
const fakeShopify = startChild("fake Shopify", [...viteNode, "scripts/bench/stock/fake-shopify-process.ts", "--", ...[variants, changedPercent, rate, bucket].map(String)], process.env, /^LISTENING (\d+) (\S+)/);
const [, port, shop] = await fakeShopify.line;
const stats = async () => (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as { actualCostTotal: number; throttled: number; requests: number; mutationCalls: number; bulkOperations: number; invalidQueries: number; locations: string[] };
const { locations } = await stats();

console.log(
  `Stock comparison: ${variants.toLocaleString("en-US")} variants × 2 locations, ${changedPercent} % changed, ${rate} points/s, bucket ${bucket}, levels read ${paged ? "page by page" : "by bulk operation"}…`,
);
console.log(`measured process: node ${[...Object.entries(workerEnv).map(([k, v]) => `${k}=${v}`), ...workerFlags].join(" ") || "(Node's defaults)"} (${defaultFlags ? "--node-flags=none" : "the flags of `npm run worker`"})`);
const measured = startChild(
  "the measured run",
  [...workerFlags, ...viteNode, "scripts/bench/stock/measured.ts"],
  { ...process.env, ...workerEnv, BENCH_STOCK: JSON.stringify({ port, shop, variants, changedPercent, locations, paged }) },
  /^RESULT (.*)$/,
);
let run: {
  expectedChanges: number;
  written: number;
  differences: number;
  problems: number;
  conflicts: number;
  elapsedS: number;
  wallS: number;
  baselineRss: number;
  peakRss: number;
  peakHeap: number;
};
let fake: Awaited<ReturnType<typeof stats>>;
try {
  run = JSON.parse((await measured.line)[1]);
  fake = await stats();
} finally {
  measured.child.kill();
  fakeShopify.child.kill();
}

const spent = fake.actualCostTotal;
const boundS = Math.max(0, spent - bucket) / rate;
const timeRatio = boundS > 0 ? run.elapsedS / boundS : NaN;
const expectedCalls = Math.ceil(run.expectedChanges / 250);
const mutationCalls = fake.mutationCalls;
const MB = 1024 * 1024;
const rssMb = run.peakRss / MB;
const reads = fake.requests - mutationCalls;

console.log(`written: ${run.written} of ${run.differences} differences (${run.expectedChanges} changes in the catalogue); problems: ${run.problems}; conflicts: ${run.conflicts}`);
console.log(`requests: ${fake.requests} (${reads} reads, ${mutationCalls} inventorySetQuantities); bulk operations: ${fake.bulkOperations}; cost points spent: ${spent}`);
console.log(`mutation calls: ${mutationCalls}; ceil(changes / 250) = ${expectedCalls}; ratio: ${(mutationCalls / expectedCalls).toFixed(3)} (target 1.000)`);
console.log(`time (virtual): ${run.elapsedS.toFixed(1)} s; bound at ${rate} points/s: ${boundS.toFixed(1)} s; ratio: ${Number.isNaN(timeRatio) ? "n/a (every point fit in the initial bucket: no wait was needed)" : timeRatio.toFixed(3)} (target <= 1.1)`);
console.log(`THROTTLED answers: ${fake.throttled} (target 0)`);
console.log(`peak RSS of the measured process (fake Shopify runs in another): ${rssMb.toFixed(0)} MB; bound ${RSS_BOUND_MB} MB; ratio: ${(rssMb / RSS_BOUND_MB).toFixed(3)} (target <= 1)`);
console.log(`  of which before the run (Node, vite-node, the app's modules): ${(run.baselineRss / MB).toFixed(0)} MB; added by the run: ${((run.peakRss - run.baselineRss) / MB).toFixed(0)} MB`);
console.log(`peak JS heap in use: ${(run.peakHeap / MB).toFixed(0)} MB`);
console.log(`wall time of the run: ${run.wallS.toFixed(1)} s`);
const ok =
  run.written === run.expectedChanges &&
  mutationCalls === expectedCalls &&
  fake.throttled === 0 &&
  (Number.isNaN(timeRatio) || timeRatio <= 1.1) &&
  rssMb <= RSS_BOUND_MB &&
  fake.invalidQueries === 0;
if (!ok) process.exitCode = 1;
