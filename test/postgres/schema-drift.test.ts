// One data model, two providers, no drift:
// - the committed PostgreSQL schema is exactly what the generator makes from
//   prisma/schema.prisma;
// - no change to prisma/schema.prisma is waiting for a migration;
// - for each provider, a database built from the committed migrations has
//   the same tables, columns, defaults, indexes and keys as one built
//   straight from the schema (`migrate diff --from-empty`).
// Why not `migrate diff --from-migrations … --script` (the usual check): on
// Prisma's JS engine it replays only the first statement of a SQLite
// migration and cannot introspect PostgreSQL through the pg adapter, so the
// databases are built and their catalogs compared instead.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { PRISMA_LAYOUT } from "../../app/db/url";
import { postgresSchemaFrom } from "../../scripts/db/postgres-schema";
import { isEmptyMigration, migrationSql, PROJECT_ROOT } from "../../scripts/db/prisma-cli";
import { createPostgresDatabase, migrationScripts, postgresUnavailableReason } from "../../testkit/db";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`[test/postgres/schema-drift] PostgreSQL part skipped: ${unavailable}`);

const sourceSchema = path.join(PROJECT_ROOT, PRISMA_LAYOUT.sqlite.schema);
const postgresSchema = path.join(PROJECT_ROOT, PRISMA_LAYOUT.postgresql.schema);
const snapshot = path.join(PROJECT_ROOT, "prisma", "schema.migrated.prisma");

async function sqliteCatalog(scripts: string[]): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "erp-sync-drift-"));
  const client = createClient({ url: `file:${path.join(dir, "db.sqlite")}` });
  try {
    for (const sql of scripts) await client.executeMultiple(sql);
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' ORDER BY name",
    );
    const lines: string[] = [];
    for (const { name } of tables.rows) {
      const t = String(name);
      for (const c of (await client.execute(`PRAGMA table_info("${t}")`)).rows) {
        lines.push(`column ${t}.${c.name} ${c.type} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`);
      }
      for (const i of (await client.execute(`PRAGMA index_list("${t}")`)).rows) {
        const cols = (await client.execute(`PRAGMA index_info("${i.name}")`)).rows.map((r) => r.name).join(",");
        lines.push(`index ${t}.${i.name} unique=${i.unique} (${cols})`);
      }
      for (const f of (await client.execute(`PRAGMA foreign_key_list("${t}")`)).rows) {
        lines.push(`fk ${t}.${f.from} -> ${f.table}.${f.to} delete=${f.on_delete} update=${f.on_update}`);
      }
    }
    return lines.sort();
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresCatalog(scripts: string[]): Promise<string[]> {
  const database = await createPostgresDatabase(scripts);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, datetime_precision, is_nullable, column_default
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const indexes = await client.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
    const constraints = await client.query(
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
    );
    return [
      ...columns.rows.map(
        (c) => `column ${c.table_name}.${c.column_name} ${c.data_type}(${c.datetime_precision}) nullable=${c.is_nullable} default=${c.column_default}`,
      ),
      ...indexes.rows.map((i) => `index ${i.tablename}.${i.indexname} ${i.indexdef}`),
      ...constraints.rows.map((k) => `constraint ${k.tbl}.${k.conname} ${k.def}`),
    ].sort();
  } finally {
    await client.end();
    await database.drop();
  }
}

describe("one schema, two providers", () => {
  it("the committed PostgreSQL schema is the one generated from prisma/schema.prisma", () => {
    const expected = postgresSchemaFrom(readFileSync(sourceSchema, "utf8"));
    expect(readFileSync(postgresSchema, "utf8"), "run `npm run db:generate-postgres` and commit the result").toBe(expected);
  });

  it("refuses SQLite-only column types instead of generating a schema PostgreSQL reads differently", () => {
    const withNativeType = readFileSync(sourceSchema, "utf8").replace("shop                String\n", "shop String @db.Text\n");
    expect(() => postgresSchemaFrom(withNativeType)).toThrow(/no PostgreSQL equivalent/);
  });

  it("has no change to prisma/schema.prisma waiting for a migration", () => {
    const pending = migrationSql(snapshot, sourceSchema);
    expect(isEmptyMigration(pending), `run \`npm run db:new-migration -- <name>\`; pending SQL:\n${pending}`).toBe(true);
  });

  it("SQLite: the committed migrations build exactly the schema's tables, indexes and keys", async () => {
    const fromMigrations = await sqliteCatalog(migrationScripts("sqlite"));
    const fromSchema = await sqliteCatalog([migrationSql(null, sourceSchema)]);
    expect(fromMigrations.length).toBeGreaterThan(100);
    expect(fromMigrations).toEqual(fromSchema);
  });

  it.skipIf(!!unavailable)("PostgreSQL: the committed migrations build exactly the schema's tables, indexes and keys", async () => {
    const fromMigrations = await postgresCatalog(migrationScripts("postgresql"));
    const fromSchema = await postgresCatalog([migrationSql(null, postgresSchema)]);
    expect(fromMigrations.length).toBeGreaterThan(100);
    expect(fromMigrations).toEqual(fromSchema);
  });
});
