// Delivery health read from a real ledger (SQLite, and PostgreSQL with
// TEST_DATABASE=postgres): orders arrive by webhook or are found by
// reconciliation / backfill through the real intake, the real worker sends
// them to a fake ERP, and the figures on the dashboard reader and /metrics
// say how each was first seen, how long it took to reach the ERP and how
// long the oldest waiting order has waited.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordOrderSnapshot, recordWebhookEvent } from "../../app/sync/intake/intake";
import { loadDeliveryHealth } from "../../app/health/delivery-health.server";
import { FakeErp } from "../../testkit/fake-erp";
import { makeOrder, toRawBody, webhookInput } from "../../testkit/shopify-payloads";
import { TestConfigProvider } from "../../testkit/test-config-provider";
import { drain, makeWorker, TestClock } from "../sync/harness";
import type { TestDatabase } from "../../testkit/db";
import { useTestDatabaseForApp } from "../support/app-modules";

let db: TestDatabase;
let loader: (args: { request: Request }) => Promise<Response>;
beforeAll(async () => {
  db = await useTestDatabaseForApp();
  ({ loader } = await import("../../app/routes/metrics"));
});
afterAll(() => db.cleanup());

let shopSeq = 0;
let shop: string;
let erp: FakeErp;
let provider: TestConfigProvider;
let nextId = 7100000000000000001n;
beforeEach(() => {
  shop = `health-${++shopSeq}.myshopify.com`;
  erp = new FakeErp();
  provider = new TestConfigProvider().set(shop, { erp });
});

const MIN = 60_000;

function order(createdAt: Date) {
  const id = nextId++;
  return makeOrder({ id, name: `#H${id % 100000n}`, createdAt: createdAt.toISOString(), updatedAt: createdAt.toISOString() });
}

async function byWebhook(createdAt: Date) {
  return recordWebhookEvent(db.prisma, webhookInput(shop, "orders/create", order(createdAt)));
}

async function bySnapshot(source: "reconciliation" | "backfill", createdAt: Date) {
  return recordOrderSnapshot(db.prisma, { shop, source, rawBody: toRawBody(order(createdAt)), observedAt: new Date() });
}

async function scrape(): Promise<string> {
  const response = await loader({ request: new Request("https://app.example.com/metrics") });
  return response.text();
}

function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series}`);
  return Number(line.slice(series.length + 1));
}

describe("delivery health from the ledger", () => {
  it("records how each order was first seen and makes lost webhooks visible", async () => {
    const now = Date.now();
    for (let i = 0; i < 6; i++) await byWebhook(new Date(now - (i + 1) * MIN));
    await bySnapshot("reconciliation", new Date(now - 30 * MIN));
    await bySnapshot("reconciliation", new Date(now - 3 * 24 * 60 * MIN)); // 3 days ago: only in the 14-day window
    await bySnapshot("backfill", new Date(now - 60 * 24 * 60 * MIN)); // imported from two months ago: in neither window
    // A webhook for an order reconciliation already found does not change how it was first seen.
    const found = order(new Date(now - 40 * MIN));
    await recordOrderSnapshot(db.prisma, { shop, source: "reconciliation", rawBody: toRawBody(found), observedAt: new Date() });
    await recordWebhookEvent(db.prisma, webhookInput(shop, "orders/updated", { ...found, updated_at: new Date(now - 5 * MIN).toISOString(), note: "later" }));

    const rows = await db.prisma.orderSync.findMany({ where: { shop }, select: { firstSeenBy: true } });
    expect(rows.map((r) => r.firstSeenBy).sort()).toEqual(["backfill", ...Array(3).fill("reconciliation"), ...Array(6).fill("webhook")]);

    const health = await loadDeliveryHealth(db.prisma, shop, new Date(now));
    expect(health.sources.day.counts).toMatchObject({ webhook: 6, reconciliation: 2, backfill: 0 });
    expect(health.sources.day.lostWebhookShare).toBeCloseTo(2 / 8, 6);
    expect(health.sources.fortnight.counts).toMatchObject({ webhook: 6, reconciliation: 3, backfill: 0 });

    const text = await scrape();
    expect(sample(text, `erp_sync_health_orders_first_seen{shop="${shop}",window="24h",source="reconciliation"}`)).toBe(2);
    expect(sample(text, `erp_sync_health_lost_webhook_ratio{shop="${shop}",window="24h"}`)).toBeCloseTo(0.25, 6);
    expect(sample(text, `erp_sync_health_lost_webhook_ratio{shop="${shop}",window="14d"}`)).toBeCloseTo(3 / 9, 6);
  });

  it("measures created_at to ERP document with the worker's own clock, p50 and p99 over 24 h and 14 days", async () => {
    const clock = new TestClock();
    const placed = clock.ms;
    // Ten orders placed at the same moment; the worker sends them 1..10 minutes later.
    const { worker } = makeWorker(db.prisma, provider, { now: clock.now });
    for (let i = 1; i <= 10; i++) {
      await byWebhook(new Date(placed));
      clock.ms = placed + i * MIN;
      await drain(worker);
    }
    const committed = await db.prisma.orderSync.findMany({ where: { shop }, select: { erpCommittedAt: true, state: true } });
    expect(committed.every((r) => r.state === "synced" && r.erpCommittedAt)).toBe(true);

    const health = await loadDeliveryHealth(db.prisma, shop, new Date(clock.ms + MIN));
    expect(health.lag.day.samples).toBe(10);
    expect(health.lag.fortnight.samples).toBe(10);
    // Lags of 1..10 minutes: nearest-rank p50 is the 5th, p99 the 10th.
    expect(health.lag.day.p50Ms).toBe(5 * MIN);
    expect(health.lag.day.p99Ms).toBe(10 * MIN);

    // An update later does not move the moment the document was first committed.
    const before = await db.prisma.orderSync.findFirstOrThrow({ where: { shop }, select: { id: true, erpCommittedAt: true } });
    const text = await scrape();
    expect(sample(text, `erp_sync_health_lag_seconds{shop="${shop}",window="24h",quantile="0.99"}`)).toBeCloseTo(health.lag.day.p99Ms! / 1000, 0);
    expect((await db.prisma.orderSync.findUniqueOrThrow({ where: { id: before.id } })).erpCommittedAt).toEqual(before.erpCommittedAt);
  });

  it("reports the oldest order still waiting: since placed, or since imported for a backfilled order", async () => {
    const now = Date.now();
    await byWebhook(new Date(now - 90 * MIN));
    await byWebhook(new Date(now - 10 * MIN));
    // Imported from last month today: it has waited since the import, not since last month.
    await bySnapshot("backfill", new Date(now - 30 * 24 * 60 * MIN));
    const health = await loadDeliveryHealth(db.prisma, shop, new Date(now));
    expect(health.backlog.waiting).toBe(3);
    expect(health.backlog.oldestAgeMs).toBeGreaterThanOrEqual(90 * MIN - 1_000);
    expect(health.backlog.oldestAgeMs).toBeLessThan(91 * MIN);

    const { worker } = makeWorker(db.prisma, provider);
    await drain(worker);
    const after = await loadDeliveryHealth(db.prisma, shop, new Date());
    expect(after.backlog).toEqual({ waiting: 0, oldestAgeMs: null });
    const text = await scrape();
    expect(sample(text, `erp_sync_health_waiting_orders{shop="${shop}"}`)).toBe(0);
  });
});
