// Alerts end to end on a real database: settings validated next to each field
// (webhook through the URL guard, stored encrypted), a Slack-style webhook and
// an SMTP server on loopback that this test starts itself (beforeAll), one
// message for a lasting problem instead of one a minute, and a webhook that is
// down does not swallow the alert.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkShopAlerts, type AlertSenders } from "../../app/alerts/alert-check.server";
import { createEmailSender, createWebhookSender } from "../../app/alerts/alert-senders.server";
import { loadAlertSettings, saveAlertSettings } from "../../app/alerts/alert-settings.server";
import { checkErpOutageAlert } from "../../app/alerts/erp-outage-alert.server";
import { startAlertJob } from "../../app/jobs/alert-job";
import { createLogger } from "../../app/logging/logger";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";
import { seedLedger } from "../ui/seed";

const loopbackGuard = { allowPrivate: true, requireHttps: false };
const quiet = createLogger({ level: "silent" });

let db: TestDatabase;
let webhook: Server;
let webhookUrl: string;
let webhookStatus = 200;
/** Set: the webhook answers with a redirect to this address. */
let webhookRedirect: string | null = null;
const posts: { path: string; body: unknown }[] = [];
let smtp: SMTPServer;
let smtpPort: number;
const mails: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  webhook = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      posts.push({ path: req.url ?? "", body: JSON.parse(body) });
      if (webhookRedirect) res.writeHead(307, { location: webhookRedirect }).end();
      else res.writeHead(webhookStatus).end(webhookStatus === 200 ? "ok" : "down");
    });
  });
  await new Promise<void>((r) => webhook.listen(0, "127.0.0.1", r));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/services/T000/B000/secretpath`;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      let text = "";
      stream.on("data", (c) => (text += c));
      stream.on("end", () => {
        mails.push(text);
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => webhook.close(r));
  await new Promise<void>((r) => smtp.close(() => r()));
  await db.cleanup();
});
beforeEach(() => {
  posts.length = 0;
  mails.length = 0;
  webhookStatus = 200;
  webhookRedirect = null;
});

let n = 0;
const newShop = () => `alerts-${++n}.myshopify.com`;
const senders = (): AlertSenders => ({
  webhook: createWebhookSender({ guard: loopbackGuard }),
  email: createEmailSender({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: "alerts@example.com" }),
});

describe("alert settings", () => {
  it("shows each problem next to its field and saves nothing", async () => {
    const shop = newShop();
    const result = await saveAlertSettings(
      db.prisma,
      shop,
      { emails: "ops@example.com, not-an-address", webhookUrl: "http://169.254.169.254/latest/meta-data", attentionThreshold: "ten", noSyncMinutes: "3" },
      { guard: loopbackGuard },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.emails).toBe('"not-an-address" is not an e-mail address. Separate several addresses with commas.');
    expect(result.fieldErrors.webhookUrl).toMatch(/metadata/i);
    expect(result.fieldErrors.attentionThreshold).toBe("Enter a whole number (0 turns this alert off).");
    expect(result.fieldErrors.noSyncMinutes).toMatch(/between 10 and 10080/);
    expect(await db.prisma.alertSettings.count({ where: { shop } })).toBe(0);
  });

  it("refuses e-mail addresses while the server has no SMTP set up", async () => {
    const result = await saveAlertSettings(db.prisma, newShop(), { emails: "ops@example.com" }, { guard: loopbackGuard, emailAvailable: false });
    expect(result).toMatchObject({ ok: false, fieldErrors: { emails: expect.stringMatching(/not set up on this app's server/) } });
  });

  it("stores the webhook encrypted, shows only its host, keeps it when left empty and removes it on request", async () => {
    const shop = newShop();
    const saved = await saveAlertSettings(db.prisma, shop, { emails: "ops@example.com", webhookUrl, attentionThreshold: "5", noSyncMinutes: "60" }, { guard: loopbackGuard });
    expect(saved).toMatchObject({ ok: true, settings: { webhookSet: true, webhookHost: new URL(webhookUrl).host, attentionThreshold: 5, noSyncMinutes: 60, emails: "ops@example.com" } });
    const raw = await db.prisma.alertSettings.findUniqueOrThrow({ where: { shop } });
    expect(raw.webhookUrl).not.toContain("secretpath");
    expect(JSON.stringify(await loadAlertSettings(db.prisma, shop))).not.toContain("secretpath");

    await saveAlertSettings(db.prisma, shop, { emails: "", webhookUrl: "", attentionThreshold: "7", noSyncMinutes: "" }, { guard: loopbackGuard });
    expect(await loadAlertSettings(db.prisma, shop)).toMatchObject({ webhookSet: true, attentionThreshold: 7, noSyncMinutes: null, emails: "" });
    await saveAlertSettings(db.prisma, shop, { removeWebhook: true, attentionThreshold: "7" }, { guard: loopbackGuard });
    expect(await loadAlertSettings(db.prisma, shop)).toMatchObject({ webhookSet: false, webhookHost: null });
  });
});

describe("alert delivery", () => {
  it("sends one webhook message and one e-mail for a lasting problem, then stays quiet for an hour", async () => {
    const shop = newShop();
    await saveAlertSettings(db.prisma, shop, { emails: "ops@example.com", webhookUrl, attentionThreshold: "3" }, { guard: loopbackGuard });
    await seedLedger(db.prisma, [
      { shop, state: "needs_attention" },
      { shop, state: "failed" },
      { shop, state: "needs_attention" },
      { shop, state: "synced" },
    ]);
    const t0 = new Date("2026-11-25T12:00:00Z");
    const first = await checkShopAlerts({ prisma: db.prisma, senders: senders(), now: t0 }, shop);
    expect(first).toEqual({ reasons: ["attention"], delivered: ["webhook", "email"], failures: [] });
    expect(posts).toHaveLength(1);
    const text = (posts[0].body as { text: string }).text;
    expect(Object.keys(posts[0].body as object)).toEqual(["text"]);
    expect(text).toContain(`3 orders need attention in ERP Order Sync for ${shop}`);
    expect(text).toContain(`https://${shop}/admin/apps/`);
    expect(text).toContain("/app/orders?state=needs_attention&state=failed");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/Subject: ERP Order Sync: 3 orders need attention/);
    expect(mails[0]).toMatch(/To: ops@example\.com/);

    for (let minute = 1; minute <= 59; minute += 1) {
      await checkShopAlerts({ prisma: db.prisma, senders: senders(), now: new Date(t0.getTime() + minute * 60_000) }, shop);
    }
    expect(posts).toHaveLength(1);
    await checkShopAlerts({ prisma: db.prisma, senders: senders(), now: new Date(t0.getTime() + 61 * 60_000) }, shop);
    expect(posts).toHaveLength(2);
    expect(await db.prisma.alertSettings.findUniqueOrThrow({ where: { shop } })).toMatchObject({ lastAlertReason: "attention" });
  });

  it("tries again at the next check when the webhook is down, without leaking its address", async () => {
    const shop = newShop();
    await saveAlertSettings(db.prisma, shop, { webhookUrl, attentionThreshold: "1" }, { guard: loopbackGuard });
    await seedLedger(db.prisma, [{ shop, state: "failed" }]);
    webhookStatus = 503;
    const down = await checkShopAlerts({ prisma: db.prisma, senders: senders() }, shop);
    expect(down.delivered).toEqual([]);
    expect(down.failures[0]).toMatch(/answered HTTP 503/);
    expect(down.failures[0]).not.toContain("secretpath");
    expect((await db.prisma.alertSettings.findUniqueOrThrow({ where: { shop } })).lastAlertAt).toBeNull();
    webhookStatus = 200;
    expect((await checkShopAlerts({ prisma: db.prisma, senders: senders() }, shop)).delivered).toEqual(["webhook"]);
  });

  it("does not follow a webhook that answers with a redirect, and says what to enter instead", async () => {
    const shop = newShop();
    await saveAlertSettings(db.prisma, shop, { webhookUrl, attentionThreshold: "1" }, { guard: loopbackGuard });
    await seedLedger(db.prisma, [{ shop, state: "failed" }]);
    webhookRedirect = `${new URL(webhookUrl).origin}/elsewhere`;
    const redirected = await checkShopAlerts({ prisma: db.prisma, senders: senders() }, shop);
    expect(redirected.delivered).toEqual([]);
    expect(redirected.failures[0]).toMatch(/answered with a redirect, which the app does not follow\. Enter the webhook's final address in Settings\./);
    expect(redirected.failures[0]).not.toContain("secretpath");
    expect(posts.map((p) => p.path)).toEqual([new URL(webhookUrl).pathname]);
  });

  it("tells of an ERP outage once and of its end once, through every channel, and tries again when no channel took it", async () => {
    const shop = newShop();
    await saveAlertSettings(db.prisma, shop, { emails: "ops@example.com", webhookUrl, attentionThreshold: "0", noSyncMinutes: "10" }, { guard: loopbackGuard });
    await seedLedger(db.prisma, [
      { shop, state: "retrying", firstAttemptAt: new Date("2026-11-25T13:59:00Z") },
      { shop, state: "pending" },
    ]);
    const down = new Date("2026-11-25T14:02:00Z");
    await db.prisma.erpHealth.create({ data: { shop, failureStreak: 10, failingSince: down, openedAt: new Date(down.getTime() + 8_000) } });
    const at = (minutes: number) => new Date(down.getTime() + minutes * 60_000);
    const check = async (minutes: number) => {
      await checkErpOutageAlert({ prisma: db.prisma, senders: senders(), now: at(minutes) }, shop);
      return checkShopAlerts({ prisma: db.prisma, senders: senders(), now: at(minutes) }, shop);
    };

    webhookStatus = 503;
    expect(await checkErpOutageAlert({ prisma: db.prisma, senders: senders(), now: at(1) }, shop)).toMatchObject({ notice: "erp_down", delivered: ["email"] });
    // The e-mail took it: it counts as told, the webhook is not retried for it.
    expect(posts).toHaveLength(1); // the refused one
    posts.length = 0;
    webhookStatus = 200;
    for (let minute = 2; minute <= 60; minute++) await check(minute);
    expect(posts).toHaveLength(0); // and no "nothing synced" on top of the outage message
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/Subject: ERP Order Sync: your ERP is not answering/);
    expect(mails[0].replace(/=\r\n/g, "")).toContain("2 orders are waiting and will be sent by themselves"); // quoted-printable lines joined

    await db.prisma.erpHealth.update({ where: { shop }, data: { openedAt: null, closedAt: at(61), failureStreak: 0 } });
    webhookStatus = 503;
    const unsent = await checkErpOutageAlert({ prisma: db.prisma, senders: { ...senders(), email: null }, now: at(62) }, shop);
    expect(unsent).toMatchObject({ notice: "erp_back", delivered: [] });
    posts.length = 0;
    webhookStatus = 200;
    for (let minute = 63; minute <= 70; minute++) await check(minute);
    expect(posts).toHaveLength(1);
    expect((posts[0].body as { text: string }).text).toContain("again since 15:03 UTC. Sending has resumed: 2 orders are being sent now.");
    expect(mails).toHaveLength(2);
    expect(mails[1]).toMatch(/Subject: ERP Order Sync: your ERP answers again/);
  });

  it("the worker's alert job alerts syncing shops about orders stuck without a sync", async () => {
    const shop = newShop();
    const notInstalled = newShop();
    await db.prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: "x" } });
    await db.prisma.shopSettings.create({ data: { shop, connectorType: "generic-http" } });
    for (const s of [shop, notInstalled]) {
      await saveAlertSettings(db.prisma, s, { webhookUrl, attentionThreshold: "0", noSyncMinutes: "30" }, { guard: loopbackGuard });
      await seedLedger(db.prisma, [{ shop: s, state: "retrying", firstAttemptAt: new Date(Date.now() - 45 * 60_000) }]);
    }
    const job = startAlertJob({ prisma: db.prisma, logger: quiet, senders: senders(), everyMs: 20 });
    try {
      const until = Date.now() + 5000;
      while (posts.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100)); // a few more rounds: still one message
    } finally {
      await job.stop();
    }
    expect(posts).toHaveLength(1);
    expect((posts[0].body as { text: string }).text).toMatch(new RegExp(`No order has reached your ERP for 45 minutes while 1 order is waiting for ${shop.replace(/\./g, "\\.")}`));
  });
});
