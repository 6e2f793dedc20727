/* global process, console, setTimeout, Buffer */
// Where a process's memory goes before it does any work: loads the modules
// the web process and the worker load, one at a time, and prints what each
// added to resident size (RSS) and V8 heap after a full GC. Run with the
// production Node and the production build (npm run build):
//   node --expose-gc scripts/bench/memory/modules.mjs web|worker [sqlite|postgres]
// A step loaded earlier is not counted again by a later one (cumulative).
// docs/benchmarks.md ("Memory") has the figures.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [kind = "web", provider = "sqlite"] = process.argv.slice(2);
const root = path.resolve(import.meta.dirname, "../../..");
const gc = globalThis.gc ?? (() => {});
const rss = () => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync("/proc/self/status", "utf8"))[1]) / 1024;
const heap = () => process.memoryUsage().heapUsed / 1024 / 1024;
const rows = [];
let last = { rss: rss(), heap: heap() };
rows.push(["Node itself (empty script)", last.rss, last.heap]);
async function step(name, load) {
  await load();
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const now = { rss: rss(), heap: heap() };
  rows.push([name, now.rss - last.rss, now.heap - last.heap]);
  last = now;
}
const req = (await import("node:module")).createRequire(path.join(root, "package.json"));
const imp = (specifier) => import(specifier.startsWith("/") ? pathToFileURL(specifier).href : specifier);

const sqliteUrl = `file:${path.join(root, ".cache/bench-memory/modules.sqlite")}`;
process.env.DATABASE_URL = provider === "postgres" ? (process.env.MODULES_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres") : sqliteUrl;
Object.assign(process.env, {
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "k",
  SHOPIFY_API_SECRET: "s",
  SHOPIFY_APP_URL: "http://127.0.0.1:1",
  SCOPES: "read_orders",
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  LOG_LEVEL: "silent",
});

await step("@prisma/client (SQLite client, JS only)", () => req("@prisma/client"));
await step(".prisma/client-pg (PostgreSQL client, JS only)", () => req(".prisma/client-pg"));
await step("@prisma/adapter-libsql + libsql native module", async () => {
  req("@prisma/adapter-libsql");
  req("libsql");
});
await step("@prisma/adapter-pg + pg", () => req("@prisma/adapter-pg"));
await step("pino", () => req("pino"));
await step("@shopify/shopify-api", () => imp("@shopify/shopify-api"));
await step("@shopify/shopify-app-remix/server", () => imp("@shopify/shopify-app-remix/server"));
await step("graphql + graphql-request", async () => {
  await imp("graphql");
  await imp("graphql-request");
});
await step("zod", () => imp("zod"));
if (kind === "web") {
  await step("prom-client", () => req("prom-client"));
  await step("react + react-dom/server", async () => {
    req("react");
    req("react-dom/server");
  });
  await step("@remix-run/node + express + @remix-run/express", async () => {
    await imp("@remix-run/node");
    await imp("express");
    await imp("@remix-run/express");
  });
  await step("@shopify/polaris", () => imp("@shopify/polaris"));
  await step("@shopify/app-bridge-react + shopify-app-remix/react", async () => {
    await imp("@shopify/app-bridge-react");
    await imp("@shopify/shopify-app-remix/react");
  });
  await step("the app's server build (build/server/index.js) + its Prisma client", () => imp(path.join(root, "build/server/index.js")));
} else {
  await step("nodemailer + undici", async () => {
    req("nodemailer");
    await imp("undici");
  });
}
// One query: instantiates Prisma's query compiler (wasm) and opens the connection.
await step(`first query (${provider}): query compiler wasm + connection`, async () => {
  const client =
    provider === "postgres"
      ? new (req(".prisma/client-pg").PrismaClient)({ adapter: new (req("@prisma/adapter-pg").PrismaPg)({ connectionString: process.env.DATABASE_URL }) })
      : new (req("@prisma/client").PrismaClient)({ adapter: new (req("@prisma/adapter-libsql").PrismaLibSQL)({ url: sqliteUrl }) });
  await client.$queryRawUnsafe("SELECT 1");
});

console.log(`\n${kind} process, ${provider}:`);
console.log("| step | RSS added | heap added |");
console.log("|---|---|---|");
for (const [name, r, h] of rows) console.log(`| ${name} | ${r.toFixed(1)} MiB | ${h.toFixed(1)} MiB |`);
console.log(`| total | ${rss().toFixed(0)} MiB | ${heap().toFixed(0)} MiB |`);
process.exit(0);
