// The configuration every test runs the app with, handed to the app's config
// module (app/config.server.ts) instead of being written to process.env. The
// Shopify values match @shopify/shopify-api/test-helpers so its helpers
// (getJwt, getHmac, setUpValidRequest) produce credentials the app accepts.
// LOG_LEVEL, SCOPES and ENCRYPTION_KEY may be set in the shell to run the
// tests differently (LOG_LEVEL=debug to see the app's logs).
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { configure, configuredEnv, type EnvironmentValues } from "../../app/config.server";

export function testAppEnv(overrides: EnvironmentValues = {}): EnvironmentValues {
  return {
    NODE_ENV: process.env.NODE_ENV,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET_KEY,
    SHOPIFY_APP_URL: APP_URL,
    SCOPES: process.env.SCOPES ?? "read_orders",
    ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? Buffer.alloc(32, 7).toString("base64"),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
    ...overrides,
  };
}

/** Runs the app with some values changed until the returned function puts the previous ones back. */
export function overrideAppConfig(overrides: EnvironmentValues): () => void {
  const previous = configuredEnv();
  configure({ ...previous, ...overrides });
  return () => void configure(previous);
}
