// Resident memory of the production processes: the web app (server.mjs over
// the `npm run build` output) and one sync worker (build/worker/index.js),
// each its own child process, sampled every 200 ms from /proc/<pid>/status
// (VmRSS, VmHWM) and, through heap-reporter.mjs, process.memoryUsage().
// See docs/benchmarks.md ("Memory").
//
//   npm run bench:memory [-- --db sqlite|postgres --orders 10000 --seconds 10 --connections 32
//                            --intake-rate 80 --no-build --node-flags="--max-semi-space-size=1" --snapshot
//                            --worker-script worker:small --worker-node-flags="--max-old-space-size=160 ..."]
//
// Phases, one after the other, same two processes:
//  1. idle: both freshly started, a few settings requests, nothing to sync;
//  2. ingest: bench:ingest's load generator flat out for --seconds, one
//     10 MB orders/create webhook in the middle of it, until the worker has
//     synced everything the web acknowledged;
//  3. sync: --orders signed orders/create webhooks at --intake-rate per second,
//     synced by the worker into a real HTTP ERP (the Generic HTTPS JSON
//     connector's reference receiver, testkit/receiving-server.ts);
//  4. growth: resident size while the web acknowledged / the worker synced the
//     last tenth of those orders, against the same for the first 1,000 (or a
//     tenth of --orders when fewer), per process.
// Each figure is printed with its ratio to the target (web <= 200 MiB
// steady, <= 256 MiB peak; worker <= 150 MiB steady, <= 200 MiB peak;
// growth <= 1.1). Steady = median of the phase's samples; peak = the highest
// resident size in the phase (VmHWM catches a spike between two samples).
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { cpus } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { configure } from "../../../app/config.server";
import { saveConnectorSettings } from "../../../app/settings/shop-settings.server";
import { markShopInstalled } from "../../../app/shops/shop-lifecycle.server";
import { createTestDatabase } from "../../../testkit/db";
import { ReceivingServer } from "../../../testkit/receiving-server";
import { makeOrder, toRawBody } from "../../../testkit/shopify-payloads";
import { freePort, startChild, type Child } from "../../demo/processes";
import { createWebhookLoad, signedHeaders } from "../ingest/load";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "sqlite" },
    orders: { type: "string", default: "10000" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    "intake-rate": { type: "string", default: "80" },
    "no-build": { type: "boolean", default: false },
    // Node flags for both processes instead of those of `npm start` / `npm run worker` ("none": Node's defaults,
    // without the scripts' environment either),
    // to measure what a start flag buys.
    "node-flags": { type: "string", default: "" },
    // Node flags for the worker only, instead of its start script's (the web keeps its own), to measure a worker flag.
    "worker-node-flags": { type: "string", default: "" },
    // The package.json script the worker is started as: "worker", or "worker:small" (--optimize-for-size).
    "worker-script": { type: "string", default: "worker" },
    // Heap snapshots of both processes at the end of each phase, in .cache/bench-memory/ (open in Chrome DevTools).
    snapshot: { type: "boolean", default: false },
    // Size of the one large webhook sent during the flat-out ingest (0: none).
    "big-mib": { type: "string", default: "9.5" },
  },
  allowPositionals: true,
});
const PROVIDER = values.db === "postgres" || values.db === "postgresql" ? "postgresql" : "sqlite";
const ORDERS = Number(values.orders);
const EARLY = Math.min(1000, Math.floor(ORDERS / 10));
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const INTAKE_RATE = Number(values["intake-rate"]);

const MiB = 1024 * 1024;
const TARGETS = {
  web: { steady: 200 * MiB, peak: 256 * MiB },
  worker: { steady: 150 * MiB, peak: 200 * MiB },
  growth: 1.1,
};

const root = path.resolve(__dirname, "../../..");
const WORK = path.join(root, process.env.BENCH_MEMORY_DIR ?? ".cache/bench-memory");
const HOST = "127.0.0.1";
const SHOP = "bench-shop.myshopify.com";
const nodeBin = path.join(root, "node_modules/.bin/node");
const apiSecret = randomBytes(24).toString("hex");
const encryptionKey = randomBytes(32).toString("base64");
const erpSecret = randomBytes(24).toString("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reporter = path.join(__dirname, "heap-reporter.mjs");
// The Node flags `npm start` and `npm run worker` run with (package.json), so the bench measures what production runs.
const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const scriptOf = (script: string) => scripts[script === "worker" ? values["worker-script"] : script];
const startFlags = (script: string) => scriptOf(script).split(" ").filter((word) => word.startsWith("--"));
/** The environment assignments in front of `node` in those scripts (glibc malloc tuning). */
const startEnv = (script: string) =>
  values["node-flags"] === "none" ? {} : Object.fromEntries(scriptOf(script).split(" ").filter((word) => /^[A-Z_]+=/.test(word)).map((word) => word.split("=", 2)));
const flagsOf = (script: "start" | "worker") => {
  const given = script === "worker" && values["worker-node-flags"] ? values["worker-node-flags"] : values["node-flags"];
  return given === "none" ? [] : given ? given.split(" ").filter(Boolean) : startFlags(script);
};
const nodeFlags = (script: "start" | "worker") => [
  ...flagsOf(script),
  ...(values.snapshot ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${WORK}`] : []),
  "--import",
  reporter,
];

// --- sampling ---------------------------------------------------------------

interface Sample {
  at: number;
  rss: number;
  hwm: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

class Sampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  constructor(
    readonly name: "web" | "worker",
    private readonly pid: number,
    private readonly reportFile: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), 200);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): Sample | undefined {
    let status: string;
    try {
      status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    } catch {
      return undefined; // exited
    }
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    const heap = lastHeapReport(this.reportFile);
    const sample = { at: Date.now(), rss: kib("VmRSS"), hwm: kib("VmHWM"), ...heap };
    this.samples.push(sample);
    return sample;
  }

  between(from: number, to: number): Sample[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }
}

function lastHeapReport(file: string): { heapUsed: number; heapTotal: number; external: number } {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    /* not written yet */
  }
  const lines = text.trimEnd().split("\n");
  const [, , heapTotal, heapUsed, external] = (lines[lines.length - 1] ?? "").split(" ").map(Number);
  return { heapUsed: heapUsed || 0, heapTotal: heapTotal || 0, external: external || 0 };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : Number.NaN;
};

interface PhaseFigures {
  steadyRss: number;
  peakRss: number;
  steadyHeap: number;
  peakHeap: number;
}

function figures(sampler: Sampler, from: number, to: number): PhaseFigures {
  const samples = sampler.between(from, to);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const sampledPeak = Math.max(...samples.map((s) => s.rss));
  // VmHWM is the process's lifetime peak: if it rose during the phase, the phase reached it.
  const peakRss = first && last && last.hwm > first.hwm ? Math.max(sampledPeak, last.hwm) : sampledPeak;
  return {
    steadyRss: median(samples.map((s) => s.rss)),
    peakRss,
    steadyHeap: median(samples.map((s) => s.heapUsed)),
    peakHeap: Math.max(...samples.map((s) => s.heapUsed)),
  };
}

// --- the processes ------------------------------------------------------------

mkdirSync(WORK, { recursive: true });
if (!values["no-build"]) {
  console.log("Building the app for production (npm run build) ...");
  const result = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}
console.log(`Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${spawnSync(nodeBin, ["--version"], { encoding: "utf8" }).stdout.trim()}`);
console.log(`Database: ${PROVIDER}; start: web ${JSON.stringify(startEnv("start"))} ${nodeFlags("start").slice(0, -2).join(" ") || "no flags"}, worker ${JSON.stringify(startEnv("worker"))} ${nodeFlags("worker").slice(0, -2).join(" ") || "no flags"}; orders: ${ORDERS} at ${INTAKE_RATE}/s; flat-out ingest: ${CONNECTIONS} connections for ${SECONDS} s\n`);

// The bench process saves the shop's ERP settings through the app's own code (encrypted with the same key).
configure({ ...process.env, ENCRYPTION_KEY: encryptionKey, ALLOW_PRIVATE_ERP_URLS: "true" });
const erp = new ReceivingServer(erpSecret);
await erp.start();
// A production worker only talks https to an ERP: the receiver sits behind a
// TLS front with a certificate made for this run, which the worker trusts
// through NODE_EXTRA_CA_CERTS.
const erpTls = await startTlsFront(erp.url);
const db = await createTestDatabase(PROVIDER);
await db.prisma.session.create({
  data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, scope: "read_orders", accessToken: "shpat_bench", expires: new Date(Date.now() + 86_400_000) },
});
await markShopInstalled(db.prisma, SHOP);
const saved = await saveConnectorSettings(db.prisma, SHOP, {
  connectorType: "generic-http",
  values: { baseUrl: erpTls.url, authType: "none", signingSecret: erpSecret, maxConcurrency: "8", requestsPerMinute: "6000" },
});
if (!saved.ok) throw new Error(`ERP settings refused: ${JSON.stringify(saved)}`);

const port = await freePort(HOST);
const appUrl = `http://${HOST}:${port}`;
const common: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: db.url,
  ENCRYPTION_KEY: encryptionKey,
  ALLOW_PRIVATE_ERP_URLS: "true",
  SHOPIFY_API_KEY: "bench-api-key",
  SHOPIFY_API_SECRET: apiSecret,
  SHOPIFY_APP_URL: appUrl,
  SCOPES: "read_orders",
  LOG_LEVEL: "info",
  SYNC_WORKER_IN_PROCESS: "false",
};
const children: Child[] = [];
let exitCode = 0;
try {
  const web = await startChild({
    name: "web",
    command: nodeBin,
    args: [...nodeFlags("start"), path.join(root, "server.mjs")],
    cwd: root,
    env: { ...common, ...startEnv("start"), HOST, PORT: String(port), BUILD_DIR: path.join(root, "build"), MEMORY_REPORT_FILE: path.join(WORK, "web.heap") },
    logFile: path.join(WORK, "web.log"),
    readyWhen: /web app listening/,
  });
  children.push(web);
  const worker = await startChild({
    name: "worker",
    command: nodeBin,
    args: [...nodeFlags("worker"), path.join(root, "build/worker/index.js")],
    cwd: root,
    env: { ...common, ...startEnv("worker"), NODE_EXTRA_CA_CERTS: erpTls.certFile, WORKER_ID: "bench-worker", WORKER_POLL_MS: "250", MEMORY_REPORT_FILE: path.join(WORK, "worker.heap") },
    logFile: path.join(WORK, "worker.log"),
    readyWhen: /sync worker starting/,
  });
  children.push(worker);
  const samplers = [
    new Sampler("web", web.process.pid!, path.join(WORK, "web.heap")),
    new Sampler("worker", worker.process.pid!, path.join(WORK, "worker.heap")),
  ] as const;
  for (const s of samplers) s.start();
  const phases: { name: string; from: number; to: number }[] = [];
  const endPhase = async (name: string, from: number) => {
    phases.push({ name, from, to: Date.now() });
    if (!values.snapshot) return;
    for (const child of [web, worker]) child.process.kill("SIGUSR2");
    await sleep(5_000); // writing a snapshot stops the process for a moment; its samples are not the phase's
  };
  const synced = () => db.prisma.orderSync.count({ where: { shop: SHOP, state: "synced" } });
  const pool = new Pool(appUrl, { connections: 64 });

  // 1. idle: what a fresh pair holds, a few page requests in.
  let from = Date.now();
  for (const page of ["/healthz", "/app", "/app/settings", "/app/orders"]) {
    const res = await pool.request({ method: "GET", path: page });
    await res.body.dump();
  }
  await sleep(10_000);
  await endPhase("idle", from);

  // 2. flat-out ingest plus one 10 MB webhook.
  from = Date.now();
  const load = createWebhookLoad({ shop: SHOP, apiSecret, seconds: SECONDS, duplicateShare: 0.1 });
  const bigMiB = Number(values["big-mib"]);
  const big = bigMiB > 0 ? bigOrderBody(bigMiB * MiB) : "";
  const bigStatus = (async () => {
    await sleep((SECONDS * 1000) / 2);
    if (!big) return "not sent";
    const res = await pool.request({
      method: "POST",
      path: "/webhooks/orders/create",
      headers: signedHeaders(SHOP, apiSecret, "orders/create", big, "big-1"),
      body: big,
    });
    await res.body.dump();
    return res.statusCode;
  })();
  const flat = await load.flatOut(appUrl, "m", CONNECTIONS);
  console.log(
    `ingest flat out: ${flat.requests} webhooks in ${SECONDS} s (${flat.throughput.toFixed(0)}/s), non-2xx ${flat.non2xx}, errors ${flat.errors}; ` +
      `10 MB webhook (${(Buffer.byteLength(big) / MiB).toFixed(1)} MiB): HTTP ${await bigStatus}`,
  );
  const expected = (await db.prisma.orderSync.count({ where: { shop: SHOP } })) as number;
  await waitFor(async () => (await synced()) >= expected, 600_000, "the worker to sync the flat-out orders");
  await endPhase("ingest", from);
  erp.requests.length = 0;

  // 3. sync over ORDERS orders at a steady intake rate; 4. growth.
  from = Date.now();
  const syncedBefore = await synced();
  const sent = { acknowledged: 0 };
  const markers = { web: [] as { n: number; at: number }[], worker: [] as { n: number; at: number }[] };
  const watcher = setInterval(() => {
    void synced().then((n) => markers.worker.push({ n: n - syncedBefore, at: Date.now() }));
    markers.web.push({ n: sent.acknowledged, at: Date.now() });
    erp.requests.length = 0; // the receiver's request log is the bench's memory, not the app's
  }, 250);
  await pacedOrders(pool, ORDERS, INTAKE_RATE, sent);
  await waitFor(async () => (await synced()) - syncedBefore >= ORDERS, 1_800_000, `the worker to sync ${ORDERS} orders`);
  clearInterval(watcher);
  markers.worker.push({ n: ORDERS, at: Date.now() });
  await endPhase(`sync ${ORDERS}`, from);
  const syncSeconds = (Date.now() - from) / 1000;
  console.log(`sync: ${ORDERS} orders acknowledged ${sent.acknowledged}, synced in ${syncSeconds.toFixed(0)} s`);
  await pool.close();
  for (const s of samplers) s.stop();
  for (const child of [web, worker]) console.log(`${child.name}: largest resident mappings now: ${largestMappings(child.process.pid!)}`);

  // --- report ---
  const mib = (b: number) => (b / MiB).toFixed(0);
  const ratio = (value: number, target: number) => `${(value / target).toFixed(2)}`;
  console.log("\n| phase | process | steady RSS (ratio) | peak RSS (ratio) | steady heap | peak heap |");
  console.log("|---|---|---|---|---|---|");
  const over: string[] = [];
  for (const phase of phases) {
    for (const sampler of samplers) {
      const f = figures(sampler, phase.from, phase.to);
      const target = TARGETS[sampler.name];
      console.log(
        `| ${phase.name} | ${sampler.name} | ${mib(f.steadyRss)} MiB (${ratio(f.steadyRss, target.steady)}) | ${mib(f.peakRss)} MiB (${ratio(f.peakRss, target.peak)}) | ` +
          `${mib(f.steadyHeap)} MiB | ${mib(f.peakHeap)} MiB |`,
      );
      if (phase.name !== "ingest" && f.steadyRss > target.steady) over.push(`${sampler.name} steady in ${phase.name}`);
      if (f.peakRss > target.peak) over.push(`${sampler.name} peak in ${phase.name}`);
    }
  }
  console.log(`\ntargets: web <= 200 MiB steady, <= 256 MiB peak; worker <= 150 MiB steady, <= 200 MiB peak (ratios above are figure / target)`);
  for (const sampler of samplers) {
    const window = (upTo: number) => {
      const marks = markers[sampler.name];
      const start = marks.find((m) => m.n >= upTo - upTo / 10)?.at ?? from;
      const end = marks.find((m) => m.n >= upTo)?.at ?? Date.now();
      return median(sampler.between(start, Math.max(end, start + 1000)).map((s) => s.rss));
    };
    const early = window(EARLY);
    const late = window(ORDERS);
    const growth = late / early;
    console.log(
      `growth ${sampler.name}: ${mib(late)} MiB around order ${ORDERS} / ${mib(early)} MiB around order ${EARLY} = ${growth.toFixed(2)} ` +
        `(ratio to target ${ratio(growth, TARGETS.growth)})`,
    );
    if (growth > TARGETS.growth) over.push(`${sampler.name} growth`);
  }
  console.log(over.length ? `over target: ${over.join(", ")}` : "every figure within its target");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  for (const child of children.reverse()) await child.stop();
  erpTls.server.closeAllConnections();
  erpTls.server.close();
  await erp.stop();
  await db.cleanup();
}
process.exit(exitCode);

// --- helpers --------------------------------------------------------------------

/** The few mappings holding most of a process's resident memory (/proc/<pid>/smaps), to tell V8's heap from native memory. */
function largestMappings(pid: number): string {
  const maps: { name: string; rss: number }[] = [];
  let current: { name: string; rss: number } | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { name: head[1] || "[anonymous]", rss: 0 };
      maps.push(current);
    } else if (current && line.startsWith("Rss:")) current.rss = Number(/(\d+)/.exec(line)![1]) * 1024;
  }
  const byName = new Map<string, { rss: number; count: number }>();
  for (const m of maps) {
    const entry = byName.get(m.name) ?? { rss: 0, count: 0 };
    entry.rss += m.rss;
    entry.count++;
    byName.set(m.name, entry);
  }
  const largestAnonymous = maps.filter((m) => m.name === "[anonymous]").sort((a, b) => b.rss - a.rss).slice(0, 5);
  return (
    [...byName.entries()].sort((a, b) => b[1].rss - a[1].rss).slice(0, 6).map(([name, e]) => `${path.basename(name)} ${(e.rss / MiB).toFixed(0)} MiB (${e.count})`).join(", ") +
    `; largest anonymous: ${largestAnonymous.map((m) => (m.rss / MiB).toFixed(0)).join(", ")} MiB`
  );
}

/** An https front for `target` on 127.0.0.1 with a self-signed certificate (openssl) made now. */
async function startTlsFront(target: string): Promise<{ url: string; certFile: string; server: https.Server }> {
  const keyFile = path.join(WORK, "erp-key.pem");
  const certFile = path.join(WORK, "erp-cert.pem");
  const made = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
    { encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(`openssl could not make the bench ERP's certificate: ${made.stderr}`);
  const upstream = new URL(target);
  const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { url: `https://${HOST}:${(server.address() as AddressInfo).port}`, certFile, server };
}

async function waitFor(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** An orders/create body of about `bytes`: Shopify's sample order with as many lines as it takes. */
function bigOrderBody(bytes: number): string {
  const one = toRawBody(makeOrder({ id: 5000000000000000000n, lines: [{ title: "Line", sku: "SKU-1", price: "1.00" }] }));
  const two = toRawBody(makeOrder({ id: 5000000000000000000n, lines: [1, 2].map((i) => ({ title: "Line", sku: `SKU-${i}`, price: "1.00" })) }));
  const perLine = Buffer.byteLength(two) - Buffer.byteLength(one);
  const count = Math.floor((bytes - Buffer.byteLength(one)) / perLine);
  const lines = Array.from({ length: count }, (_, i) => ({ title: `Line ${i}`, sku: `SKU-${i % 50}`, price: "1.00" }));
  return toRawBody(makeOrder({ id: 5000000000000000000n, name: "#BIG", lines }));
}

/** `count` new orders as signed orders/create webhooks, one every 1/rate s (open loop). */
async function pacedOrders(pool: Pool, count: number, rate: number, sent: { acknowledged: number }): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let i = 0; i < count; ) {
    const now = performance.now();
    for (; i < count && started + (i * 1000) / rate <= now; i++) {
      const id = 6000000000000000000n + BigInt(i);
      const body = toRawBody(makeOrder({ id, name: `#S${i}` }));
      const p = pool
        .request({ method: "POST", path: "/webhooks/orders/create", headers: signedHeaders(SHOP, apiSecret, "orders/create", body, `s-${i}`), body })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode === 200) sent.acknowledged++;
          else throw new Error(`order ${i}: HTTP ${res.statusCode}`);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
}
