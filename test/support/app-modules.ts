// Loads the app's server modules against a given test database. The modules
// read DATABASE_URL when first imported, so each test file points it at its
// own database, then imports (vitest gives every file its own module graph).
import { createTestDatabase, type TestDatabase } from "./db";

export async function useTestDatabaseForApp(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  globalThis.prismaGlobal = db.prisma;
  return db;
}
