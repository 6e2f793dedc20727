// The one Retry-After reader: ERPs and Shopify both tell the app when to come
// back, and a wrong reading either hammers a throttled server or parks work.
import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, parseRetryAfterMs } from "~/lib/retry-after";

describe("Retry-After", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  it("reads seconds and HTTP dates, ignores garbage, clamps to a sane range", () => {
    expect(parseRetryAfterMs("120", now)).toBe(120_000);
    expect(parseRetryAfterMs("Wed, 25 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfterMs("Wed, 25 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs("999999", now)).toBe(MAX_RETRY_AFTER_MS);
  });
});
