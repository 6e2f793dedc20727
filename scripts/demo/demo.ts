// `npm run demo`: the whole product on this machine, offline, no Shopify
// account needed. See docs/demo.md.
//
//   npm run demo                       interactive: prints a URL, streams orders, Ctrl-C stops
//   npm run demo -- --check            headless: short fast stream, checks the outcome, exits 0/1
//   options: --orders N (default 30, check 16), --rate events/s (default 1, check 25),
//            --no-build (reuse .cache/demo-build)
//
// Pieces, all on 127.0.0.1: the demo ERP (reference receiver of the Generic
// HTTPS JSON connector), the Shopify stand-in (fake Admin API + App Bridge
// stand-in + session tokens), the app (production build served by
// remix-serve, Admin API calls redirected to the stand-in) and the sync
// worker (own process), over a fresh SQLite database (prisma/demo.sqlite).
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { configure } from "../../app/config.server";
import { createPrismaClient } from "../../app/db/client";
import { ADMIN_API_VERSION } from "../../app/graphql/api-version";
import { buildApp, serveBuildArgs } from "./build-app";
import { certificatePhase } from "./certificate-phase";
import { checkOutcome, fixUnknownSkuThroughPages, settingsAndJobsThroughPages, waitUntilSettled, type CheckResult } from "./checks";
import { checkHealthAndPreview } from "./health-checks";
import { DemoErp } from "./demo-erp";
import { assertDemoMayRun, DEMO_SHOP, DemoRefusal } from "./guards";
import { CATALOGUE, deliver, demoEvents, type DemoEvent } from "./order-stream";
import { freePort, startChild } from "./processes";
import { freshDatabase, seedDemoShop } from "./seed";
import { shipmentsPhase } from "./shipments-phase";
import { ShopifyStandIn } from "./shopify-stand-in";

const root = path.resolve(__dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

const { values: args } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    once: { type: "boolean", default: false },
    orders: { type: "string" },
    rate: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const checkMode = args.check || args.once;
const ORDERS = Math.max(8, Number(args.orders ?? (checkMode ? 16 : 30)));
const RATE = Math.max(0.1, Number(args.rate ?? (checkMode ? 25 : 1)));
// Long enough that several orders meet it; the ERP asks for a 2 s pause.
const OUTAGE_MS = checkMode ? 3_000 : 10_000;
const HOST = process.env.DEMO_HOST ?? "127.0.0.1";
const DB_FILE = path.resolve(root, process.env.DEMO_DATABASE_FILE ?? "prisma/demo.sqlite");
const WORK_DIR = path.resolve(root, process.env.DEMO_WORK_DIR ?? ".cache/demo");
const BUILD_DIR = path.join(WORK_DIR, "build");

const say = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  assertDemoMayRun({ nodeEnv: process.env.NODE_ENV, host: HOST, shop: DEMO_SHOP });
} catch (error) {
  if (error instanceof DemoRefusal) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

// Made up for this run only: nothing here is a real credential.
const apiKey = "demo-api-key";
const apiSecret = randomBytes(24).toString("hex");
const accessToken = `shpat_demo_${randomBytes(8).toString("hex")}`;
const erpSigningSecret = randomBytes(24).toString("hex");
const encryptionKey = randomBytes(32).toString("base64");
// The demo ERP is on loopback; the URL guard allows that only when told to.
// This process seeds the demo shop's settings through the app's own modules.
configure({ ...process.env, ENCRYPTION_KEY: encryptionKey, ALLOW_PRIVATE_ERP_URLS: "true" });
const scopes = "read_orders";

mkdirSync(WORK_DIR, { recursive: true });
const cleanups: (() => Promise<void>)[] = [];
let stopping: Promise<void> | null = null;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(`while stopping: ${e}`));
  })();
  return stopping;
}
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
process.once("SIGTERM", () => void stopAll().then(() => process.exit(143)));

let exitCode = 0;
try {
  const erp = new DemoErp(erpSigningSecret, new Set(CATALOGUE.map((p) => p.sku)));
  await erp.start(HOST);
  cleanups.push(() => erp.stop());

  const shopify = new ShopifyStandIn({
    shop: DEMO_SHOP,
    shopName: "Demo Shop",
    currency: "EUR",
    apiKey,
    apiSecret,
    apiVersion: ADMIN_API_VERSION,
    accessToken,
  });
  await shopify.start(HOST);
  cleanups.push(() => shopify.stop());

  say(`Preparing a fresh demo database at ${path.relative(root, DB_FILE)} ...`);
  const databaseUrl = await freshDatabase(DB_FILE);
  const prisma = createPrismaClient(databaseUrl);
  cleanups.push(() => prisma.$disconnect());
  await seedDemoShop(prisma, { shop: DEMO_SHOP, accessToken, scopes, erpUrl: erp.url, erpSigningSecret });

  if (!args["no-build"]) {
    say("Building the app for production (remix vite:build) ...");
    buildApp(BUILD_DIR);
  }

  const port = await freePort(HOST);
  const appUrl = `http://${HOST}:${port}`;
  shopify.appUrl = appUrl;
  const common = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY: encryptionKey,
    ALLOW_PRIVATE_ERP_URLS: "true",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  };
  const app = await startChild({
    name: "web app",
    command: bin("node"),
    args: serveBuildArgs(BUILD_DIR, [path.join(__dirname, "admin-api-redirect.mjs")]),
    cwd: root,
    env: {
      ...common,
      NODE_ENV: "production",
      HOST,
      PORT: String(port),
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      SCOPES: scopes,
      APP_BRIDGE_URL: shopify.appBridgeUrl,
      DEMO_SHOP,
      DEMO_SHOPIFY_URL: shopify.url,
    },
    logFile: path.join(WORK_DIR, "app.log"),
    readyWhen: /\[serve-build\] http/,
  });
  cleanups.push(() => app.stop());

  const worker = await startChild({
    name: "sync worker",
    command: bin("vite-node"),
    args: ["--config", path.join(root, "vitest.config.ts"), path.join(__dirname, "worker.ts")],
    cwd: root,
    // The same jobs as production (app/worker.server.ts), so it needs the
    // app's credentials and the Admin API redirect to the stand-in too.
    env: {
      ...common,
      WORKER_POLL_MS: "250",
      WORKER_ID: "demo-worker",
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      SCOPES: scopes,
      DEMO_SHOP,
      DEMO_SHOPIFY_URL: shopify.url,
    },
    logFile: path.join(WORK_DIR, "worker.log"),
    readyWhen: /sync log retention purge done|"msg":"/,
  });
  cleanups.push(() => worker.stop());

  say("");
  say(`  Demo shop:   ${DEMO_SHOP} (made up; served on this machine)`);
  say(`  Open:        ${shopify.url}/          (the app's dashboard, as the Shopify admin would embed it)`);
  say(`               ${shopify.url}/app/orders   ${shopify.url}/app/shipments   ${shopify.url}/app/settings`);
  say(`  Local ERP:   ${erp.url} (Generic HTTPS JSON receiver)`);
  say(`  Logs:        ${path.relative(root, app.logFile)}, ${path.relative(root, worker.logFile)}`);
  say("");

  const events = demoEvents(ORDERS);
  const outageAt = Math.floor(events.length * 0.4);
  say(`Sending ${events.length} Shopify webhooks (${RATE}/s) to ${appUrl}/webhooks/... :`);
  for (const [i, event] of events.entries()) {
    if (stopping) break;
    if (i === outageAt) {
      erp.outage(OUTAGE_MS);
      say(`  !! the ERP goes down for ${OUTAGE_MS / 1000} s (answers 503); the app will retry`);
    }
    const status = await deliver(appUrl, event, DEMO_SHOP, apiSecret);
    say(`  ${status === 200 ? "->" : "XX"} ${event.orderName.padEnd(6)} ${event.topic.padEnd(16)} HTTP ${status}  ${event.label}`);
    if (status !== 200) exitCode = 1;
    await sleep(1000 / RATE);
  }

  if (checkMode) {
    exitCode = (await runChecks(prisma, erp, events, shopify, appUrl)) ? exitCode : 1;
  } else {
    await waitUntilSettled(prisma, DEMO_SHOP, 60_000);
    say("");
    say("Shipments: the ERP owns them now; its warehouse ships an order:");
    await shipmentsPhase({ prisma, shop: DEMO_SHOP, erp, shopify, appUrl, events, say });
    say("");
    say("Completeness certificates for the demo day (the orders without a SKU are skipped by staff first):");
    await certificatePhase({ prisma, shop: DEMO_SHOP, erp, shopify, events, say });
    say("");
    say("All events sent. Orders keep syncing in the background; open the URL above.");
    say(`To fix the orders that need attention: in Settings add the SKU mapping OLD-TEE-M -> TSHIRT-BLUE-M, then Retry them.`);
    say("Press Ctrl-C to stop.");
    await new Promise(() => {});
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
}
await stopAll();
process.exit(exitCode);

async function runChecks(
  prisma: ReturnType<typeof createPrismaClient>,
  erp: DemoErp,
  events: DemoEvent[],
  shopify: ShopifyStandIn,
  appUrl: string,
): Promise<boolean> {
  say("Waiting for the worker to settle ...");
  const settled = await waitUntilSettled(prisma, DEMO_SHOP, 60_000);
  const results: CheckResult[] = [{ name: "every order settled within 60 s", ok: settled, detail: "" }];
  results.push(...(await checkOutcome({ prisma, shop: DEMO_SHOP, erp, events })));
  results.push(...(await checkHealthAndPreview({ prisma, shop: DEMO_SHOP, shopify, appUrl })));
  results.push(...(await fixUnknownSkuThroughPages({ prisma, shop: DEMO_SHOP, erp, shopify, appUrl })));
  say("Shipments (the ERP owns them from now on):");
  results.push(...(await shipmentsPhase({ prisma, shop: DEMO_SHOP, erp, shopify, appUrl, events, say })));
  say("Completeness certificates for the demo day:");
  results.push(...(await certificatePhase({ prisma, shop: DEMO_SHOP, erp, shopify, events, say })));
  results.push(...(await settingsAndJobsThroughPages({ shopify, appUrl })));
  say("");
  for (const r of results) say(`  ${r.ok ? "ok  " : "FAIL"} ${r.name}${r.detail ? `: ${r.detail}` : ""}`);
  const ok = results.every((r) => r.ok);
  say(ok ? "\nDemo check passed." : "\nDemo check FAILED.");
  return ok;
}
