// `npm run db:new-migration -- <name>`: after editing prisma/schema.prisma,
// writes the matching migration for BOTH providers (same folder name) and the
// regenerated PostgreSQL schema, so neither can drift from the source.
//
// Why not `prisma migrate dev`: on the JS engine (no downloaded binaries) it
// cannot run, and `migrate diff --from-migrations` replays migrations wrongly
// (SQLite) or not at all (PostgreSQL). Instead each migration is the diff
// between two schema files: the snapshot taken at the previous migration
// (prisma/schema.migrated.prisma) and the current schema.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PRISMA_LAYOUT } from "../../app/db/url";
import { postgresSchemaFrom, writePostgresSchema } from "./postgres-schema";
import { isEmptyMigration, migrationSql, PROJECT_ROOT } from "./prisma-cli";

const SNAPSHOT = path.join(PROJECT_ROOT, "prisma", "schema.migrated.prisma");
const SNAPSHOT_NOTICE = `// Snapshot of prisma/schema.prisma as of the newest migration, kept by
// scripts/db/new-migration.ts: the next migration is the diff from here.
// Do not edit by hand.
`;

function main(): void {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:new-migration -- <name_in_snake_case>");
    process.exit(2);
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = `${stamp}_${name}`;
  const source = path.join(PROJECT_ROOT, PRISMA_LAYOUT.sqlite.schema);
  const scratch = mkdtempSync(path.join(tmpdir(), "erp-sync-migration-"));
  const previousPg = path.join(scratch, "previous-postgres.prisma");
  writeFileSync(previousPg, postgresSchemaFrom(readFileSync(SNAPSHOT, "utf8")));
  const currentPg = writePostgresSchema(PROJECT_ROOT);

  const sqliteSql = migrationSql(SNAPSHOT, source);
  const postgresSql = migrationSql(previousPg, currentPg);
  if (isEmptyMigration(sqliteSql) && isEmptyMigration(postgresSql)) {
    console.log("prisma/schema.prisma has not changed since the last migration: nothing to write.");
    return;
  }
  for (const [layout, sql] of [[PRISMA_LAYOUT.sqlite, sqliteSql], [PRISMA_LAYOUT.postgresql, postgresSql]] as const) {
    const dir = path.join(PROJECT_ROOT, layout.migrations, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`wrote ${path.relative(PROJECT_ROOT, dir)}/migration.sql`);
  }
  writeFileSync(SNAPSHOT, SNAPSHOT_NOTICE + readFileSync(source, "utf8"));
  console.log("Review both files, then `npm run db:generate` and `npx prisma migrate deploy`.");
}

main();
