// The app's configuration (app/config.server.ts): what an operator sees when
// a variable is wrong or missing, and what the app reads when it is right.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assertStartConfig, ConfigError, parseConfig } from "~/config.server";

const key = () => randomBytes(32).toString("base64");
const complete = {
  SHOPIFY_API_KEY: "client-id",
  SHOPIFY_API_SECRET: "client-secret",
  SHOPIFY_APP_URL: "https://erp-sync.example.com",
  SCOPES: "read_orders,read_all_orders",
  ENCRYPTION_KEY: key(),
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration from the environment", () => {
  it("reads every value it is given, and leaves unset tunables to their modules' defaults", () => {
    const config = parseConfig({
      ...complete,
      DATABASE_URL: "postgres://app@db.internal/erp",
      DATABASE_POOL_MAX: "25",
      WORKER_CONCURRENCY: "4",
      RECONCILE_INTERVAL_MINUTES: "30",
      ERP_CHECK_INTERVAL_MINUTES: "1.5",
      HEALTH_WORKER_MAX_AGE_S: "90",
      ALLOW_PRIVATE_ERP_URLS: "false",
      LOG_LEVEL: "debug",
      UNRELATED_VARIABLE: "ignored",
    });
    expect(config.shopify.scopes).toEqual(["read_orders", "read_all_orders"]);
    expect(config.database).toEqual({ url: "postgres://app@db.internal/erp", poolMax: 25 });
    expect(config.worker).toEqual({ workerId: undefined, concurrency: 4, leaseMs: undefined, pollIntervalMs: undefined });
    expect(config.reconcileIntervalMs).toBe(30 * 60_000);
    expect(config.erpCheckIntervalMs).toBe(90_000);
    expect(config.healthWorkerMaxAgeMs).toBe(90_000);
    expect(config.logLevel).toBe("debug");
    expect(config.keyring?.current.key).toHaveLength(32);

    const bare = parseConfig({});
    expect(bare.erpCheckIntervalMs).toBeNull();
    expect(bare.reconcileIntervalMs).toBeUndefined();
    expect(bare.allowPrivateErpUrls).toBe(false);
    expect(bare.syncWorkerInProcess).toBe(true);
    expect(bare.keyring).toBeNull();
  });

  it("stops on a wrong value, naming every wrong variable and what it expects, never echoing a secret", () => {
    const secret = "not-a-key-but-secret";
    const problems = problemsOf({
      WORKER_CONCURRENCY: "sixteen",
      RECONCILE_INTERVAL_MINUTES: "0.5",
      DATABASE_URL: "mysql://db/erp",
      SMTP_URL: "https://mail.example.com",
      LOG_LEVEL: "verbose",
      ENCRYPTION_KEY: secret,
    });
    expect([...problems].sort()).toEqual(
      [
      "ENCRYPTION_KEY is not valid base64. Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
      "DATABASE_URL: expected file:… (SQLite) or postgres://… / postgresql://… (PostgreSQL)",
      "WORKER_CONCURRENCY: expected a whole number above 0: orders a worker sends at once",
      "RECONCILE_INTERVAL_MINUTES: expected minutes, 1 or more",
      "SMTP_URL: expected smtp://user:pass@host:587 or smtps://… (unset: no e-mail alerts)",
      "LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent",
      ].sort(),
    );
    expect(problems.join("\n")).not.toContain(secret);
  });

  it("treats a variable set to nothing as unset", () => {
    expect(parseConfig({ ...complete, SMTP_URL: "", WORKER_POLL_MS: " " }).alerts.smtpUrl).toBeUndefined();
  });

  it("at start, refuses to run without the app's credentials and the encryption key, naming each one", () => {
    expect(() => assertStartConfig(parseConfig(complete))).not.toThrow();
    const { SHOPIFY_API_SECRET: _secret, ENCRYPTION_KEY: _key, ...incomplete } = complete;
    expect(() => assertStartConfig(parseConfig(incomplete))).toThrow(ConfigError);
    try {
      assertStartConfig(parseConfig(incomplete));
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(":")[0])).toEqual(["SHOPIFY_API_SECRET is not set", "ENCRYPTION_KEY is not set"]);
      expect((error as Error).message).toContain("randomBytes(32)");
    }
  });
});
