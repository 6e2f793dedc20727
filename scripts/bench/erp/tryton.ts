// The Tryton half of `npm run bench:erp`: orders through the real engine and
// the real connector to a real trytond 6.0 (scripts/tryton/tryton-server.ts,
// a fresh copy of the seeded database). Every JSON-RPC request is counted by
// method, for orders of new customers (the party is created) and of
// returning ones (the party exists).
import type { PrismaClient } from "@prisma/client";
import { trytonConnector } from "../../../app/connectors/tryton";
import type { ConnectorDeps, ConnectorLimits } from "../../../app/connectors/port";
import { SeedRpc, findTrytond, startTryton } from "../../tryton/tryton-server";
import { benchConfigProvider, benchOrder, runPhase } from "./engine-run";
import type { ConnectorReport, PhaseReport } from "./report";

const SHOP = "bench-tryton.myshopify.com";

/** fetch that counts each JSON-RPC request by method (and HTTP 429 answers). */
function countingFetch() {
  const byMethod = new Map<string, number>();
  let total = 0;
  let refused = 0;
  const fetchFn: typeof fetch = async (input, init) => {
    total += 1;
    try {
      const method = String((JSON.parse(String(init?.body)) as { method?: string }).method);
      byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
    } catch {
      byMethod.set("(not JSON-RPC)", (byMethod.get("(not JSON-RPC)") ?? 0) + 1);
    }
    const res = await globalThis.fetch(input, init);
    if (res.status === 429) refused += 1;
    return res;
  };
  return { fetchFn, byMethod, get total() { return total; }, get refused() { return refused; } };
}

export async function benchTryton(
  prisma: PrismaClient,
  opts: { orders: number; limits?: ConnectorLimits; workerConcurrency: number },
): Promise<ConnectorReport | string> {
  if (!findTrytond()) return "skipped: trytond is not installed (run scripts/tryton/install.sh)";
  const server = await startTryton();
  try {
    const limits = opts.limits ?? trytonConnector.describe().defaultLimits;
    const counter = countingFetch();
    const config = trytonConnector.parseConfig({
      url: server.url,
      database: server.database,
      username: server.username,
      password: server.password,
      companyId: String(server.companyId),
      shippingProductCode: "SHIPPING",
    });
    const connector = trytonConnector.create(config, { fetch: counter.fetchFn, limits } as ConnectorDeps);
    const provider = benchConfigProvider({ name: SHOP, connector, description: trytonConnector.describe(), limits });

    const phases: PhaseReport[] = [];
    const phase = async (label: string, emails: string[], offset: number) => {
      const before = { total: counter.total, refused: counter.refused, byMethod: new Map(counter.byMethod) };
      const run = await runPhase(prisma, SHOP, provider, emails.map((email, i) => benchOrder(offset + i, email)), opts.workerConcurrency);
      const refused = counter.refused - before.refused;
      const byMethod = [...counter.byMethod].map(([method, n]) => [method, n - (before.byMethod.get(method) ?? 0)] as const).filter(([, n]) => n > 0);
      phases.push({ label, orders: run.orders, seconds: run.seconds, requests: counter.total - before.total - refused, refused, byMethod: new Map(byMethod) });
    };
    const customers = Math.ceil(opts.orders / 2);
    const emails = Array.from({ length: customers }, (_, i) => `tryton-customer-${i}@bench.test`);
    await phase("new customer", emails, 0);
    await phase("returning customer", emails.slice(0, opts.orders - customers), customers);

    const inspect = new SeedRpc(server.url);
    await inspect.login();
    const sales = (await inspect.call("model.sale.sale.search_read", [[["reference", "like", "shopify-%"]], 0, null, null, ["reference"], { company: server.companyId }])) as { reference: string }[];
    return {
      name: "Tryton 6.0 (real trytond, SQLite)",
      phases,
      limitText: `the connector's limits: ${limits.requestsPerWindow} requests per ${limits.windowMs / 1000} s, ${limits.maxConcurrency} at once`,
      requestsPer5Minutes: (limits.requestsPerWindow * 300_000) / limits.windowMs,
      documents: sales.length,
      duplicates: sales.length - new Set(sales.map((s) => s.reference)).size,
    };
  } finally {
    await server.stop();
  }
}
