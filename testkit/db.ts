// A fresh, migrated database per test file: the committed migrations are
// applied as they would be by `prisma migrate deploy`.
// - Default: a SQLite file in a temp folder.
// - TEST_DATABASE=postgres (`npm run test:postgres`): a new PostgreSQL
//   database (erp_test_<random>) on TEST_POSTGRES_URL's server, dropped in
//   cleanup; the PostgreSQL migrations are applied.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import { createPrismaClient } from "../app/db/client";
import { PRISMA_LAYOUT, type DatabaseProvider } from "../app/db/url";
import { closeIntakeStore } from "../app/sync/intake/store";
import { deployPostgres } from "../scripts/db/migrate-deploy.mjs";

const projectRoot = path.resolve(__dirname, "..");

/** The server test databases are created on (its own database is only used to run CREATE/DROP DATABASE). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  cleanup(): Promise<void>;
}

export function testDatabaseProvider(): DatabaseProvider {
  return process.env.TEST_DATABASE === "postgres" ? "postgresql" : "sqlite";
}

/** Migration scripts in the order `prisma migrate deploy` applies them. */
export function migrationScripts(provider: DatabaseProvider): string[] {
  const dir = path.join(projectRoot, PRISMA_LAYOUT[provider].migrations);
  return readdirSync(dir)
    .filter((d) => /^\d/.test(d))
    .sort()
    .map((name) => readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

/** Why PostgreSQL cannot be used right now, or null when it can (checked once per test file). */
let postgresProbe: Promise<string | null> | null = null;
export function postgresUnavailableReason(): Promise<string | null> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return null;
    } catch (error) {
      return `PostgreSQL is not reachable at ${redactUrl(TEST_POSTGRES_URL)} (${error instanceof Error ? error.message : String(error)}); set TEST_POSTGRES_URL to a server where this user may CREATE DATABASE`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresProbe;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A new PostgreSQL database with the committed migrations applied by
 * `npm run db:migrate`'s runner (or the given SQL scripts instead); drop()
 * removes it.
 */
export async function createPostgresDatabase(scripts?: string[]): Promise<{ url: string; drop(): Promise<void> }> {
  const reason = await postgresUnavailableReason();
  if (reason) throw new Error(`TEST_DATABASE=postgres but ${reason}`);
  const name = `erp_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(TEST_POSTGRES_URL, name);
  if (scripts) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const sql of scripts) await client.query(sql);
    } finally {
      await client.end();
    }
  } else {
    // The same runner production deploys use (`npm run db:migrate`).
    await deployPostgres(url);
  }
  return {
    url,
    async drop() {
      const dropper = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await dropper.connect();
      try {
        // FORCE: a worker process a test killed may still hold a connection.
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

async function createSqliteDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "erp-sync-test-"));
  const url = `file:${path.join(dir, "test.sqlite")}`;
  const client = createClient({ url });
  for (const sql of migrationScripts("sqlite")) await client.executeMultiple(sql);
  // Left in SQLite's default journal mode, as `prisma migrate deploy` leaves
  // a production database: the app's connections switch it to WAL.
  client.close();
  return {
    url,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createTestDatabase(provider = testDatabaseProvider()): Promise<TestDatabase> {
  const database = provider === "postgresql" ? await createPostgresDatabase() : await createSqliteDatabase();
  const prisma = createPrismaClient(database.url);
  return {
    url: database.url,
    prisma,
    async cleanup() {
      await closeIntakeStore(prisma);
      await prisma.$disconnect();
      await database.drop();
    },
  };
}
