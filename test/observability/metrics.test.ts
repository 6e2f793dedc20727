// /metrics as Prometheus scrapes it: queue depth by state, recent attempts by
// outcome, ERP attempt duration quantiles, worker heartbeat age, webhook ack
// latency; counts only (shop names only on the per-shop health series); bearer-protected with METRICS_TOKEN.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordWorkerHeartbeat } from "../../app/observability/heartbeat";
import { observeWebhookAck, quantile } from "../../app/observability/metrics";
import type { TestDatabase } from "../../testkit/db";
import { overrideAppConfig } from "../support/app-env";
import { useTestDatabaseForApp } from "../support/app-modules";

const SHOP = "secret-shop-name.myshopify.com";
let db: TestDatabase;
let loader: (args: { request: Request }) => Promise<Response>;

beforeAll(async () => {
  db = await useTestDatabaseForApp();
  ({ loader } = await import("../../app/routes/metrics"));
});
afterAll(() => db.cleanup());
let restoreConfig = () => {};
afterEach(() => restoreConfig());

async function scrape(headers: Record<string, string> = {}) {
  const response = await loader({ request: new Request("https://app.example.com/metrics", { headers }) });
  return { status: response.status, text: await response.text(), type: response.headers.get("Content-Type") };
}

/** The value of one sample line, e.g. value(text, 'erp_sync_orders{state="synced"}'). */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series} in:\n${text.slice(0, 2000)}`);
  const raw = line.slice(series.length + 1).trim();
  return raw === "+Inf" ? Number.POSITIVE_INFINITY : raw === "-Inf" ? Number.NEGATIVE_INFINITY : Number(raw);
}

let seq = 0;
async function ledgerRow(state: string, extra: Record<string, unknown> = {}) {
  seq++;
  return db.prisma.orderSync.create({
    data: {
      shop: SHOP,
      orderId: String(9000 + seq),
      orderGid: `gid://shopify/Order/${9000 + seq}`,
      orderName: `#${9000 + seq}`,
      externalId: `shopify-${9000 + seq}`,
      snapshot: "{}",
      sourceUpdatedAt: new Date(),
      state,
      ...extra,
    },
  });
}

async function attempt(orderSyncId: string, outcome: string, startedAt: Date, durationMs: number | null) {
  await db.prisma.syncAttempt.create({
    data: {
      shop: SHOP,
      orderSyncId,
      externalId: "x",
      localId: "x",
      operation: "create",
      startedAt,
      endedAt: durationMs === null ? null : new Date(startedAt.getTime() + durationMs),
      attemptNumber: 1,
      outcome,
    },
  });
}

describe("/metrics", () => {
  it("reports queue depth, due work, recent attempts and ERP durations from the database", async () => {
    const now = Date.now();
    const synced = await ledgerRow("synced");
    await ledgerRow("synced");
    await ledgerRow("needs_attention");
    await ledgerRow("pending", { nextAttemptAt: new Date(now - 30_000) });
    await ledgerRow("retrying", { nextAttemptAt: new Date(now + 600_000) }); // not due yet
    // Ten attempts in the window taking 100..1000 ms, one an hour ago (outside).
    for (let i = 1; i <= 10; i++) await attempt(synced.id, i <= 8 ? "synced" : "retrying", new Date(now - i * 1000 - 2000), i * 100);
    await attempt(synced.id, "failed", new Date(now - 3_600_000), 50_000);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.type).toContain("text/plain");
    expect(value(res.text, 'erp_sync_orders{state="synced"}')).toBe(2);
    expect(value(res.text, 'erp_sync_orders{state="needs_attention"}')).toBe(1);
    expect(value(res.text, 'erp_sync_orders{state="failed"}')).toBe(0);
    expect(value(res.text, "erp_sync_orders_due")).toBe(1);
    expect(value(res.text, "erp_sync_oldest_due_age_seconds")).toBeGreaterThanOrEqual(29);
    expect(value(res.text, 'erp_sync_attempts_recent{outcome="synced"}')).toBe(8);
    expect(value(res.text, 'erp_sync_attempts_recent{outcome="retrying"}')).toBe(2);
    expect(value(res.text, 'erp_sync_attempts_recent{outcome="failed"}')).toBe(0);
    expect(value(res.text, "erp_sync_attempt_duration_samples_recent")).toBe(10);
    expect(value(res.text, 'erp_sync_attempt_duration_seconds_recent{quantile="0.5"}')).toBeCloseTo(0.5, 3);
    expect(value(res.text, 'erp_sync_attempt_duration_seconds_recent{quantile="0.9"}')).toBeCloseTo(0.9, 3);
    expect(value(res.text, 'erp_sync_attempt_duration_seconds_recent{quantile="1"}')).toBeCloseTo(1.0, 3);
    // Counts only: no order name or id in what a scraper stores; the shop's
    // domain appears only as the label of its delivery-health series.
    const shopLines = res.text.split("\n").filter((l) => l.includes("secret-shop-name"));
    expect(shopLines.length).toBeGreaterThan(0);
    expect(shopLines.every((l) => l.startsWith("erp_sync_health_"))).toBe(true);
    expect(res.text).not.toContain("#900");
  });

  it("reports the newest worker heartbeat's age and how many workers are alive", async () => {
    const before = await scrape();
    expect(value(before.text, "erp_sync_worker_heartbeat_age_seconds")).toBe(Number.POSITIVE_INFINITY);
    expect(value(before.text, "erp_sync_workers_alive")).toBe(0);
    const beatAt = new Date(Date.now() - 20_000);
    await recordWorkerHeartbeat(db.prisma, { workerId: "w1", startedAt: beatAt, now: beatAt });
    await recordWorkerHeartbeat(db.prisma, { workerId: "w2", startedAt: beatAt, now: new Date(Date.now() - 10 * 60_000) });
    const after = await scrape();
    expect(value(after.text, "erp_sync_worker_heartbeat_age_seconds")).toBeGreaterThanOrEqual(19);
    expect(value(after.text, "erp_sync_worker_heartbeat_age_seconds")).toBeLessThan(60);
    expect(value(after.text, "erp_sync_workers_alive")).toBe(1);
  });

  it("reports how many shops' ERPs are not answering and for how long the longest has not", async () => {
    const before = await scrape();
    expect(value(before.text, "erp_sync_erp_down_shops")).toBe(0);
    expect(value(before.text, "erp_sync_erp_down_longest_seconds")).toBe(0);
    const now = Date.now();
    await db.prisma.erpHealth.create({ data: { shop: "down-a.myshopify.com", failingSince: new Date(now - 600_000), openedAt: new Date(now - 590_000) } });
    await db.prisma.erpHealth.create({ data: { shop: "down-b.myshopify.com", failingSince: new Date(now - 60_000), openedAt: new Date(now - 55_000) } });
    // A failure streak below the threshold is not an outage.
    await db.prisma.erpHealth.create({ data: { shop: "flaky.myshopify.com", failureStreak: 3, failingSince: new Date(now - 5_000) } });
    const during = await scrape();
    expect(value(during.text, "erp_sync_erp_down_shops")).toBe(2);
    expect(value(during.text, "erp_sync_erp_down_longest_seconds")).toBeGreaterThanOrEqual(600);
    expect(value(during.text, "erp_sync_erp_down_longest_seconds")).toBeLessThan(660);
    expect(during.text).not.toContain("down-a");
  });

  it("counts webhook acknowledgements in latency buckets by topic and status", async () => {
    observeWebhookAck("orders/create", 200, 0.02);
    observeWebhookAck("ORDERS_CREATE", 200, 0.3);
    observeWebhookAck("orders/create", 401, 0.001);
    observeWebhookAck("<script>/../../etc", 200, 0.01);
    const { text } = await scrape();
    expect(value(text, 'erp_sync_webhook_ack_seconds_count{topic="orders/create",status="200"}')).toBe(1);
    expect(value(text, 'erp_sync_webhook_ack_seconds_bucket{le="0.025",topic="orders/create",status="200"}')).toBe(1);
    expect(value(text, 'erp_sync_webhook_ack_seconds_bucket{le="0.5",topic="orders_create",status="200"}')).toBe(1);
    expect(value(text, 'erp_sync_webhook_ack_seconds_bucket{le="0.25",topic="orders_create",status="200"}')).toBe(0);
    expect(value(text, 'erp_sync_webhook_ack_seconds_count{topic="orders/create",status="401"}')).toBe(1);
    // A made-up topic cannot mint new series.
    expect(value(text, 'erp_sync_webhook_ack_seconds_count{topic="other",status="200"}')).toBe(1);
    expect(text).not.toContain("<script");
  });

  it("asks for the bearer token when METRICS_TOKEN is set", async () => {
    restoreConfig = overrideAppConfig({ METRICS_TOKEN: "s3cret-scrape-token" });
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ Authorization: "Bearer wrong" })).status).toBe(401);
    const ok = await scrape({ Authorization: "Bearer s3cret-scrape-token" });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("erp_sync_orders");
  });

  it("computes quantiles by nearest rank", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});
