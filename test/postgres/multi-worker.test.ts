// Several workers, each with its own PrismaClient (its own connection pool,
// as on separate machines), share one PostgreSQL queue. Claiming uses
// FOR UPDATE SKIP LOCKED: no order may be sent twice at once, none may be
// lost, and transient ERP failures are retried by whichever worker is free.
// Needs PostgreSQL (TEST_POSTGRES_URL, default the local test server); skips
// with the reason when it is not reachable.
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, databaseProviderOf } from "../../app/db/client";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import type { SyncWorker } from "../../app/sync/worker/worker";
import { createPostgresDatabase, postgresUnavailableReason } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";
import { makeWorker } from "../sync/harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`[test/postgres/multi-worker] skipped: ${unavailable}`);

const SHOPS = ["north.myshopify.com", "south.myshopify.com", "east.myshopify.com"];
const ORDERS_PER_SHOP = 80;
const WORKERS = 4;

let database: { url: string; drop(): Promise<void> };
const clients: PrismaClient[] = [];

beforeAll(async () => {
  if (unavailable) return;
  database = await createPostgresDatabase();
  for (let i = 0; i < WORKERS + 1; i++) clients.push(createPrismaClient(database.url));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  await database?.drop();
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe.skipIf(!!unavailable)("several workers on one PostgreSQL queue", () => {
  it("uses the SKIP LOCKED claim for clients made from a postgres:// URL", () => {
    expect(databaseProviderOf(clients[0])).toBe("postgresql");
  });

  it(`sends each of ${SHOPS.length * ORDERS_PER_SHOP} orders exactly once, never twice at the same moment, with retries`, async () => {
    const intake = clients[0];
    // Each call takes a little while so claims of different workers overlap.
    const erps = new Map(SHOPS.map((shop) => [shop, new FakeErp({ latencyMs: 15 })]));
    const provider = new TestConfigProvider();
    for (const [shop, erp] of erps) provider.set(shop, { erp, limits: { maxConcurrency: 8 } });
    // Transient failures, some after the ERP committed (outcome unknown):
    // the retry must look up first and never create a second document.
    const north = erps.get(SHOPS[0])!;
    north.failNext("createOrder", { kind: "http", status: 503 }, 10);
    north.failNext("createOrder", { kind: "timeoutAfterCommit" }, 5);

    let id = 8100000000000000000n;
    const externalIds = new Map<string, string[]>();
    for (const shop of SHOPS) {
      const ids: string[] = [];
      for (let i = 0; i < ORDERS_PER_SHOP; i++) {
        const order = makeOrder({ id: ++id, name: `#${20000 + i}` });
        await recordWebhookEvent(intake, webhookInput(shop, "orders/create", order));
        ids.push(`shopify-${order.id}`);
      }
      externalIds.set(shop, ids);
    }

    const workers: SyncWorker[] = clients.slice(1).map(
      (prisma, i) =>
        makeWorker(prisma, provider, {
          workerId: `machine-${i + 1}`,
          concurrency: 6,
          leaseMs: 10_000,
          pollIntervalMs: 10,
          // Retries come back quickly so the test does not wait for real backoff.
          random: () => 0,
        }).worker,
    );
    const started = performance.now();
    workers.forEach((w) => w.start());
    const settled = await waitUntil(async () => (await intake.orderSync.count({ where: { state: { not: "synced" } } })) === 0, 20_000);
    await Promise.all(workers.map((w) => w.stop(1_000)));
    const elapsedMs = performance.now() - started;

    if (!settled) {
      const stuck = await intake.orderSync.findMany({
        where: { state: { not: "synced" } },
        take: 3,
        select: { shop: true, state: true, nextAttemptAt: true, leaseToken: true, attemptCount: true, lastError: true },
      });
      console.warn("[multi-worker] orders left unsynced (first 3):", stuck, "now", new Date().toISOString());
    }
    const states = await intake.orderSync.groupBy({ by: ["state"], _count: { _all: true } });
    expect(settled, `not all orders synced: ${JSON.stringify(states)}`).toBe(true);
    for (const [shop, erp] of erps) {
      for (const externalId of externalIds.get(shop)!) expect(erp.documentsFor(externalId), externalId).toHaveLength(1);
      expect(erp.documents).toHaveLength(ORDERS_PER_SHOP);
      expect(erp.maxInFlightPerOrder).toBeLessThanOrEqual(1);
    }
    // The 15 injected failures were retried (one attempt each, at least).
    const attempts = await intake.syncAttempt.count();
    expect(attempts).toBeGreaterThanOrEqual(SHOPS.length * ORDERS_PER_SHOP + 15);
    console.info(
      `[multi-worker] ${WORKERS} workers, ${SHOPS.length * ORDERS_PER_SHOP} orders, ${attempts} attempts in ${Math.round(elapsedMs)} ms`,
    );
  });
});
