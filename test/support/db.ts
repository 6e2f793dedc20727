// A fresh, migrated SQLite database per test file: the committed migrations
// are applied as they would be by `prisma migrate deploy`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "../../app/db-client";

const migrationsDir = path.resolve(__dirname, "../../prisma/migrations");

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  cleanup(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "erp-sync-test-"));
  const url = `file:${path.join(dir, "test.sqlite")}`;
  const client = createClient({ url });
  for (const name of readdirSync(migrationsDir).filter((d) => /^\d/.test(d)).sort()) {
    await client.executeMultiple(readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8"));
  }
  // WAL lets the worker and the webhook route write without "database is locked".
  await client.execute("PRAGMA journal_mode=WAL");
  client.close();
  const prisma = createPrismaClient(url);
  return {
    url,
    prisma,
    async cleanup() {
      await prisma.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
