// Loads the app's server modules against a given test database: the shared
// client (app/db/db.server.ts) is this file's test database, and the
// configuration names it, before the test file imports the modules (vitest
// gives every file its own module graph).
import { configure, configuredEnv } from "../../app/config.server";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

export async function useTestDatabaseForApp(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  configure({ ...configuredEnv(), DATABASE_URL: db.url });
  globalThis.prismaGlobal = db.prisma;
  return db;
}
