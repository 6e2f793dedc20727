// Delivery health alerts on a real database with a chat webhook on loopback
// that this test starts itself: the merchant's limits are validated next to
// their fields; crossing a limit sends one message, staying over it sends
// nothing more, getting back within it sends one "back within your limits";
// a webhook that is down loses nothing (the next check sends it).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AlertSenders } from "../../app/alerts/alert-check.server";
import { createWebhookSender } from "../../app/alerts/alert-senders.server";
import { loadAlertSettings, saveAlertSettings } from "../../app/alerts/alert-settings.server";
import { checkHealthAlert } from "../../app/alerts/health-alert.server";
import { startAlertJob } from "../../app/jobs/alert-job";
import { createLogger } from "../../app/logging/logger";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { seedLedger } from "../ui/seed";

const loopbackGuard = { allowPrivate: true, requireHttps: false };
let db: TestDatabase;
let webhook: Server;
let webhookUrl: string;
let webhookStatus = 200;
const posts: Array<{ text?: string }> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  webhook = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      posts.push(JSON.parse(body));
      res.writeHead(webhookStatus).end(webhookStatus === 200 ? "ok" : "down");
    });
  });
  await new Promise<void>((r) => webhook.listen(0, "127.0.0.1", r));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/services/health`;
});
afterAll(async () => {
  await new Promise((r) => webhook.close(r));
  await db.cleanup();
});
beforeEach(() => {
  posts.length = 0;
  webhookStatus = 200;
});

let n = 0;
const newShop = () => `health-alerts-${++n}.myshopify.com`;
const senders = (): AlertSenders => ({ webhook: createWebhookSender({ guard: loopbackGuard }), email: null });
const MIN = 60_000;

describe("delivery health limits in the alert settings", () => {
  it("validates each limit next to its field and saves them", async () => {
    const shop = newShop();
    const bad = await saveAlertSettings(db.prisma, shop, { lostWebhookPercent: "150", lagMinutes: "soon", backlogMinutes: "1" }, { guard: loopbackGuard });
    expect(bad).toMatchObject({
      ok: false,
      fieldErrors: {
        lostWebhookPercent: expect.stringMatching(/between 1 and 100/),
        lagMinutes: expect.stringMatching(/between 1 and 10080/),
        backlogMinutes: expect.stringMatching(/between 5 and 43200/),
      },
    });
    expect(await saveAlertSettings(db.prisma, shop, { webhookUrl, lostWebhookPercent: "5", lagMinutes: "30", backlogMinutes: "" }, { guard: loopbackGuard })).toMatchObject({ ok: true });
    expect(await loadAlertSettings(db.prisma, shop)).toMatchObject({ lostWebhookPercent: 5, lagMinutes: 30, backlogMinutes: null });
  });
});

describe("delivery health alerts", () => {
  it("raises the backlog alert once, stays quiet while it lasts, and clears it once when the orders are sent", async () => {
    const shop = newShop();
    await saveAlertSettings(db.prisma, shop, { webhookUrl, attentionThreshold: "0", backlogMinutes: "60" }, { guard: loopbackGuard });
    const now = new Date();
    const waiting = await seedLedger(db.prisma, [
      { shop, state: "pending", shopifyCreatedAt: new Date(now.getTime() - 90 * MIN), firstSeenBy: "webhook" },
      { shop, state: "retrying", shopifyCreatedAt: new Date(now.getTime() - 10 * MIN), firstSeenBy: "webhook" },
    ]);
    const deps = { prisma: db.prisma, senders: senders(), now };
    const first = await checkHealthAlert(deps, shop);
    expect(first).toMatchObject({ raised: ["backlog"], cleared: [], delivered: ["webhook"] });
    expect(posts).toHaveLength(1);
    expect(posts[0].text).toMatch(/2 orders are waiting to reach the ERP; the oldest has waited 2 hours \(your limit: 60 min\)/);

    expect(await checkHealthAlert({ ...deps, now: new Date(now.getTime() + 5 * MIN) }, shop)).toMatchObject({ raised: [], cleared: [] });
    expect(posts).toHaveLength(1);

    await db.prisma.orderSync.updateMany({ where: { id: { in: waiting.map((w) => w.id) } }, data: { state: "synced" } });
    const cleared = await checkHealthAlert({ ...deps, now: new Date(now.getTime() + 10 * MIN) }, shop);
    expect(cleared).toMatchObject({ raised: [], cleared: ["backlog"], delivered: ["webhook"] });
    expect(posts[1].text).toMatch(/back within|No order has been waiting long any more/);
    expect(await checkHealthAlert({ ...deps, now: new Date(now.getTime() + 15 * MIN) }, shop)).toMatchObject({ raised: [], cleared: [] });
    expect(posts).toHaveLength(2);
  });

  it("raises lost webhooks above the merchant's share, and tries again when the webhook was down", async () => {
    const shop = newShop();
    await saveAlertSettings(db.prisma, shop, { webhookUrl, attentionThreshold: "0", lostWebhookPercent: "20" }, { guard: loopbackGuard });
    const placed = new Date(Date.now() - 2 * 60 * MIN);
    await seedLedger(db.prisma, [
      ...Array.from({ length: 7 }, () => ({ shop, state: "synced", shopifyCreatedAt: placed, firstSeenBy: "webhook" })),
      ...Array.from({ length: 3 }, () => ({ shop, state: "synced", shopifyCreatedAt: placed, firstSeenBy: "reconciliation" })),
    ]);
    webhookStatus = 503;
    const down = await checkHealthAlert({ prisma: db.prisma, senders: senders() }, shop);
    expect(down.delivered).toEqual([]);
    expect((await db.prisma.alertSettings.findUniqueOrThrow({ where: { shop } })).healthRaised).toBe("");
    webhookStatus = 200;
    posts.length = 0;
    // The worker's alert job sends it at its next round.
    const job = startAlertJob({ prisma: db.prisma, logger: createLogger({ level: "silent" }), senders: senders(), everyMs: 3_600_000 });
    await db.prisma.session.create({
      data: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: "shpat_x" },
    });
    await db.prisma.shopSettings.create({ data: { shop, connectorType: "generic-http" } });
    try {
      await job.checkAll();
    } finally {
      await job.stop();
    }
    const sent = posts.filter((p) => p.text?.includes("never arrived by webhook"));
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toMatch(/3 of the last 24 hours' 10 orders \(30\.0 %\) never arrived by webhook/);
    expect((await db.prisma.alertSettings.findUniqueOrThrow({ where: { shop } })).healthRaised).toBe("lost_webhooks");
  });
});
