// Webhook intake under load: signed orders/create webhooks against the app
// built and served like production (remix-serve, one process, SQLite file),
// next to a bare node:http + HMAC + SQLite-insert baseline, same machine and
// same load, one after the other. See docs/benchmarks.md.
//
//   npm run bench:ingest [-- --rate 500 --seconds 10 --connections 32 --duplicates 0.1 --no-build --only app|baseline --profile]
//
// Two runs per server:
//  1. fixed offered rate (--rate req/s for --seconds): ack latency p50/p99
//     (autocannon corrects for coordinated omission) and whether it kept up;
//  2. as fast as it goes (--connections in flight for --seconds): throughput.
// Event ids are unique per request except a --duplicates share that repeats
// an earlier event (same id, same body), as Shopify's redeliveries do.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { Pool } from "undici";
import { createPrismaClient } from "../../../app/db/client";
import { markShopInstalled } from "../../../app/shops/shop-lifecycle.server";
import { buildApp, serveBuildArgs } from "../../demo/build-app";
import { freePort, startChild, type Child } from "../../demo/processes";
import { freshDatabase } from "../../demo/seed";
import { createWebhookLoad, type RunResult } from "./load";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    duplicates: { type: "string", default: "0.1" },
    "no-build": { type: "boolean", default: false },
    only: { type: "string" },
    // Writes a V8 CPU profile of the app process to .cache/bench-ingest/profile/ (open it in Chrome DevTools).
    profile: { type: "boolean", default: false },
    // Where both servers keep their SQLite file. Default: on disk, as deployed. A tmpfs (/dev/shm) takes the
    // disk out and compares CPU cost alone.
    "db-dir": { type: "string" },
  },
  allowPositionals: true,
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const DUPLICATE_SHARE = Number(values.duplicates);

const root = path.resolve(__dirname, "../../..");
const HOST = "127.0.0.1";
const SHOP = "bench-shop.myshopify.com";
const WORK = path.join(root, ".cache/bench-ingest");
const BUILD_DIR = path.join(WORK, "build");
const apiSecret = randomBytes(24).toString("hex");
const nodeBin = path.join(root, "node_modules/.bin/node");

const { eventSource, flatOut } = createWebhookLoad({ shop: SHOP, apiSecret, seconds: SECONDS, duplicateShare: DUPLICATE_SHARE });

/** Event ids the server acknowledged with a 2xx in the paced runs: each must be in its database afterwards. */
const acknowledged = new Set<string>();

/**
 * A steady offered rate: one request every 1/rate s, open loop (sent on
 * schedule whether or not earlier ones were answered), latency counted from
 * the moment each request was DUE, so a stalled server cannot hide its queue
 * (coordinated omission). autocannon's own rate option is not used here: it
 * lets each connection send its whole per-second quota at the start of every
 * second, which measures bursts of `rate` requests, not a rate (measured: a
 * bare node:http server showed a 14 ms median at "500/s").
 */
async function paced(url: string, runTag: string, rate: number): Promise<RunResult> {
  const events = eventSource(runTag);
  const pool = new Pool(url, { connections: 128, pipelining: 1 });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const total = Math.round(rate * SECONDS);
  const started = performance.now();
  const send = async (dueAt: number) => {
    const event = events.next();
    try {
      const response = await pool.request({ method: "POST", path: "/webhooks/orders/create", headers: event.headers, body: event.body });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        latencies.push(performance.now() - dueAt);
        acknowledged.add(event.headers["x-shopify-event-id"]);
      } else non2xx++;
    } catch {
      errors++;
    }
  };
  for (let i = 0; i < total; ) {
    const now = performance.now();
    // Send everything due by now (timers fire late; catch up rather than drift).
    for (; i < total && started + (i * 1000) / rate <= now; i++) inFlight.push(send(started + (i * 1000) / rate));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN);
  return {
    requests: total,
    throughput: total / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    non2xx,
    errors,
    duplicatesSent: events.duplicatesSent,
  };
}

async function startApp(dbFile: string): Promise<Child> {
  const databaseUrl = await freshDatabase(dbFile);
  const prisma = createPrismaClient(databaseUrl);
  await prisma.session.create({
    data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, scope: "read_orders", accessToken: "shpat_bench", expires: new Date(Date.now() + 86_400_000) },
  });
  await markShopInstalled(prisma, SHOP);
  await prisma.$disconnect();
  const port = await freePort(HOST);
  return startChild({
    name: "app",
    command: nodeBin,
    args: serveBuildArgs(BUILD_DIR),
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench-api-key",
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: `http://${HOST}:${port}`,
      SCOPES: "read_orders",
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
      ...(values.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(WORK, "profile")}` } : {}),
    },
    logFile: path.join(WORK, "app.log"),
    readyWhen: /\[serve-build\] http/,
  }).then((child) => Object.assign(child, { url: `http://${HOST}:${port}` }));
}

async function startBaseline(dbFile: string): Promise<Child> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const port = await freePort(HOST);
  return startChild({
    name: "baseline",
    command: nodeBin,
    args: [path.join(__dirname, "baseline-server.mjs")],
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST, DATABASE_FILE: dbFile, SHOPIFY_API_SECRET: apiSecret },
    logFile: path.join(WORK, "baseline.log"),
    readyWhen: /baseline listening/,
  }).then((child) => Object.assign(child, { url: `http://${HOST}:${port}` }));
}

function row(name: string, fixed: RunResult, max: RunResult): string {
  const kept = fixed.throughput >= RATE * 0.95 ? "yes" : "NO";
  return (
    `| ${name} | ${fixed.throughput.toFixed(0)}/s (kept up: ${kept}) | ${fixed.p50} ms | ${fixed.p99} ms | ${max.throughput.toFixed(0)}/s | ` +
    `${max.p50} ms / ${max.p99} ms | ${fixed.non2xx + max.non2xx} / ${fixed.errors + max.errors} |`
  );
}

mkdirSync(WORK, { recursive: true });
if (!values["no-build"]) {
  console.log("Building the app for production ...");
  buildApp(BUILD_DIR);
}
console.log(`Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}`);
console.log(`Load: ${RATE} req/s for ${SECONDS} s, then ${CONNECTIONS} connections flat out for ${SECONDS} s; ${DUPLICATE_SHARE * 100}% redeliveries\n`);

/** Every event the app acknowledged in the paced runs must be in its inbox, with its order in the ledger. */
async function lostAcknowledgedEvents(dbFile: string): Promise<number> {
  const db = createClient({ url: `file:${dbFile}` });
  try {
    const stored = new Set((await db.execute('SELECT "eventId" FROM "WebhookEvent" WHERE "orderId" IN (SELECT "orderId" FROM "OrderSync")')).rows.map((r) => String(r.eventId)));
    return [...acknowledged].filter((id) => !stored.has(id)).length;
  } finally {
    db.close();
  }
}

const results: Record<string, { fixed: RunResult; max: RunResult }> = {};
let lost: number | null = null;
for (const target of ["baseline", "app"] as const) {
  if (values.only && values.only !== target) continue;
  acknowledged.clear();
  const dbFile = path.join(values["db-dir"] ?? WORK, `${target}.sqlite`);
  const server = (target === "app" ? await startApp(dbFile) : await startBaseline(dbFile)) as Child & { url: string };
  try {
    // Warm-up: JIT, first connections, SQLite page cache.
    await paced(server.url, "w", 100);
    const fixed = await paced(server.url, "f", RATE);
    const max = await flatOut(server.url, "m", CONNECTIONS);
    results[target] = { fixed, max };
    console.log(`${target}: fixed ${JSON.stringify(fixed)}\n${target}: max   ${JSON.stringify(max)}`);
  } finally {
    await server.stop();
  }
  if (target === "app") lost = await lostAcknowledgedEvents(dbFile);
}

console.log("\n| server | at " + RATE + " req/s: achieved | p50 ack | p99 ack | flat out: throughput | flat out: p50 / p99 | non-2xx / errors |");
console.log("|---|---|---|---|---|---|---|");
for (const [name, r] of Object.entries(results)) console.log(row(name, r.fixed, r.max));
if (results.app && results.baseline) {
  const ratio = results.app.max.throughput / results.baseline.max.throughput;
  console.log(`\nthroughput ratio app / baseline: ${ratio.toFixed(2)} (target >= 0.5)`);
  console.log(`p99 ack at ${RATE} req/s: ${results.app.fixed.p99} ms (target <= 50 ms)`);
}
if (lost !== null) {
  console.log(`acknowledged by the app at ${RATE} req/s and missing from its inbox or ledger: ${lost} of ${acknowledged.size}`);
  if (lost > 0) process.exitCode = 1;
}
