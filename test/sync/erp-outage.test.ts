// A shop's whole ERP down for a while, on the virtual clock (the worker and
// the fake ERP share a TestClock; the fake ERP refuses every call until a
// time T): the shop's sends pause, one order at a time probes the ERP at a
// growing, capped interval, no order ends `failed`, staff get one message when
// it goes down and one when it is back, the dashboard and /metrics say so,
// and once it answers every order is sent exactly once. The breaker lives in
// the database: a worker restarted mid-outage keeps the shop paused, and two
// workers with their own connection pools probe one at a time.
// Runs on SQLite, and on PostgreSQL with TEST_DATABASE=postgres.
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkShopAlerts, type AlertSenders } from "../../app/alerts/alert-check.server";
import type { AlertMessage } from "../../app/alerts/alert-message";
import { saveAlertSettings } from "../../app/alerts/alert-settings.server";
import { checkErpOutageAlert } from "../../app/alerts/erp-outage-alert.server";
import { erpDownTitle } from "../../app/components/erp-down";
import { createPrismaClient } from "../../app/db/client";
import { createLogger } from "../../app/logging/logger";
import { backoffCeilingMs, backoffFloorMs } from "../../app/lib/backoff";
import { loadDashboard } from "../../app/models/dashboard.server";
import { renderMetrics } from "../../app/observability/metrics";
import { createErpBreaker, DEFAULT_BREAKER_POLICY } from "../../app/sync/delivery/erp-breaker";
import { recordWebhookEvent } from "../../app/sync/intake/intake";
import type { SyncWorker } from "../../app/sync/worker/worker";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { FakeErp } from "../../testkit/fake-erp";
import { mulberry32 } from "../../testkit/seeded-random";
import { makeOrder, webhookInput } from "../../testkit/shopify-payloads";
import { makeWorker, TestClock } from "./harness";
import { TestConfigProvider } from "../../testkit/test-config-provider";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PROBE = DEFAULT_BREAKER_POLICY.probe;
const loopbackGuard = { allowPrivate: true, requireHttps: false };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.cleanup());

let nextOrderId = 7300000000000000001n;
async function receiveOrders(shop: string, count: number): Promise<string[]> {
  const externalIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const order = makeOrder({ id: nextOrderId++, name: `#${nextOrderId % 100000n}` });
    await recordWebhookEvent(db.prisma, webhookInput(shop, "orders/create", order));
    externalIds.push(`shopify-${order.id}`);
  }
  return externalIds;
}

/** Most probes the breaker may send in `ms` after opening: every gap at least its floor. */
function mostProbesWithin(ms: number): number {
  let probes = 0;
  for (let at = backoffFloorMs(1, PROBE); at <= ms; at += backoffFloorMs(probes + 1, PROBE)) probes++;
  return probes;
}

function gauge(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return Number(line?.split(" ")[1]);
}

async function health(shop: string) {
  return db.prisma.erpHealth.findUnique({ where: { shop } });
}

describe("ERP outage", () => {
  it("a 1-hour outage: sends pause, the ERP is probed at a capped rate, one alert each way, every order synced, none failed", async () => {
    const shop = "outage-hour.myshopify.com";
    const clock = new TestClock();
    const erp = new FakeErp({ now: () => clock.ms });
    const provider = new TestConfigProvider().set(shop, { erp });
    await saveAlertSettings(db.prisma, shop, { webhookUrl: "http://127.0.0.1:9/hooks/ops", attentionThreshold: "1", noSyncMinutes: "30" }, { guard: loopbackGuard });
    const messages: AlertMessage[] = [];
    const senders: AlertSenders = { webhook: async (_url, message) => void messages.push(message), email: null };
    const newWorker = () => makeWorker(db.prisma, provider, { now: clock.now, random: mulberry32(20) }).worker;

    const start = clock.ms;
    const outageEnds = start + HOUR;
    erp.downUntil(outageEnds);
    const externalIds = await receiveOrders(shop, 40);
    let worker: SyncWorker = newWorker();
    let openedAt: number | null = null;
    let closedAt: number | null = null;
    let midOutage: { title: string; waiting: number; downShops: number; downSeconds: number } | null = null;
    const stepMs = 10_000;
    for (let nextAlertCheck = start; clock.ms < outageEnds + 30 * MINUTE; clock.advance(stepMs)) {
      await worker.runOnce();
      const row = await health(shop);
      if (openedAt === null && row?.openedAt) openedAt = row.openedAt.getTime();
      if (openedAt !== null && closedAt === null && !row?.openedAt) closedAt = clock.ms;
      if (clock.ms >= nextAlertCheck) {
        // The worker's alert job, once a minute.
        await checkErpOutageAlert({ prisma: db.prisma, senders, now: clock.now() }, shop);
        await checkShopAlerts({ prisma: db.prisma, senders, now: clock.now() }, shop);
        nextAlertCheck += MINUTE;
      }
      if (midOutage === null && clock.ms >= start + 20 * MINUTE) {
        externalIds.push(...(await receiveOrders(shop, 10))); // orders keep coming during the outage
        const dashboard = await loadDashboard(db.prisma, shop, "24h", clock.now());
        const metrics = (await renderMetrics(db.prisma, clock.now())).body;
        midOutage = {
          title: erpDownTitle(dashboard.health.erpDownSince!, dashboard.health.backlogCount, clock.now()),
          waiting: dashboard.health.backlogCount,
          downShops: gauge(metrics, "erp_sync_erp_down_shops"),
          downSeconds: gauge(metrics, "erp_sync_erp_down_longest_seconds"),
        };
        worker = newWorker(); // a restart: the pause is in the database, not in the old worker
      }
    }

    console.info(
      `[erp-outage] 1-hour outage: opened ${(openedAt! - start) / 1000} s in after ${erp.calls.filter((c) => c.startedAt <= openedAt!).length} calls, ` +
        `${erp.calls.filter((c) => c.startedAt > openedAt! && c.startedAt < outageEnds).length} probes while down, closed ${(closedAt! - outageEnds) / 1000} s after the ERP came back`,
    );
    // Every order reached the ERP exactly once; none ever failed.
    const states = await db.prisma.orderSync.groupBy({ by: ["state"], where: { shop }, _count: { _all: true } });
    expect(states.map((s) => [s.state, s._count._all])).toEqual([["synced", 50]]);
    for (const externalId of externalIds) expect(erp.documentsFor(externalId)).toHaveLength(1);
    expect(await db.prisma.syncAttempt.count({ where: { shop, outcome: "failed" } })).toBe(0);

    // The breaker opened within the first seconds and closed soon after the ERP came back (next probe: at most 15 minutes).
    expect(openedAt).not.toBeNull();
    expect(openedAt! - start).toBeLessThanOrEqual(2 * stepMs);
    // A probe may land on the very step the ERP comes back; it closes the breaker then, never before.
    expect(closedAt! - outageEnds).toBeGreaterThanOrEqual(0);
    expect(closedAt! - outageEnds).toBeLessThanOrEqual(PROBE.maxMs + stepMs);
    expect((await health(shop))?.openedAt).toBeNull();

    // Not hammered: up to the opening, one claim's worth of calls beyond the threshold; after it, probes alone.
    const callsUntilOpen = erp.calls.filter((c) => c.startedAt <= openedAt!);
    expect(callsUntilOpen.length).toBeLessThanOrEqual(DEFAULT_BREAKER_POLICY.openAfterFailures + 8);
    const probes = erp.calls.filter((c) => c.startedAt > openedAt! && c.startedAt < outageEnds);
    expect(probes.length).toBeGreaterThanOrEqual(mostProbesWithin(outageEnds - openedAt!) / 2);
    expect(probes.length).toBeLessThanOrEqual(mostProbesWithin(outageEnds - openedAt!));
    // Each probe waited at least its floor and at most its ceiling (15 minutes at most) after the one before.
    const probeTimes = [openedAt!, ...probes.map((c) => c.startedAt)];
    for (let n = 1; n < probeTimes.length; n++) {
      const gap = probeTimes[n] - probeTimes[n - 1];
      expect(gap).toBeGreaterThanOrEqual(backoffFloorMs(n, PROBE));
      expect(gap).toBeLessThanOrEqual(backoffCeilingMs(n, PROBE) + stepMs);
    }
    // Waiting orders were not charged attempts: while paused, the probes are the only attempts.
    const attemptsWhilePaused = await db.prisma.syncAttempt.count({ where: { shop, startedAt: { gt: new Date(openedAt!), lt: new Date(outageEnds) } } });
    expect(attemptsWhilePaused).toBe(probes.length);

    // One message when it went down, one when it came back: nothing per order, no "nothing synced" on top.
    expect(messages.map((m) => m.subject)).toEqual([
      `ERP Order Sync: your ERP is not answering (${shop})`,
      `ERP Order Sync: your ERP answers again (${shop})`,
    ]);
    expect(messages[0].text).toContain("40 orders are waiting and will be sent by themselves when it answers");
    expect(messages[1].text).toMatch(/answers ERP Order Sync for .* again since \d\d:\d\d UTC\. Sending has resumed/);

    // The dashboard and /metrics during the outage.
    const since = new Date(start).toISOString().slice(11, 16);
    expect(midOutage).toEqual({
      title: `Your ERP is not answering since ${since} UTC; 50 orders are waiting and will be sent when it answers`,
      waiting: 50,
      downShops: 1,
      downSeconds: 20 * 60,
    });
    const after = (await renderMetrics(db.prisma, clock.now())).body;
    expect(gauge(after, "erp_sync_erp_down_shops")).toBe(0);
  });

  it("the dashboard's words name the day when the outage began on an earlier one, and count one order in the singular", () => {
    const now = new Date("2026-12-02T09:30:00Z");
    expect(erpDownTitle("2026-12-01T14:02:10Z", 1, now)).toBe(
      "Your ERP is not answering since Dec 1, 14:02 UTC; 1 order is waiting and will be sent when it answers",
    );
  });

  it("an outage longer than the retry window fails no order: they are sent when the ERP answers", async () => {
    const shop = "outage-long.myshopify.com";
    const clock = new TestClock();
    const erp = new FakeErp({ now: () => clock.ms });
    // A 1-hour window (the shortest allowed) and a 3-hour outage.
    const { worker } = makeWorker(db.prisma, new TestConfigProvider().set(shop, { erp, rules: { retry: { maxAgeHours: 1 } } }), { now: clock.now, random: mulberry32(7) });
    const outageEnds = clock.ms + 3 * HOUR;
    erp.downUntil(outageEnds);
    const externalIds = await receiveOrders(shop, 12);
    let failedSeen = 0;
    for (const end = outageEnds + 20 * MINUTE; clock.ms < end; clock.advance(MINUTE)) {
      await worker.runOnce();
      failedSeen += await db.prisma.orderSync.count({ where: { shop, state: "failed" } });
    }
    expect(failedSeen).toBe(0);
    expect(await db.prisma.orderSync.count({ where: { shop, state: "synced" } })).toBe(12);
    for (const externalId of externalIds) expect(erp.documentsFor(externalId)).toHaveLength(1);
    // The probes did run past the window: the rule "nothing fails while the ERP is down" was what held them.
    const lastProbe = erp.calls.filter((c) => c.startedAt < outageEnds).at(-1)!;
    const firstAttempt = erp.calls[0].startedAt;
    expect(lastProbe.startedAt - firstAttempt).toBeGreaterThan(2 * HOUR);
  });

  it("one order the ERP keeps refusing is not an outage: the other orders keep flowing", async () => {
    const shop = "outage-one-order.myshopify.com";
    const clock = new TestClock();
    const erp = new FakeErp({ now: () => clock.ms });
    const { worker } = makeWorker(db.prisma, new TestConfigProvider().set(shop, { erp }), { now: clock.now, random: mulberry32(3) });
    const [poisoned] = await receiveOrders(shop, 1);
    erp.downUntil(Infinity, poisoned);
    for (let round = 0; round < 30; round++) {
      await worker.runOnce();
      clock.advance(MINUTE);
    }
    // Thirty failures of one order count once.
    expect(await health(shop)).toMatchObject({ openedAt: null, failureStreak: 1 });
    const others = await receiveOrders(shop, 5);
    for (let round = 0; round < 3; round++) {
      await worker.runOnce();
      clock.advance(MINUTE);
    }
    // Never opened (closedAt would tell an outage that came and went); their answers reset the count.
    expect(await health(shop)).toMatchObject({ openedAt: null, closedAt: null, failureStreak: 0 });
    for (const externalId of others) expect(erp.documentsFor(externalId)).toHaveLength(1);
    expect(await db.prisma.orderSync.count({ where: { shop, state: "retrying" } })).toBe(1);
  });

  it("a burst of failures within a moment is not an outage; the same streak lasting 5 s is", async () => {
    const shop = "outage-burst.myshopify.com";
    const clock = new TestClock();
    const breaker = createErpBreaker({ prisma: db.prisma, logger: createLogger({ level: "silent" }), now: clock.now, probeLeaseMs: 60_000 });
    for (let order = 1; order <= 15; order++) await breaker.record(shop, `order-${order}`, "unavailable", clock.now());
    expect(await health(shop)).toMatchObject({ failureStreak: 15, openedAt: null });
    clock.advance(DEFAULT_BREAKER_POLICY.openAfterMs);
    await breaker.record(shop, "order-1", "unavailable", clock.now());
    expect((await health(shop))?.openedAt?.getTime()).toBe(clock.ms);
    expect(breaker.isOpen(shop)).toBe(true);
    // An answer to a request sent before the opening does not close it; one sent after does.
    await breaker.record(shop, "order-2", "answered", new Date(clock.ms - 1));
    expect(breaker.isOpen(shop)).toBe(true);
    clock.advance(1_000);
    await breaker.record(shop, "order-3", "answered", clock.now());
    expect(await health(shop)).toMatchObject({ openedAt: null, failureStreak: 0, closedAt: clock.now() });
  });

  it("two workers with their own connection pools share the breaker: one probe at a time, no more probes than one worker sends", async () => {
    const shop = "outage-two-workers.myshopify.com";
    const clock = new TestClock();
    // Each call takes real time, so two probes at once would overlap.
    const erp = new FakeErp({ now: () => clock.ms, latencyMs: 25 });
    const provider = new TestConfigProvider().set(shop, { erp });
    const second: PrismaClient = createPrismaClient(db.url);
    try {
      const workers = [db.prisma, second].map(
        (prisma, i) => makeWorker(prisma, provider, { now: clock.now, workerId: `machine-${i + 1}`, random: mulberry32(11 + i) }).worker,
      );
      const start = clock.ms;
      const outageEnds = start + 30 * MINUTE;
      erp.downUntil(outageEnds);
      const externalIds = await receiveOrders(shop, 30);
      let openedAt: number | null = null;
      let maxInFlightWhilePaused = 0;
      for (const end = outageEnds + 20 * MINUTE; clock.ms < end; clock.advance(10_000)) {
        const pausedBefore = (await health(shop))?.openedAt ?? null;
        if (pausedBefore) erp.maxInFlight = 0;
        await Promise.all(workers.map((w) => w.runOnce()));
        if (pausedBefore) {
          openedAt ??= pausedBefore.getTime();
          maxInFlightWhilePaused = Math.max(maxInFlightWhilePaused, erp.maxInFlight);
        }
      }
      expect(openedAt).not.toBeNull();
      expect(maxInFlightWhilePaused).toBe(1);
      const probes = erp.calls.filter((c) => c.startedAt > openedAt! && c.startedAt < outageEnds);
      expect(probes.length).toBeGreaterThan(0);
      expect(probes.length).toBeLessThanOrEqual(mostProbesWithin(outageEnds - openedAt!));
      expect(await db.prisma.orderSync.count({ where: { shop, state: "synced" } })).toBe(30);
      for (const externalId of externalIds) expect(erp.documentsFor(externalId)).toHaveLength(1);
      expect(erp.maxInFlightPerOrder).toBe(1);
    } finally {
      await second.$disconnect();
    }
  });
});
