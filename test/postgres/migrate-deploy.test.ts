// `npm run db:migrate` on PostgreSQL (prisma migrate deploy cannot run
// through the pg adapter, prisma/orm#27403): applies pending migrations once,
// records them in Prisma's history table, and rolls a failing one back whole.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { committedMigrations, deployPostgres } from "../../scripts/db/migrate-deploy.mjs";
import { createPostgresDatabase, postgresUnavailableReason } from "../../testkit/db";

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`[test/postgres/migrate-deploy] skipped: ${unavailable}`);

const migrationsDir = path.resolve(__dirname, "../../prisma/postgres/migrations");
let database: { url: string; drop(): Promise<void> };
let scratch: string;

beforeAll(async () => {
  if (unavailable) return;
  database = await createPostgresDatabase([]); // empty: the test migrates it
  scratch = mkdtempSync(path.join(tmpdir(), "erp-sync-migrate-"));
});
afterAll(async () => {
  await database?.drop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function query(sql: string) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!!unavailable)("db:migrate on PostgreSQL", () => {
  it("applies every committed migration once and records it as Prisma does", async () => {
    const expected = committedMigrations(migrationsDir).map((m) => m.name);
    expect(await deployPostgres(database.url)).toEqual(expected);
    expect(await deployPostgres(database.url)).toEqual([]);
    const history = await query(`SELECT migration_name, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(history.map((h) => h.migration_name)).toEqual(expected);
    expect(history.every((h) => h.finished_at && h.applied_steps_count === 1)).toBe(true);
    expect((await query(`SELECT count(*)::int AS n FROM "OrderSync"`))[0].n).toBe(0);
  });

  it("rolls a failing migration back completely and refuses to skip it", async () => {
    const dir = path.join(scratch, "migrations");
    mkdirSync(path.join(dir, "20990101000000_broken"), { recursive: true });
    writeFileSync(
      path.join(dir, "20990101000000_broken", "migration.sql"),
      `CREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" INT;`,
    );
    await expect(deployPostgres(database.url, dir)).rejects.toThrow(/20990101000000_broken failed and was rolled back/);
    expect(await query(`SELECT to_regclass('public."HalfDone"') AS t`)).toEqual([{ t: null }]);
    expect(await query(`SELECT migration_name FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`)).toEqual([]);
  });
});
