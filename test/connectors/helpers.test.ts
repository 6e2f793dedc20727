// Shared connector helpers: what they decide is visible to staff (retry
// timing, redacted logs) or to ERPs (exact money), so each is pinned here.
import { describe, expect, it } from "vitest";
import { parseRetryAfterMs, MAX_RETRY_AFTER_MS } from "~/connectors/http/retry-after";
import { summarizeBody } from "~/connectors/http/redact";
import { KeyedMutex } from "~/connectors/support/keyed-mutex";
import { getConnectorDefinition, listConnectorDefinitions } from "~/connectors/registry";
import "~/connectors/index";

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

describe("response summaries for the sync log", () => {
  it("mask credentials, e-mails, addresses and tokens but keep ids and messages", () => {
    const summary = summarizeBody(
      JSON.stringify({
        error: "Customer bob@example.com is blocked",
        documentId: "5d115c9c-44e3-ea11-bb43-000d3a2feca1",
        access_token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc",
        customer: { email: "bob@example.com", address1: "Chestnut Street 92", name: "Bob" },
      }),
    );
    expect(summary).not.toMatch(/bob@example\.com|eyJhbGci|Chestnut/);
    expect(summary).toContain("5d115c9c-44e3-ea11-bb43-000d3a2feca1");
    expect(summary).toContain("is blocked");
    expect(summarizeBody("Authorization: Bearer abc.def.ghi failed")).toBe("Authorization: Bearer [redacted] failed");
    expect(summarizeBody("x".repeat(2000)).length).toBeLessThanOrEqual(500);
  });
});

describe("KeyedMutex", () => {
  it("runs work for one key one at a time, other keys in parallel", async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const step = (key: string, ms: number) =>
      mutex.run(key, async () => {
        log.push(`start ${key}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${key}`);
      });
    await Promise.all([step("a", 30), step("a", 1), step("b", 5)]);
    expect(log.indexOf("end a")).toBeLessThan(log.lastIndexOf("start a"));
    expect(log.indexOf("start b")).toBeLessThan(log.indexOf("end a"));
    expect(mutex.size).toBe(0);
  });

  it("releases the key when the work fails", async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(mutex.run("a", async () => "next")).resolves.toBe("next");
  });
});

describe("registry", () => {
  it("registers every connector with a settings form that marks secrets", () => {
    const types = listConnectorDefinitions().map((d) => d.describe().type).sort();
    expect(types).toEqual(["business-central", "generic-http", "tryton"]);
    const secretFields = (type: string) => getConnectorDefinition(type)!.describe().fields.filter((f) => f.secret).map((f) => f.key).sort();
    expect(secretFields("business-central")).toEqual(["clientSecret"]);
    expect(secretFields("tryton")).toEqual(["password"]);
    expect(secretFields("generic-http")).toEqual(["basicPassword", "bearerToken", "headerValue", "signingSecret"]);
    expect(getConnectorDefinition("business-central")!.describe().defaultLimits).toEqual({ maxConcurrency: 100, requestsPerWindow: 6000, windowMs: 300_000 });
    expect(getConnectorDefinition("tryton")!.describe().defaultLimits.maxConcurrency).toBe(4);
  });
});
