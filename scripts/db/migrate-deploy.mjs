/* global process, console */
// `npm run db:migrate`: applies the committed migrations to the database
// DATABASE_URL names, like `prisma migrate deploy`.
// - SQLite: runs `prisma migrate deploy` (works on the JS engine).
// - PostgreSQL: `prisma migrate deploy` through @prisma/adapter-pg fails
//   before applying anything ("Column type 'name' could not be deserialized",
//   prisma/orm#27403), so this script applies them itself, keeping Prisma's
//   own `_prisma_migrations` history table in Prisma's format: a later
//   `prisma migrate deploy` (once fixed) sees the same history.
//   Each migration runs in a transaction (PostgreSQL DDL is transactional),
//   under an advisory lock so two deploys at once cannot both apply it.
// Plain JavaScript on purpose: production deploys may not have the dev tools.
import { createHash, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Same rule as app/db/url.ts.
const POSTGRES_URL = /^postgres(ql)?:\/\//i;
// Arbitrary constant shared by every deploy of this app.
const LOCK_KEY = 72_007_424;

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function committedMigrations(dir) {
  return readdirSync(dir)
    .filter((name) => /^\d/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies pending PostgreSQL migrations; returns the names applied. */
export async function deployPostgres(databaseUrl, dir = path.join(root, "prisma", "postgres", "migrations")) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(HISTORY_TABLE);
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const history = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
    for (const migration of committedMigrations(dir)) {
      const done = history.get(migration.name);
      if (done && !done.finished_at) {
        throw new Error(
          `Migration ${migration.name} started earlier and did not finish. Check the database, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${migration.name}') and run again.`,
        );
      }
      if (done) {
        if (done.checksum !== migration.checksum) {
          console.warn(`warning: ${migration.name} was edited after it was applied (checksum differs); not re-applied`);
        }
        continue;
      }
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${error.message}`);
      }
      applied.push(migration.name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return applied;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (url && POSTGRES_URL.test(url)) {
    const applied = await deployPostgres(url);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "No pending migrations.");
    return;
  }
  execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], { cwd: root, stdio: "inherit" });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
