// The per-shop ERP limiter: never more requests at once than the connector
// allows, and never more started in any window than its rate allows, as the
// ERP would count them (its own clock, finer than the limiter's milliseconds).
import { describe, expect, it } from "vitest";
import { ShopLimiter } from "../../app/connectors/support/shop-limiter";
import { sleep } from "../../app/lib/sleep";

/** Most starts within any window of `windowMs` (sliding), from sub-millisecond times. */
function mostInAnyWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

describe("ShopLimiter", () => {
  it("starts no more requests in any window than the rate allows, counted as the ERP sees them", async () => {
    const limiter = new ShopLimiter({ maxConcurrency: 10, requestsPerWindow: 4, windowMs: 40 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, () =>
        limiter.run(async () => {
          starts.push(performance.now());
        }),
      ),
    );
    expect(starts).toHaveLength(40);
    // The limiter counts a start when it admits the call; the call itself runs
    // a moment later (here: after the other 36 calls have been issued), so
    // starts are counted in any window 5 ms shorter than the limiter's. A
    // limiter that lets a fifth call into a window, or does not limit, still
    // fails (5 or more starts within 35 ms).
    expect(mostInAnyWindow(starts, 35)).toBeLessThanOrEqual(4);
    // And it is a limit, not a stall: 40 requests at 4 per 40 ms take about 10 windows.
    expect(starts[starts.length - 1] - starts[0]).toBeLessThan(40 * 10 * 3);
  });

  it("never has more requests in flight than its concurrency", async () => {
    const limiter = new ShopLimiter({ maxConcurrency: 3, requestsPerWindow: 0, windowMs: 1000 });
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await sleep(2);
          inFlight--;
        }),
      ),
    );
    expect(most).toBe(3);
  });
});
