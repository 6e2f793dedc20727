// When staff are alerted: thresholds, "nothing synced while orders wait",
// and one message per hour per lasting problem (a new problem is told at once).
import { describe, expect, it } from "vitest";
import { composeAlert, ordersNeedingAttentionUrl } from "../../app/alerts/alert-message";
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
      ordersNeedingAttentionUrl("acme.myshopify.com", { SHOPIFY_API_KEY: "abc123" }),
    );
    expect(message.subject).toBe("ERP Order Sync: 12 orders need attention (acme.myshopify.com)");
    expect(message.text).toContain("12 orders need attention");
    expect(message.text).toContain("(your alert level is 10)");
    expect(message.text).toContain("No order has reached your ERP for 2 hours while 4 orders are waiting");
    expect(message.text).toContain("https://acme.myshopify.com/admin/apps/abc123/app/orders?state=needs_attention&state=failed");
  });
});
