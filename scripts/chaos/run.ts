// Chaos run (`npm run chaos -- [--orders 10000] [--db sqlite|postgres]
// [--shops 4] [--workers 2] [--outage-minutes 10] [--max-minutes 40]
// [--skip-build] [--keep]`).
//
// N orders through the REAL app processes on loopback only:
// - the production build (`npm run build`), served by remix-serve (web) and
//   `node build/worker/index.js` (workers), all on one fresh database;
// - a hostile ERP (test/support/chaos/chaos-erp-server.ts) speaking the
//   Generic HTTPS JSON contract: 20% 503, 10% timeout AFTER committing, 5%
//   connection reset BEFORE it read the request, 5% 429 Retry-After, NO
//   dedupe of creates (every duplicate order the app makes is seen), and
//   down for --outage-minutes once during the run (every request refused);
// - webhooks signed like Shopify's, sent concurrently: 10% delivered twice,
//   10% get an orders/updated, half of those BEFORE their orders/create,
//   5% of orders/create never sent (recovered by reconciliation, run
//   in-process by this script against the fake Admin API's fetch); and the
//   order's life racing its create's unknown outcome: 5% get a refund
//   (refunds/create + orders/updated), 5% an edit removing a unit
//   (orders/edited + orders/updated), 3% are cancelled (orders/cancelled +
//   orders/updated), sent right behind the create;
// - a worker killed with SIGKILL every 10 s and restarted; on PostgreSQL the
//   database server is restarted once mid-run.
// Ends by printing orders sent, in ERP, missing, duplicated, outdated (an
// ERP copy that differs from Shopify's order now: note, lines, quantities,
// cancellation, credit notes), failed, needs attention, time taken, and a
// scan of every process's log for seeded secrets and personal data. Exit
// code 0 only with 0 missing, 0 duplicated, 0 outdated, 0 failed and a clean
// log scan. Stops itself after --max-minutes. Every order found wrong is
// explained (webhooks, sync log, staff actions, ledger hashes, ERP requests:
// scripts/chaos/explain.ts); with --keep a failing run leaves its database
// in place for more queries.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { API_KEY, API_SECRET_KEY, getHmac } from "@shopify/shopify-api/test-helpers";
import type { PrismaClient } from "@prisma/client";
import { createLogger } from "../../app/logging/logger";
import { prismaLedgerReader } from "../../app/reconciliation/ledger";
import { PrismaReconciliationStore } from "../../app/reconciliation/prisma-store";
import { reconcileShop } from "../../app/reconciliation/reconcile";
import { graphqlOrderToRestPayload, graphqlRefundToRest, type GqlOrder, type GqlRefund } from "../../app/reconciliation/graphql-order-to-rest";
import { ShopifyAdminApi } from "../../app/shopify-admin/admin-client";
import { saveConnectorSettings } from "../../app/settings/shop-settings.server";
import { recordOrderSnapshot } from "../../app/sync/intake/intake";
import { FakeAdminApi, type FakeOrder } from "../../testkit/fake-admin-api";
import { ChaosErpServer } from "../../test/support/chaos/chaos-erp-server";
import { toRawBody } from "../../testkit/shopify-payloads";
import { explainOrder, type DeliveryPlan } from "./explain";
import { applyLifeEvent, expectedInErp, newHistory, type LifeEvent, type OrderHistory } from "./order-events";
import { mulberry32 } from "../../testkit/seeded-random";

// ---------------------------------------------------------------- options
function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const ORDERS = Number(flag("orders", "10000"));
const DB = flag("db", "sqlite") as "sqlite" | "postgres";
const SHOPS = Number(flag("shops", "4"));
const WORKERS = Number(flag("workers", "2"));
const OUTAGE_MINUTES = Number(flag("outage-minutes", "10"));
const MAX_MINUTES = Number(flag("max-minutes", String(30 + OUTAGE_MINUTES)));
const SKIP_BUILD = process.argv.includes("--skip-build");
const KEEP = process.argv.includes("--keep");
const SEND_CONCURRENCY = 24;
const KILL_EVERY_MS = 10_000;

const root = path.resolve(__dirname, "../..");
const nodeBin = path.join(root, "node_modules/.bin/node");
const startedAt = Date.now();
const deadline = startedAt + MAX_MINUTES * 60_000;
const say = (message: string) => console.log(`[chaos +${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${message}`);

// Seeded secrets and personal data: the log scan at the end looks for each.
const SIGNING_SECRET = "chaos-signing-secret-7f3a9c1e5b";
const BEARER_TOKEN = "chaos-bearer-token-e4d2a8b6c0";
const ENCRYPTION_KEY = Buffer.alloc(32, 11).toString("base64");
const ACCESS_TOKEN = "shpat_chaos_offline_token_91b7";
const phoneOf = (i: number) => `+1 613 555 ${String(1000 + (i % 9000)).padStart(4, "0")}`;

// ---------------------------------------------------------------- helpers
/** The fake stores connections as plain arrays; the Admin API (and the converter) use { nodes }. */
function asConnections(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  for (const key of keys) if (Array.isArray(value[key])) value[key] = { nodes: value[key] };
  return value;
}
const REFUND_CONNECTIONS = ["refundLineItems", "refundShippingLines", "orderAdjustments", "transactions"];
function asGqlRefund(refund: Record<string, unknown>): GqlRefund {
  return asConnections(structuredClone(refund), REFUND_CONNECTIONS) as unknown as GqlRefund;
}
function asGqlOrder(order: FakeOrder): GqlOrder {
  const copy = asConnections(structuredClone(order) as Record<string, unknown>, ["lineItems", "shippingLines", "discountApplications"]);
  copy.refunds = ((copy.refunds as Record<string, unknown>[] | undefined) ?? []).map((r) => asConnections(r, REFUND_CONNECTIONS));
  return copy as unknown as GqlOrder;
}
const restBody = (order: FakeOrder) => toRawBody(graphqlOrderToRestPayload(asGqlOrder(order)));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const logFiles: string[] = [];
function startProcess(name: string, args: string[], env: Record<string, string>, logDir: string): ChildProcess {
  const file = path.join(logDir, `${name}-${Date.now()}.log`);
  logFiles.push(file);
  const out = createWriteStream(file);
  const child: ChildProcess = spawn(nodeBin, args, { cwd: root, env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms`);
}

/** Runs tasks with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length && Date.now() < deadline) await task(items[next++]);
    }),
  );
}

// ---------------------------------------------------------------- the run
type Delivery = { shop: string; topic: string; body: string; eventId: string; triggeredAt: string };

interface World {
  prisma: PrismaClient;
  erp: ChaosErpServer;
  shops: string[];
  admins: Map<string, FakeAdminApi>;
  histories: Map<string, OrderHistory>;
  plans: Map<string, DeliveryPlan>;
}

/** Shops installed with the Generic HTTPS JSON connector (saved through the real settings code), and their orders in the fake Admin API. */
async function setUpShops(prisma: PrismaClient, erp: ChaosErpServer) {
  const shops = Array.from({ length: SHOPS }, (_, i) => `chaos-${i + 1}.myshopify.com`);
  const admins = new Map<string, FakeAdminApi>();
  const perShop = Math.ceil(ORDERS / SHOPS);
  const createdAt = new Date(Date.now() - 60 * 60_000);
  for (const [index, shop] of shops.entries()) {
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: ACCESS_TOKEN, scope: "read_orders" } });
    const saved = await saveConnectorSettings(prisma, shop, {
      connectorType: "generic-http",
      values: { baseUrl: erp.url, authType: "bearer", bearerToken: BEARER_TOKEN, signingSecret: SIGNING_SECRET, timeoutMs: "1000", maxConcurrency: "16", requestsPerMinute: "6000" },
    });
    if (!saved.ok) throw new Error(`settings refused: ${JSON.stringify(saved)}`);
    // Own external-id prefix (the shared fake ERP tells the shops apart by it), quick retries.
    await prisma.shopSettings.update({
      where: { shop },
      data: { externalIdPrefix: `s${index + 1}-`, syncRules: JSON.stringify({ retry: { maxAgeHours: 24, baseDelayMs: 200, maxDelayMs: 5_000 } }) },
    });
    const fake = new FakeAdminApi({ shop, accessToken: ACCESS_TOKEN, restoreRate: 1000, maximumAvailable: 20_000 });
    const orders = fake.seed({ count: Math.min(perShop, ORDERS - index * perShop), startAt: createdAt, spacingMs: 100, refundEvery: 0 });
    for (const [i, o] of orders.entries()) (o as Record<string, unknown>).phone = phoneOf(i);
    admins.set(shop, fake);
  }
  return { shops, admins };
}

/** What Shopify sends, order by order, in a shuffled but mostly chronological order. */
function planDeliveries(shops: string[], admins: Map<string, FakeAdminApi>) {
  const deliveries: Delivery[] = [];
  const counts = { dropped: 0, duplicated: 0, updated: 0, outOfOrder: 0, refunded: 0, edited: 0, cancelled: 0 };
  const random = mulberry32(42);
  const plans = new Map<string, DeliveryPlan>();
  const histories = new Map<string, OrderHistory>();
  for (const shop of shops) {
    const fake = admins.get(shop)!;
    for (const order of fake.orders) {
      const plan: DeliveryPlan = { createDropped: false, updated: false, updateBeforeCreate: false, duplicatedEventId: null, lifeEvents: [] };
      const history = newHistory();
      plans.set(`${shop} ${order.legacyResourceId}`, plan);
      histories.set(`${shop} ${order.legacyResourceId}`, history);
      const create: Delivery = { shop, topic: "orders/create", body: restBody(order), eventId: `create-${shop}-${order.legacyResourceId}`, triggeredAt: order.createdAt };
      const batch: Delivery[] = [];
      if (random() < 0.05) {
        counts.dropped++;
        plan.createDropped = true;
      } else batch.push(create);
      let minutes = 0;
      if (random() < 0.1) {
        counts.updated++;
        plan.updated = true;
        const at = new Date(Date.parse(order.updatedAt) + ++minutes * 60_000);
        fake.touch(order.legacyResourceId, at, (o) => (o.note = `Changed by chaos at ${at.toISOString()}`));
        const upd: Delivery = { shop, topic: "orders/updated", body: restBody(order), eventId: `update-${shop}-${order.legacyResourceId}`, triggeredAt: at.toISOString() };
        if (random() < 0.5 && batch.length) {
          counts.outOfOrder++;
          plan.updateBeforeCreate = true;
          batch.unshift(upd);
        } else batch.push(upd);
      }
      // The order's life, right behind its create: these race the create's unknown outcomes.
      const life: LifeEvent[] = [];
      if (random() < 0.05) life.push("refund");
      if (random() < 0.05) life.push("edit");
      if (random() < 0.03) life.push("cancel");
      for (const event of life) {
        const at = new Date(Date.parse(order.updatedAt) + ++minutes * 60_000);
        let applied: ReturnType<typeof applyLifeEvent> = null;
        fake.touch(order.legacyResourceId, at, (o) => (applied = applyLifeEvent(o, event, history, at.toISOString())));
        if (!applied) continue;
        plan.lifeEvents.push(event);
        const id = `${shop}-${order.legacyResourceId}-${event}`;
        const updatedBody = restBody(order);
        const { refund } = applied as { refund: Record<string, unknown> | null };
        if (event === "refund") {
          counts.refunded++;
          batch.push({ shop, topic: "refunds/create", body: toRawBody(graphqlRefundToRest(asGqlRefund(refund!), order.legacyResourceId)), eventId: `refund-${id}`, triggeredAt: at.toISOString() });
        } else if (event === "edit") {
          counts.edited++;
          const edit = { order_edit: { id: 1, order_id: order.legacyResourceId, committed_at: at.toISOString(), created_at: at.toISOString(), line_items: { additions: [], removals: [] } } };
          batch.push({ shop, topic: "orders/edited", body: JSON.stringify(edit), eventId: `edit-${id}`, triggeredAt: at.toISOString() });
        } else {
          counts.cancelled++;
          batch.push({ shop, topic: "orders/cancelled", body: updatedBody, eventId: `cancel-${id}`, triggeredAt: at.toISOString() });
        }
        batch.push({ shop, topic: "orders/updated", body: updatedBody, eventId: `updated-${id}`, triggeredAt: at.toISOString() });
      }
      if (batch.length && random() < 0.1) {
        counts.duplicated++;
        plan.duplicatedEventId = batch[0].eventId;
        batch.push({ ...batch[0] });
      }
      deliveries.push(...batch);
    }
  }
  // Local shuffle: neighbours swap, so "later" events sometimes come first across orders too.
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.max(0, i - Math.floor(random() * 20));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  say(
    `${deliveries.length} webhook deliveries planned: ${counts.dropped} orders/create dropped, ${counts.duplicated} delivered twice, ${counts.updated} updated (${counts.outOfOrder} update before create), ${counts.refunded} refunded, ${counts.edited} edited, ${counts.cancelled} cancelled`,
  );
  return { deliveries, plans, histories, dropped: counts.dropped };
}

interface Processes {
  baseUrl: string;
  stop(): Promise<void>;
  stopKilling(): void;
  readonly kills: number;
  readonly webCrashes: number;
  readonly webWedged: number;
}

/** The web process and the workers, restarted like a process manager would, a worker SIGKILLed every 10 s. */
async function startApp(dbUrl: string, runDir: string): Promise<Processes> {
  const webPort = await freePort();
  const baseUrl = `http://127.0.0.1:${webPort}`;
  const appEnv = { DATABASE_URL: dbUrl, SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET_KEY, SHOPIFY_APP_URL: baseUrl, SCOPES: "read_orders", ENCRYPTION_KEY, LOG_LEVEL: "info" };
  // The web process must not die, so every restart is counted and printed.
  let webCrashes = 0;
  let stopping = false;
  let web: ChildProcess;
  const startWeb = () => {
    web = startProcess("web", [path.join(root, "node_modules/@remix-run/serve/dist/cli.js"), "build/server/index.js"], { ...appEnv, NODE_ENV: "production", PORT: String(webPort), HOST: "127.0.0.1" }, runDir);
    web.once("exit", (code, signal) => {
      if (stopping) return;
      webCrashes++;
      say(`web process died (exit ${code ?? signal}); restarting it`);
      startWeb();
    });
  };
  startWeb();
  // Liveness probe, as an orchestrator would run it: 10 s of failed
  // /healthz?probe=liveness and the web process is killed (and restarted).
  let webWedged = 0;
  let probeFailures = 0;
  const livenessProbe = setInterval(() => {
    fetch(`${baseUrl}/healthz?probe=liveness`, { signal: AbortSignal.timeout(3_000) })
      .then((res) => (res.ok ? 0 : 1), () => 1)
      .then((failed) => {
        probeFailures = failed ? probeFailures + 1 : 0;
        if (probeFailures >= 5 && !stopping) {
          probeFailures = 0;
          webWedged++;
          say("web process failed its liveness probe for 10 s; killing it");
          web.kill("SIGKILL");
        }
      });
  }, 2_000);
  // Workers run without NODE_ENV=production: the URL guard demands https there,
  // and the fake ERP is plain http on loopback (ALLOW_PRIVATE_ERP_URLS allows loopback).
  const workerEnv = (n: number) => ({ ...appEnv, ALLOW_PRIVATE_ERP_URLS: "true", WORKER_ID: `chaos-worker-${n}`, WORKER_CONCURRENCY: "32", WORKER_LEASE_MS: "8000", WORKER_POLL_MS: "250" });
  const workers: ChildProcess[] = [];
  let workerStarts = 0;
  const startWorker = (slot: number) => {
    workers[slot] = startProcess(`worker${slot}`, ["build/worker/index.js"], workerEnv(++workerStarts), runDir);
  };
  for (let i = 0; i < WORKERS; i++) startWorker(i);
  await waitForHttp(`${baseUrl}/`, 30_000);
  let kills = 0;
  const killer = setInterval(() => {
    const slot = kills % WORKERS;
    workers[slot]?.kill("SIGKILL");
    kills++;
    startWorker(slot);
  }, KILL_EVERY_MS);
  return {
    baseUrl,
    stopKilling: () => clearInterval(killer),
    async stop() {
      clearInterval(killer);
      for (const w of workers) w.kill("SIGTERM");
      stopping = true;
      clearInterval(livenessProbe);
      web!.kill("SIGTERM");
      await sleep(2_000);
      for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
      if (web!.exitCode === null) web!.kill("SIGKILL");
    },
    get kills() {
      return kills;
    },
    get webCrashes() {
      return webCrashes;
    },
    get webWedged() {
      return webWedged;
    },
  };
}

/** Send every planned webhook like Shopify (retried on anything but 2xx); the ERP goes down at 30 %; PostgreSQL restarts at 40 %. */
async function sendWebhooks(baseUrl: string, deliveries: Delivery[], erp: ChaosErpServer) {
  const statuses = new Map<number, number>();
  let sendErrors = 0;
  let dbRestarted = false;
  let outageFrom: number | null = null;
  let sent = 0;
  const sendStart = Date.now();
  await pool(deliveries, SEND_CONCURRENCY, async (d) => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        const res = await fetch(`${baseUrl}/webhooks/${d.topic}`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": d.topic,
            "X-Shopify-Shop-Domain": d.shop,
            "X-Shopify-API-Version": "2026-10",
            "X-Shopify-Webhook-Id": `${d.eventId}-${attempt}-${Math.random()}`,
            "X-Shopify-Event-Id": d.eventId,
            "X-Shopify-Triggered-At": d.triggeredAt,
            "X-Shopify-Hmac-Sha256": getHmac(d.body, API_SECRET_KEY),
          },
          body: d.body,
          // Shopify gives up on a delivery after 5 s and retries it later.
          signal: AbortSignal.timeout(5_000),
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.ok) break;
      } catch {
        sendErrors++;
      }
      await sleep(500 * attempt);
    }
    sent++;
    if (OUTAGE_MINUTES > 0 && outageFrom === null && sent > deliveries.length * 0.3) {
      outageFrom = Date.now();
      erp.downUntil = outageFrom + OUTAGE_MINUTES * 60_000;
      say(`the ERP goes down for ${OUTAGE_MINUTES} minutes`);
    }
    if (DB === "postgres" && !dbRestarted && sent > deliveries.length * 0.4) {
      dbRestarted = true;
      const version = spawnSync("ls", ["/etc/postgresql"], { encoding: "utf8" }).stdout.trim().split("\n")[0];
      say(`restarting PostgreSQL ${version} mid-run`);
      const r = spawnSync("pg_ctlcluster", [version, "main", "restart"], { encoding: "utf8" });
      say(`pg_ctlcluster restart exited ${r.status}`);
    }
  });
  const sendSeconds = (Date.now() - sendStart) / 1000;
  say(`webhooks sent in ${sendSeconds.toFixed(0)} s (${(deliveries.length / sendSeconds).toFixed(0)}/s); HTTP statuses ${JSON.stringify(Object.fromEntries(statuses))}, connection errors ${sendErrors}`);
  return { dbRestarted };
}

/** Reconciliation (in-process, fake Admin API's fetch, real intake and database), retried like the scheduler would. */
async function reconcileAll(world: World): Promise<number> {
  // Errors only: a failed reconciliation says why in the run's output.
  const quiet = createLogger({ level: "error" });
  const store = new PrismaReconciliationStore(world.prisma);
  let enqueued = 0;
  for (const shop of world.shops) {
    const fake = world.admins.get(shop)!;
    const admin = new ShopifyAdminApi({ getAccessToken: async () => ACCESS_TOKEN, refreshAccessToken: async () => ACCESS_TOKEN, fetch: fake.fetch, logger: quiet }).forShop(shop);
    for (let attempt = 1; attempt <= 10; attempt++) {
      try {
        const run = await reconcileShop({ prisma: world.prisma, admin, ledger: prismaLedgerReader(world.prisma), store, recordOrderSnapshot, logger: quiet, settings: { staleRunAfterMs: 0 } }, "manual");
        enqueued += run.enqueued;
        if (run.status === "completed") break;
        say(`reconciliation of ${shop}: ${run.status} (${run.error ?? ""}), trying again`);
      } catch (error) {
        say(`reconciliation of ${shop} crashed (${error instanceof Error ? error.message.split("\n").filter(Boolean).pop() : String(error)}), trying again`);
      }
      await sleep(1_000 * attempt);
    }
  }
  return enqueued;
}

const OPEN_STATES = ["pending", "sending", "retrying"];

/** Wait until nothing is left to do (or the deadline); then one more reconciliation must find nothing new. */
async function waitUntilSettled(world: World, processes: Processes): Promise<void> {
  let lastLeft = -1;
  for (;;) {
    const left = await world.prisma.orderSync.count({ where: { state: { in: OPEN_STATES } } });
    if (left !== lastLeft) say(`${left} orders still pending/sending/retrying; ERP: ${JSON.stringify(world.erp.stats)}`);
    lastLeft = left;
    if (left === 0 || Date.now() > deadline) break;
    await sleep(3_000);
  }
  processes.stopKilling();
  const lateFinds = await reconcileAll(world);
  if (lateFinds > 0) {
    say(`final reconciliation found ${lateFinds} more; waiting for them`);
    while ((await world.prisma.orderSync.count({ where: { state: { in: OPEN_STATES } } })) > 0 && Date.now() < deadline) await sleep(2_000);
  }
}

type Problem = "missing" | "duplicated" | "outdated" | "failed";

/** Every order in Shopify against what the ERP holds. */
async function compare(world: World) {
  const counts: Record<Problem | "inErp", number> = { inErp: 0, missing: 0, duplicated: 0, outdated: 0, failed: 0 };
  const examples: string[] = [];
  const toExplain: Array<{ shop: string; order: FakeOrder; externalId: string; problem: string }> = [];
  for (const [index, shop] of world.shops.entries()) {
    const rows = new Map((await world.prisma.orderSync.findMany({ where: { shop }, select: { orderId: true, state: true } })).map((r) => [r.orderId, r.state]));
    for (const order of world.admins.get(shop)!.orders) {
      const externalId = `s${index + 1}-${order.legacyResourceId}`;
      const docs = world.erp.documents.get(externalId) ?? [];
      const state = rows.get(order.legacyResourceId);
      const want = expectedInErp(order, world.histories.get(`${shop} ${order.legacyResourceId}`)!);
      const problems: Problem[] = [];
      if (docs.length > 0) counts.inErp++;
      if (docs.length > 1) problems.push("duplicated");
      if (state === "failed") problems.push("failed");
      const skippedAsCancelled = want.cancelled && state === "skipped";
      if (docs.length === 0 && !skippedAsCancelled) problems.push("missing");
      if (docs.length > 0) {
        const doc = docs[0];
        const lines = new Map(((doc.order.lines as Array<{ lineId: string; quantity: number }>) ?? []).map((l) => [l.lineId, l.quantity]));
        const sameLines = lines.size === want.lines.size && [...want.lines].every(([id, units]) => lines.get(id) === units);
        const sameRefunds = doc.refundIds.length === want.refunds.size && doc.refundIds.every((id) => want.refunds.has(id));
        const sameNote = (doc.order.note ?? null) === (order.note ?? null);
        if (!sameLines || !sameRefunds || !sameNote || doc.cancelled !== want.cancelled) problems.push("outdated");
      }
      for (const problem of problems) {
        counts[problem]++;
        toExplain.push({ shop, order, externalId, problem });
        if (examples.length < 5) examples.push(`${problem}: ${shop} ${order.name} (ledger: ${state ?? "no row"})`);
      }
    }
  }
  return { counts, examples, toExplain };
}

async function main(): Promise<number> {
  if (DB === "postgres") process.env.TEST_DATABASE = "postgres";
  process.env.ENCRYPTION_KEY = ENCRYPTION_KEY;
  process.env.ALLOW_PRIVATE_ERP_URLS = "true";
  process.env.LOG_LEVEL ??= "warn";
  const { createTestDatabase } = await import("../../testkit/db");

  mkdirSync(path.join(root, ".cache"), { recursive: true });
  const runDir = mkdtempSync(path.join(root, ".cache", "chaos-"));
  say(`${ORDERS} orders, ${SHOPS} shops, ${WORKERS} workers, ${DB}, ERP outage ${OUTAGE_MINUTES} min; logs in ${path.relative(root, runDir)}`);

  if (!SKIP_BUILD || !existsSync(path.join(root, "build/worker/index.js"))) {
    const t = Date.now();
    const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
    say(`built the app in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }

  const db = await createTestDatabase();
  const prisma: PrismaClient = db.prisma;
  const erp = new ChaosErpServer(SIGNING_SECRET, { serverError: 0.2, timeoutAfterCommit: 0.1, rateLimited: 0.05, resetBeforeCommit: 0.05 }, 3_000);
  await erp.start();
  const { shops, admins } = await setUpShops(prisma, erp);
  const { deliveries, plans, histories, dropped } = planDeliveries(shops, admins);
  const world: World = { prisma, erp, shops, admins, histories, plans };

  const processes = await startApp(db.url, runDir);
  say(`web on ${processes.baseUrl}, ${WORKERS} workers, fake ERP on ${erp.url}`);
  const { dbRestarted } = await sendWebhooks(processes.baseUrl, deliveries, erp);
  say(`reconciliation handed ${await reconcileAll(world)} orders to intake`);
  await waitUntilSettled(world, processes);
  await processes.stop();

  const { counts, examples, toExplain } = await compare(world);
  const byState = Object.fromEntries((await prisma.orderSync.groupBy({ by: ["state"], _count: true })).map((g) => [g.state, g._count]));
  const attention = await prisma.orderSync.findMany({ where: { state: "needs_attention" }, select: { problems: true, lastError: true }, take: 3 });

  // Log scan: every byte the web and worker processes wrote.
  const logs = logFiles.map((f) => readFileSync(f, "utf8")).join("\n");
  const needles = [SIGNING_SECRET, BEARER_TOKEN, ENCRYPTION_KEY, ACCESS_TOKEN, API_SECRET_KEY, "@example.com", "Example Street", phoneOf(0), phoneOf(1)];
  const leaks = needles.filter((n) => logs.includes(n));

  // Explain what went wrong, order by order (at most 20, to keep the output readable).
  const explanations: string[] = [];
  for (const item of toExplain.slice(0, 20)) {
    explanations.push(`[${item.problem}]`);
    explanations.push(
      ...(await explainOrder(prisma, erp, {
        shop: item.shop,
        orderId: item.order.legacyResourceId,
        externalId: item.externalId,
        shopifyNote: (item.order.note as string | null | undefined) ?? null,
        shopifyUpdatedAt: item.order.updatedAt,
        plan: plans.get(`${item.shop} ${item.order.legacyResourceId}`),
      })),
    );
  }

  await erp.stop();
  await prisma.$disconnect();
  const seconds = (Date.now() - startedAt) / 1000;
  console.log("\n=== chaos run result ===");
  console.log(`database             ${DB}${DB === "postgres" ? ` (restarted mid-run: ${dbRestarted})` : ""}`);
  console.log(`orders in Shopify    ${ORDERS} (${SHOPS} shops)`);
  console.log(`orders sent          ${ORDERS - dropped} by webhook (${deliveries.length} deliveries), ${dropped} left to reconciliation`);
  console.log(`in ERP               ${counts.inErp}`);
  console.log(`missing              ${counts.missing}`);
  console.log(`duplicated           ${counts.duplicated}`);
  console.log(`outdated in ERP      ${counts.outdated} (ERP copy differs from Shopify's order now: note, lines, cancellation or credit notes)`);
  console.log(`failed               ${counts.failed}`);
  if (examples.length) console.log(`                     e.g. ${examples.join("; ")}`);
  console.log(`needs attention      ${byState.needs_attention ?? 0}${attention.length ? ` e.g. ${attention.map((a) => (a.problems !== "[]" ? a.problems : a.lastError)).join(" | ")}` : ""}`);
  console.log(`ledger states        ${JSON.stringify(byState)}`);
  console.log(`ERP traffic          ${JSON.stringify(erp.stats)}`);
  console.log(`ERP outage           ${OUTAGE_MINUTES} min (${erp.stats.refusedWhileDown} requests refused while down)`);
  console.log(`workers killed       ${processes.kills} (SIGKILL every ${KILL_EVERY_MS / 1000} s)`);
  console.log(`web process restarts ${processes.webCrashes}${processes.webCrashes ? ` (${processes.webWedged} killed by the liveness probe, ${processes.webCrashes - processes.webWedged} crashed; see the web-*.log files)` : ""}`);
  console.log(`log scan             ${leaks.length ? `LEAKED: ${leaks.join(", ")}` : "clean"} (${logFiles.length} process logs, ${(logs.length / 1e6).toFixed(1)} MB)`);
  console.log(`time taken           ${seconds.toFixed(0)} s${Date.now() > deadline ? " (stopped at the --max-minutes limit)" : ""}`);
  if (explanations.length) {
    console.log(`\n=== what happened to the ${toExplain.length} order(s) above${toExplain.length > 20 ? " (first 20)" : ""} ===`);
    console.log(explanations.join("\n"));
  }
  const passed = counts.missing === 0 && counts.duplicated === 0 && counts.outdated === 0 && counts.failed === 0 && leaks.length === 0 && Date.now() <= deadline;
  if (KEEP && !passed) {
    console.log(`\nkept for inspection (--keep): database ${db.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")}, logs in ${path.relative(root, runDir)}`);
  } else {
    await db.cleanup().catch(() => undefined);
  }
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
