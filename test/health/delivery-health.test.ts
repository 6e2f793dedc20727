// The pure delivery-health figures and alert rules: how orders were first
// seen, lag quantiles, backlog age, which thresholds hold, and the
// raised/cleared messages (checked against a reference model with fast-check:
// over any sequence of checks, each reason is raised once when it starts to
// hold and cleared once when it stops, never repeated in between).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  deliveryHealth,
  describeHealthReason,
  firstSeenByOf,
  HEALTH_REASONS,
  healthReasonsThatHold,
  healthTransitions,
  lagFigures,
  sourceShare,
  type HealthFacts,
  type HealthReason,
  type HealthThresholds,
} from "../../app/health/delivery-health";

const NOW = new Date("2026-12-05T12:00:00Z");
const MIN = 60_000;

function facts(over: Partial<HealthFacts> = {}): HealthFacts {
  return {
    firstSeen: { day: { webhook: 95, reconciliation: 5 }, fortnight: { webhook: 1300, reconciliation: 20, backfill: 400 } },
    lagsMs: { day: [1, 2, 3].map((m) => m * MIN), fortnight: [1, 2, 3, 60].map((m) => m * MIN) },
    waitingCount: 2,
    oldestWaitingSince: new Date(NOW.getTime() - 12 * MIN),
    ...over,
  };
}

const OFF: HealthThresholds = { lostWebhookPercent: null, lagMinutes: null, backlogMinutes: null };

describe("delivery health figures", () => {
  it("names the first-seen source from the intake topic", () => {
    expect(firstSeenByOf("orders/create")).toBe("webhook");
    expect(firstSeenByOf("refunds/create")).toBe("webhook");
    expect(firstSeenByOf("snapshot/reconciliation")).toBe("reconciliation");
    expect(firstSeenByOf("snapshot/backfill")).toBe("backfill");
    expect(firstSeenByOf("snapshot/refetch")).toBe("refetch");
    expect(firstSeenByOf("snapshot/something-new")).toBe("unknown");
  });

  it("counts lost webhooks among the orders Shopify should have announced, not backfilled ones", () => {
    const share = sourceShare({ webhook: 90, reconciliation: 10, backfill: 500, refetch: 3 });
    expect(share.total).toBe(603);
    expect(share.lostWebhookShare).toBeCloseTo(0.1, 10);
    expect(sourceShare({ backfill: 20 }).lostWebhookShare).toBeNull();
  });

  it("computes nearest-rank p50/p99 and treats clock skew as no lag", () => {
    const lags = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);
    expect(lagFigures(lags)).toEqual({ samples: 100, p50Ms: 50_000, p99Ms: 99_000, maxMs: 100_000 });
    expect(lagFigures([-500, 2000])).toMatchObject({ p50Ms: 0, maxMs: 2000 });
    expect(lagFigures([])).toEqual({ samples: 0, p50Ms: null, p99Ms: null, maxMs: null });
  });

  it("keeps the 24-hour and 14-day windows apart and ages the backlog from now", () => {
    const h = deliveryHealth(facts(), NOW);
    expect(h.lag.day.p99Ms).toBe(3 * MIN);
    expect(h.lag.fortnight.p99Ms).toBe(60 * MIN);
    expect(h.sources.fortnight.counts.backfill).toBe(400);
    expect(h.backlog).toEqual({ waiting: 2, oldestAgeMs: 12 * MIN });
    expect(deliveryHealth(facts({ waitingCount: 0, oldestWaitingSince: null }), NOW).backlog.oldestAgeMs).toBeNull();
  });
});

describe("delivery health thresholds", () => {
  it("holds each reason at or above the merchant's threshold and never when it is off", () => {
    const h = deliveryHealth(facts(), NOW);
    expect(healthReasonsThatHold(h, OFF)).toEqual([]);
    expect(healthReasonsThatHold(h, { lostWebhookPercent: 5, lagMinutes: 3, backlogMinutes: 12 })).toEqual(["lost_webhooks", "lag", "backlog"]);
    expect(healthReasonsThatHold(h, { lostWebhookPercent: 6, lagMinutes: 4, backlogMinutes: 13 })).toEqual([]);
  });

  it("does not call one lost webhook among three orders an alarm", () => {
    const h = deliveryHealth(facts({ firstSeen: { day: { webhook: 2, reconciliation: 1 }, fortnight: {} } }), NOW);
    expect(healthReasonsThatHold(h, { ...OFF, lostWebhookPercent: 10 })).toEqual([]);
  });

  it("says in words what happened and what to do in this app", () => {
    const h = deliveryHealth(facts(), NOW);
    const t = { lostWebhookPercent: 5, lagMinutes: 3, backlogMinutes: 10 };
    expect(describeHealthReason("lost_webhooks", h, t, false)).toMatch(/5 of the last 24 hours' 100 orders \(5\.0 %\) never arrived by webhook.*Reconciliation/);
    expect(describeHealthReason("lag", h, t, false)).toMatch(/99 % within 3 minutes/);
    expect(describeHealthReason("backlog", h, t, false)).toMatch(/2 orders are waiting.*oldest has waited 12 minutes/);
    expect(describeHealthReason("backlog", h, t, true)).toMatch(/No order has been waiting long/);
  });
});

describe("raised / cleared messages (reference model)", () => {
  it("raises each reason once when it starts to hold and clears it once when it stops", () => {
    const reasonSets = fc.subarray(HEALTH_REASONS);
    fc.assert(
      fc.property(fc.array(reasonSets, { maxLength: 40 }), (checks) => {
        // The stored "raised" set, updated by what was sent.
        let raised: HealthReason[] = [];
        const sent: Array<{ reason: HealthReason; kind: "raise" | "clear" }> = [];
        for (const holding of checks) {
          const { raise, clear } = healthTransitions(holding, raised);
          for (const r of raise) sent.push({ reason: r, kind: "raise" });
          for (const r of clear) sent.push({ reason: r, kind: "clear" });
          raised = [...raised.filter((r) => !clear.includes(r)), ...raise];
          expect([...raised].sort()).toEqual([...holding].sort());
        }
        // Model: per reason, the messages alternate raise, clear, raise, …, and
        // there is one raise per run of consecutive checks where it holds.
        for (const reason of HEALTH_REASONS) {
          const kinds = sent.filter((m) => m.reason === reason).map((m) => m.kind);
          kinds.forEach((k, i) => expect(k).toBe(i % 2 === 0 ? "raise" : "clear"));
          let runs = 0;
          checks.forEach((h, i) => {
            if (h.includes(reason) && (i === 0 || !checks[i - 1].includes(reason))) runs++;
          });
          expect(kinds.filter((k) => k === "raise")).toHaveLength(runs);
        }
      }),
    );
  });

  it("uses the day window for lag alerts", () => {
    // A slow order 10 days ago does not keep the lag alert raised today.
    const h = deliveryHealth(facts({ lagsMs: { day: [MIN], fortnight: [MIN, 5 * DAY_MS] } }), NOW);
    expect(healthReasonsThatHold(h, { ...OFF, lagMinutes: 30 })).toEqual([]);
  });
});
