// The retry timing rule (app/lib/backoff.ts through app/sync/delivery/retry-policy.ts):
// with any random draw, the next attempt is never sooner than its floor (half
// the exponential delay, or the ERP's Retry-After) and never later than the
// cap, so a short outage cannot eat several attempts within seconds. Checked
// as properties over random inputs (fast-check), plus the window's end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffCeilingMs, backoffDelayMs, backoffFloorMs } from "../../app/lib/backoff";
import { gaveUpMessage, retryDelayMs, retryWindowEnded } from "../../app/sync/delivery/retry-policy";
import { parseSyncRules } from "../../app/sync/order/sync-rules";

const defaults = parseSyncRules(null).retry;
const retryRules = fc.record({
  maxAgeHours: fc.integer({ min: 1, max: 720 }),
  baseDelayMs: fc.integer({ min: 100, max: 60_000 }),
  maxDelayMs: fc.integer({ min: 1_000, max: 24 * 3_600_000 }),
});
// Any value Math.random can return, the edges included.
const draw = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constant(0), fc.constant(1 - Number.EPSILON));

describe("retry timing", () => {
  it("defaults: first retry after 1-2 s, doubling, never more than 15 minutes apart, for 72 hours", () => {
    expect(defaults).toEqual({ maxAgeHours: 72, baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 });
    expect([retryDelayMs(1, defaults, undefined, () => 0), retryDelayMs(1, defaults, undefined, () => 0.999999)]).toEqual([1_000, 2_000]);
    expect(retryDelayMs(4, defaults, undefined, () => 0)).toBe(8_000);
    expect(retryDelayMs(300, defaults, undefined, () => 0)).toBe(7.5 * 60_000);
    expect(retryDelayMs(300, defaults, undefined, () => 0.999999)).toBe(15 * 60_000);
  });

  it("property: with any random draw, the delay lies between its floor (half the exponential delay) and the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), retryRules, draw, (attempt, rules, r) => {
        const delay = retryDelayMs(attempt, rules, undefined, () => r);
        const exponential = Math.min(rules.maxDelayMs, rules.baseDelayMs * 2 ** (attempt - 1));
        expect(delay).toBeGreaterThanOrEqual(exponential / 2);
        expect(delay).toBeGreaterThanOrEqual(backoffFloorMs(attempt, { baseMs: rules.baseDelayMs, maxMs: rules.maxDelayMs }));
        expect(delay).toBeLessThanOrEqual(exponential);
        expect(delay).toBeLessThanOrEqual(rules.maxDelayMs);
        expect(Number.isInteger(delay)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("property: a Retry-After from the ERP is a further floor", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), retryRules, draw, fc.integer({ min: 0, max: 3_600_000 }), (attempt, rules, r, retryAfterMs) => {
        const delay = retryDelayMs(attempt, rules, retryAfterMs, () => r);
        expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
        expect(delay).toBeGreaterThanOrEqual(backoffFloorMs(attempt, { baseMs: rules.baseDelayMs, maxMs: rules.maxDelayMs }));
        expect(delay).toBe(Math.max(retryAfterMs, retryDelayMs(attempt, rules, undefined, () => r)));
      }),
    );
  });

  it("property: consecutive attempts of one order are always further apart than the floor, so none bunch up in an outage", () => {
    // The scenario behind the change: with full jitter one order met 4 of its attempts inside a 10-second outage.
    fc.assert(
      fc.property(fc.array(draw, { minLength: 4, maxLength: 4 }), (draws) => {
        let at = 0;
        for (let attempt = 1; attempt <= 3; attempt++) at += retryDelayMs(attempt, defaults, undefined, () => draws[attempt]);
        // Attempts 1 to 4 span at least 1 s + 2 s + 4 s.
        expect(at).toBeGreaterThanOrEqual(7_000);
      }),
    );
  });

  it("property: the shared backoff stays within [ceiling/2, ceiling] for any policy, even for a random() outside [0, 1)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.double({ min: -2, max: 3, noNaN: true }),
        (attempt, baseMs, maxMs, r) => {
          const delay = backoffDelayMs(attempt, { baseMs, maxMs }, () => r);
          expect(delay).toBeGreaterThanOrEqual(backoffFloorMs(attempt, { baseMs, maxMs }));
          expect(delay).toBeGreaterThanOrEqual(backoffCeilingMs(attempt, { baseMs, maxMs }) / 2);
          expect(delay).toBeLessThanOrEqual(backoffCeilingMs(attempt, { baseMs, maxMs }));
        },
      ),
    );
  });

  it("the window ends the retries after maxAgeHours from the first attempt, with words that say what to do", () => {
    const first = new Date("2026-12-01T14:02:00Z");
    expect(retryWindowEnded(first, new Date(first.getTime() + 72 * 3_600_000 - 1), defaults)).toBe(false);
    expect(retryWindowEnded(first, new Date(first.getTime() + 72 * 3_600_000), defaults)).toBe(true);
    expect(gaveUpMessage("The ERP could not be reached.", 290, defaults)).toBe(
      'The ERP could not be reached. The app kept trying for 72 hours (290 attempts) and has stopped. Check that your ERP is running and accepts orders from the app (Settings → Test connection), then choose "Retry" on this order.',
    );
  });
});
