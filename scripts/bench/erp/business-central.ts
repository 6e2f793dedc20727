// The Business Central half of `npm run bench:erp`: orders through the real
// engine and the real connector (API v2.0) to the in-memory BC fake behind
// an HTTP server that enforces BC's per-user limits and answers 429 past
// them. Counts the API requests each order costs (token requests go to
// Microsoft Entra and are not counted), for orders of customers the app has
// not seen yet and of returning ones.
import type { PrismaClient } from "@prisma/client";
import { businessCentralConnector } from "../../../app/connectors/business-central";
import type { ConnectorDeps, ConnectorLimits } from "../../../app/connectors/port";
import { FAKE_COMPANY_ID, FakeBusinessCentral } from "../../../test/connectors/support/fake-business-central";
import { startFakeBusinessCentralServer, type BusinessCentralLimits } from "../../../test/connectors/support/fake-business-central-server";
import { benchConfigProvider, benchOrder, runPhase } from "./engine-run";
import type { ConnectorReport, PhaseReport } from "./report";

const SHOP = "bench-bc.myshopify.com";

export async function benchBusinessCentral(
  prisma: PrismaClient,
  opts: { orders: number; limits: BusinessCentralLimits; workerConcurrency: number },
): Promise<ConnectorReport> {
  const fake = new FakeBusinessCentral();
  const customers = Math.ceil(opts.orders / 2);
  // Customers BC already has; the app meets each one for the first time in the first half.
  for (let i = 0; i < customers; i++) fake.customers.set(`customer-${i}@bench.test`, `C${String(10000 + i)}`);
  const server = await startFakeBusinessCentralServer(fake, opts.limits);
  try {
    // The shop's limits are BC's, as the fake enforces them.
    const limits: ConnectorLimits = { maxConcurrency: opts.limits.maxConcurrent, requestsPerWindow: opts.limits.requestsPerWindow, windowMs: opts.limits.windowMs };
    const config = businessCentralConnector.parseConfig({
      tenantId: "bench.onmicrosoft.com",
      environment: "production",
      companyId: FAKE_COMPANY_ID,
      clientId: "11111111-2222-4333-8444-555555555555",
      clientSecret: "bench-client-secret",
      apiVersion: "v2.0",
      apiBaseUrl: server.apiBaseUrl,
      tokenUrl: server.tokenUrl,
      shippingAccountNumber: "40100",
      localCurrencyCode: "USD",
    });
    const connector = businessCentralConnector.create(config, { fetch: globalThis.fetch, limits } as ConnectorDeps);
    const provider = benchConfigProvider({ name: SHOP, connector, description: businessCentralConnector.describe(), limits });

    const phases: PhaseReport[] = [];
    const phase = async (label: string, emails: string[], offset: number) => {
      const before = { requests: server.requests.length, refused: server.tooManyRequests, batched: sum(server.requests.map((r) => r.batched)) };
      const run = await runPhase(prisma, SHOP, provider, emails.map((email, i) => benchOrder(offset + i, email)), opts.workerConcurrency);
      const refused = server.tooManyRequests - before.refused;
      phases.push({
        label,
        orders: run.orders,
        seconds: run.seconds,
        requests: server.requests.length - before.requests - refused,
        refused,
        batchedLookups: sum(server.requests.map((r) => r.batched)) - before.batched,
      });
    };
    const emails = Array.from({ length: customers }, (_, i) => `customer-${i}@bench.test`);
    await phase("new customer", emails, 0);
    await phase("returning customer", emails.slice(0, opts.orders - customers), customers);

    const duplicates = fake.orders.length - new Set(fake.orders.map((o) => o.externalDocumentNumber)).size;
    return {
      name: "Business Central (API v2.0)",
      phases,
      limitText: `${opts.limits.requestsPerWindow} requests per ${opts.limits.windowMs / 1000} s and ${opts.limits.maxConcurrent} at once, ${opts.limits.latencyMs} ms each`,
      requestsPer5Minutes: (opts.limits.requestsPerWindow * 300_000) / opts.limits.windowMs,
      maxInFlight: server.maxInFlight,
      maxConcurrent: opts.limits.maxConcurrent,
      documents: fake.orders.length,
      duplicates,
    };
  } finally {
    await server.stop();
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
