// Derives the PostgreSQL Prisma schema from the one source schema
// (prisma/schema.prisma, SQLite). Only the header changes: provider, the
// placeholder url and the client's output (the generated client is
// provider-specific, so the PostgreSQL one lives beside the default one).
// Models are copied verbatim: the source schema only uses types both
// providers share, and this function refuses anything SQLite-specific so a
// model change cannot silently drift between the two.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PRISMA_LAYOUT } from "../../app/db/url";

export const POSTGRES_CLIENT_OUTPUT = "../../node_modules/.prisma/client-pg";

const GENERATED_NOTICE = `// GENERATED from prisma/schema.prisma by scripts/db/generate-postgres.ts.
// Do not edit: change prisma/schema.prisma and run \`npm run db:generate-postgres\`.
// test/postgres/schema-drift.test.ts fails when this file or the migrations are stale.
`;

export function postgresSchemaFrom(source: string): string {
  const datasource = /datasource db \{[^}]*\}/;
  const generator = /generator client \{[^}]*\}/;
  if (!datasource.test(source) || !generator.test(source)) {
    throw new Error("prisma/schema.prisma must have a `generator client` and a `datasource db` block");
  }
  // SQLite-only constructs would produce a schema PostgreSQL reads differently.
  const sqliteOnly = [/@db\.\w+/, /\bUnsupported\(/, /sqlite_/i];
  for (const pattern of sqliteOnly) {
    if (pattern.test(source.replace(datasource, ""))) {
      throw new Error(`prisma/schema.prisma uses ${pattern} which has no PostgreSQL equivalent here; keep the model portable`);
    }
  }
  const body = source
    .replace(
      generator,
      [
        "generator client {",
        '  provider   = "prisma-client-js"',
        '  engineType = "client"',
        "  // A second client, loaded by app/db/client.ts only for postgres:// URLs.",
        `  output     = "${POSTGRES_CLIENT_OUTPUT}"`,
        "}",
      ].join("\n"),
    )
    .replace(
      datasource,
      [
        "datasource db {",
        '  provider = "postgresql"',
        "  // Placeholder the schema engine wants; connections go through the",
        "  // @prisma/adapter-pg driver adapter built from DATABASE_URL.",
        '  url      = "postgresql://localhost/placeholder"',
        "}",
      ].join("\n"),
    );
  return GENERATED_NOTICE + "\n" + body;
}

/** Rewrites prisma/postgres/schema.prisma from prisma/schema.prisma; returns its path. */
export function writePostgresSchema(projectRoot: string): string {
  const source = readFileSync(path.join(projectRoot, PRISMA_LAYOUT.sqlite.schema), "utf8");
  const target = path.join(projectRoot, PRISMA_LAYOUT.postgresql.schema);
  writeFileSync(target, postgresSchemaFrom(source));
  return target;
}
