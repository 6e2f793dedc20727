// Loads the app's server modules against a given test database: the shared
// client (app/db/db.server.ts) is this file's test database, and the
// configuration names it, before the test file imports the modules (vitest
// gives every file its own module graph).
import { configure, configuredEnv } from "../../app/config.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

export function useTestDatabaseForApp(): Promise<TestDatabase> {
  return appOnTestDatabase();
}

async function appOnTestDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  configure({ ...configuredEnv(), DATABASE_URL: db.url });
  globalThis.prismaGlobal = db.prisma;
  return db;
}

/**
 * The same, with the shop installed: the offline session the app's pages and
 * actions load the shop by (valid for an hour, longer than any test file).
 */
export async function useTestDatabaseForShop(shop: string): Promise<TestDatabase> {
  const db = await appOnTestDatabase();
  const { sessionStorage } = await import("../../app/shopify.server");
  const { Session } = await import("@shopify/shopify-api");
  await sessionStorage.storeSession(
    new Session({ id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: "shpat_test", scope: "read_orders", expires: new Date(Date.now() + 3600_000) }),
  );
  return db;
}
