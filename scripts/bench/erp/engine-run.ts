// Runs orders through the real sync engine for `npm run bench:erp`: each
// order arrives as an orders/create webhook (intake), then one worker
// (claim, deliver, the shop's limiter) sends them to the connector under
// test, so the engine's own ERP calls count as they do in production. The
// shop's config is built once, as the settings-backed provider keeps a
// shop's connector while its settings are unchanged.
import type { PrismaClient } from "@prisma/client";
import type { ConnectorDescription, ConnectorLimits, ErpConnector } from "../../../app/connectors/port";
import { createLogger } from "../../../app/logging/logger";
import { recordWebhookEvent } from "../../../app/sync/intake/intake";
import type { ShopConfigProvider, ShopSyncConfig } from "../../../app/sync/shop-config";
import { parseSyncRules } from "../../../app/sync/order/sync-rules";
import { createWorker } from "../../../app/sync/worker/worker";
import { makeOrder, webhookInput } from "../../../testkit/shopify-payloads";

export interface BenchShop {
  /** e.g. "bench-bc.myshopify.com": one shop per connector, in one database. */
  name: string;
  connector: ErpConnector;
  description: ConnectorDescription;
  limits: ConnectorLimits;
}

/** A ShopConfigProvider for the one bench shop. */
export function benchConfigProvider(shop: BenchShop): ShopConfigProvider {
  const config: ShopSyncConfig = {
    shop: shop.name,
    externalIdPrefix: "shopify-",
    rules: parseSyncRules("{}"),
    connector: shop.connector,
    description: shop.description,
    limits: shop.limits,
    lookupItemNumbers: async () => new Map(),
  };
  return { forShop: async (name) => (name === shop.name ? config : null) };
}

/** A paid order of two items and shipping, from the customer with this e-mail. */
export function benchOrder(index: number, email: string): Record<string, unknown> {
  const order = makeOrder({
    id: 5_000_000_000_000_000_000n + BigInt(index),
    name: `#${20000 + index}`,
    email,
    lines: [
      { title: "Blue T-shirt", variantTitle: "M", sku: "TSHIRT-BLUE-M", price: "19.99" },
      { title: "White mug", sku: "MUG-WHITE", price: "8.50", quantity: 2 },
    ],
    shippingPrice: "5.00",
  });
  order.customer = { ...order.customer, id: 6_000_000_000_000_000_000n + BigInt(index), email, first_name: "Bench", last_name: `Customer ${email.split("@")[0]}` };
  return order;
}

export interface PhaseResult {
  orders: number;
  seconds: number;
}

/**
 * Records the orders (worker stopped), then runs one worker until every
 * order of the shop is synced. Throws if an order ends anywhere else.
 */
export async function runPhase(prisma: PrismaClient, shop: string, provider: ShopConfigProvider, orders: Record<string, unknown>[], workerConcurrency: number): Promise<PhaseResult> {
  for (const order of orders) {
    const result = await recordWebhookEvent(prisma, webhookInput(shop, "orders/create", order));
    if (result.status !== "recorded") throw new Error(`intake of ${String(order.name)}: ${result.status}`);
  }
  const expected = await prisma.orderSync.count({ where: { shop } });
  const worker = createWorker({
    prisma,
    configProvider: provider,
    workerId: "bench-erp",
    concurrency: workerConcurrency,
    leaseMs: 60_000,
    pollIntervalMs: 20,
    logger: createLogger({ level: "silent" }),
  });
  const start = performance.now();
  worker.start();
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const byState = await prisma.orderSync.groupBy({ by: ["state"], where: { shop }, _count: true });
      const count = (state: string) => byState.find((s) => s.state === state)?._count ?? 0;
      const stuck = count("needs_attention") + count("failed") + count("skipped");
      if (stuck > 0) {
        const example = await prisma.orderSync.findFirst({ where: { shop, state: { in: ["needs_attention", "failed", "skipped"] } } });
        throw new Error(`${stuck} orders did not sync, e.g. ${example?.orderName}: ${example?.lastError ?? example?.skipReason}`);
      }
      if (count("synced") === expected) break;
    }
  } finally {
    await worker.stop();
  }
  return { orders: orders.length, seconds: (performance.now() - start) / 1000 };
}
