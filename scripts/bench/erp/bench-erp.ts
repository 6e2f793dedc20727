// How well the ERP connectors use the ERP's request budget, measured through
// the real sync engine (intake, worker, deliver), so the engine's own calls
// count too.
//   npm run bench:erp [-- --only bc|tryton --bc-orders 2000 --tryton-orders 500
//                        --window-requests 600 --window-seconds 30 --max-concurrent 100 --latency 60
//                        --worker-concurrency 16 --tryton-concurrency N --tryton-requests-per-minute R]
// (vite-node --config vitest.config.ts, like the other benchmarks.)
//
// - Business Central: the in-memory BC fake behind an HTTP server that
//   enforces BC's per-user limits, answering 429 with Retry-After past them.
//   BC allows 6,000 requests per 5 minutes (20 a second on average); by
//   default the fake enforces the same rate over a window ten times shorter
//   (600 per 30 s), so a run of 2,000 orders spans several windows and shows
//   the sustained rate, not one burst into an empty window. The connector is
//   given the same limits. `--window-requests 6000 --window-seconds 300`
//   enforces BC's own window.
// - Tryton: a real trytond 6.0 (Debian's package), started for the run, with
//   the connector's default limits unless --tryton-concurrency or
//   --tryton-requests-per-minute say otherwise (for tuning them).
//
// For each: requests per order for orders of new and of returning customers,
// orders per 5 minutes against the bound the request limit allows
// (requests per 5 minutes ÷ requests per order), and 429 answers caused.
import { parseArgs } from "node:util";
import { trytonConnector } from "../../../app/connectors/tryton";
import { createTestDatabase } from "../../../testkit/db";
import { benchBusinessCentral } from "./business-central";
import { printReport } from "./report";
import { benchTryton } from "./tryton";

process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    "bc-orders": { type: "string", default: "2000" },
    "tryton-orders": { type: "string", default: "500" },
    "window-requests": { type: "string", default: "600" },
    "window-seconds": { type: "string", default: "30" },
    "max-concurrent": { type: "string", default: "100" },
    latency: { type: "string", default: "60" },
    "worker-concurrency": { type: "string", default: "16" },
    "tryton-concurrency": { type: "string" },
    "tryton-requests-per-minute": { type: "string" },
  },
  allowPositionals: true,
});
const workerConcurrency = Number(values["worker-concurrency"]);

// One database for both runs (a shop each): the app's SQLite intake store is one per process.
const db = await createTestDatabase();
try {
  if (values.only !== "tryton") {
    const limits = {
      requestsPerWindow: Number(values["window-requests"]),
      windowMs: Number(values["window-seconds"]) * 1000,
      maxConcurrent: Number(values["max-concurrent"]),
      latencyMs: Number(values.latency),
    };
    printReport(await benchBusinessCentral(db.prisma, { orders: Number(values["bc-orders"]), limits, workerConcurrency }));
  }
  if (values.only !== "bc") {
    const defaults = trytonConnector.describe().defaultLimits;
    const limits = {
      maxConcurrency: values["tryton-concurrency"] ? Number(values["tryton-concurrency"]) : defaults.maxConcurrency,
      requestsPerWindow: values["tryton-requests-per-minute"] ? (Number(values["tryton-requests-per-minute"]) * defaults.windowMs) / 60_000 : defaults.requestsPerWindow,
      windowMs: defaults.windowMs,
    };
    const report = await benchTryton(db.prisma, { orders: Number(values["tryton-orders"]), limits, workerConcurrency });
    if (typeof report === "string") console.log(`\nTryton: ${report}`);
    else printReport(report);
  }
} finally {
  await db.cleanup();
}
