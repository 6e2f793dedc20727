// When staff are alerted: thresholds, "nothing synced while orders wait",
// and one message per hour per lasting problem (a new problem is told at once).
import { describe, expect, it } from "vitest";
import { appHomeUrl, composeAlert, composeErpBackAlert, composeErpDownAlert, ordersNeedingAttentionUrl } from "../../app/alerts/alert-message";
import { reasonsThatHold, reasonsToSend, type AlertFacts } from "../../app/alerts/alert-rules";

const now = new Date("2026-11-25T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const facts = (f: Partial<AlertFacts>): AlertFacts => ({ attentionCount: 0, waitingCount: 0, waitingSince: null, lastSyncedAt: null, ...f });

describe("alert rules", () => {
  it("alerts at the attention threshold, and never when it is 0", () => {
    expect(reasonsThatHold(facts({ attentionCount: 9 }), { attentionThreshold: 10, noSyncMinutes: null }, now)).toEqual([]);
    expect(reasonsThatHold(facts({ attentionCount: 10 }), { attentionThreshold: 10, noSyncMinutes: null }, now)).toEqual(["attention"]);
    expect(reasonsThatHold(facts({ attentionCount: 500 }), { attentionThreshold: 0, noSyncMinutes: null }, now)).toEqual([]);
  });

  it("alerts when nothing synced for N minutes while orders wait, not for a quiet shop's first new order", () => {
    const t = { attentionThreshold: 0, noSyncMinutes: 30 };
    expect(reasonsThatHold(facts({ waitingCount: 3, waitingSince: minutesAgo(45), lastSyncedAt: minutesAgo(40) }), t, now)).toEqual(["no_sync"]);
    // Synced recently: the ERP is taking orders.
    expect(reasonsThatHold(facts({ waitingCount: 3, waitingSince: minutesAgo(45), lastSyncedAt: minutesAgo(5) }), t, now)).toEqual([]);
    // Last sync was yesterday, but the only waiting order arrived a minute ago.
    expect(reasonsThatHold(facts({ waitingCount: 1, waitingSince: minutesAgo(1), lastSyncedAt: minutesAgo(24 * 60) }), t, now)).toEqual([]);
    // Nothing waiting: nothing is stuck.
    expect(reasonsThatHold(facts({ waitingCount: 0, lastSyncedAt: minutesAgo(24 * 60) }), t, now)).toEqual([]);
    expect(reasonsThatHold(facts({ waitingCount: 3, waitingSince: minutesAgo(45) }), { ...t, noSyncMinutes: null }, now)).toEqual([]);
  });

  it("leaves 'nothing synced' to the outage alert while the ERP is down, and counts quiet time from its return", () => {
    const t = { attentionThreshold: 0, noSyncMinutes: 30 };
    const stuck = { waitingCount: 40, waitingSince: minutesAgo(90), lastSyncedAt: minutesAgo(95) };
    expect(reasonsThatHold(facts(stuck), t, now)).toEqual(["no_sync"]);
    expect(reasonsThatHold(facts({ ...stuck, erpDown: true }), t, now)).toEqual([]);
    // Back two minutes ago, orders being sent: not "stuck" yet.
    expect(reasonsThatHold(facts({ ...stuck, erpBackAt: minutesAgo(2) }), t, now)).toEqual([]);
    expect(reasonsThatHold(facts({ ...stuck, erpBackAt: minutesAgo(31) }), t, now)).toEqual(["no_sync"]);
  });

  it("words the outage messages: since when, how many wait, that they go by themselves, and what to check", () => {
    const down = composeErpDownAlert("acme.myshopify.com", new Date("2026-11-25T10:02:00Z"), 37, appHomeUrl("acme.myshopify.com", { apiKey: "abc123", appHandle: undefined }));
    expect(down.subject).toBe("ERP Order Sync: your ERP is not answering (acme.myshopify.com)");
    expect(down.text).toContain("Your ERP has not answered ERP Order Sync for acme.myshopify.com since 2026-11-25 10:02 UTC.");
    expect(down.text).toContain("37 orders are waiting and will be sent by themselves when it answers");
    expect(down.text).toContain("Check that your ERP is running and reachable");
    expect(down.text).toContain("https://acme.myshopify.com/admin/apps/abc123/app");
    const back = composeErpBackAlert("acme.myshopify.com", new Date("2026-11-25T11:04:00Z"), 1);
    expect(back.subject).toBe("ERP Order Sync: your ERP answers again (acme.myshopify.com)");
    expect(back.text).toContain("again since 11:04 UTC. Sending has resumed: 1 order is being sent now. Nothing needs doing.");
  });

  it("tells a lasting problem once an hour, and a new problem at once", () => {
    const told = { lastAlertAt: minutesAgo(20), lastAlertReason: "attention" };
    expect(reasonsToSend(["attention"], { lastAlertAt: null, lastAlertReason: null }, now)).toEqual(["attention"]);
    expect(reasonsToSend(["attention"], told, now)).toEqual([]);
    expect(reasonsToSend(["attention", "no_sync"], told, now)).toEqual(["attention", "no_sync"]);
    expect(reasonsToSend(["attention"], { ...told, lastAlertAt: minutesAgo(61) }, now)).toEqual(["attention"]);
    expect(reasonsToSend([], { lastAlertAt: null, lastAlertReason: null }, now)).toEqual([]);
  });

  it("writes the message in plain words with a link to the orders needing attention", () => {
    const message = composeAlert(
      "acme.myshopify.com",
      ["attention", "no_sync"],
      facts({ attentionCount: 12, waitingCount: 4, waitingSince: minutesAgo(130), lastSyncedAt: minutesAgo(125) }),
      { attentionThreshold: 10, noSyncMinutes: 60 },
      now,
      ordersNeedingAttentionUrl("acme.myshopify.com", { apiKey: "abc123", appHandle: undefined }),
    );
    expect(message.subject).toBe("ERP Order Sync: 12 orders need attention (acme.myshopify.com)");
    expect(message.text).toContain("12 orders need attention");
    expect(message.text).toContain("(your alert level is 10)");
    expect(message.text).toContain("No order has reached your ERP for 2 hours while 4 orders are waiting");
    expect(message.text).toContain("https://acme.myshopify.com/admin/apps/abc123/app/orders?state=needs_attention&state=failed");
  });
});
