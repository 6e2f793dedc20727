// Which database the app, the worker and the Prisma CLI use, decided from
// DATABASE_URL alone so all three always agree:
// - unset or file:…            -> SQLite (zero-setup default, prisma/dev.sqlite)
// - postgres:// or postgresql:// -> PostgreSQL
export const DEFAULT_SQLITE_URL = "file:./prisma/dev.sqlite";

export type DatabaseProvider = "sqlite" | "postgresql";

export function isPostgresUrl(databaseUrl: string | undefined): boolean {
  return !!databaseUrl && /^postgres(ql)?:\/\//i.test(databaseUrl);
}

export function databaseProviderFor(databaseUrl: string | undefined): DatabaseProvider {
  if (isPostgresUrl(databaseUrl)) return "postgresql";
  if (databaseUrl && !databaseUrl.startsWith("file:")) {
    // A typo (mysql://, a bare path) must not quietly fall back to a local SQLite file.
    throw new Error("DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)");
  }
  return "sqlite";
}

export function sqliteUrl(databaseUrl: string | undefined): string {
  return databaseUrl && databaseUrl.startsWith("file:") ? databaseUrl : DEFAULT_SQLITE_URL;
}

/** Schema and migrations folder for each provider (relative to the project root). */
export const PRISMA_LAYOUT: Record<DatabaseProvider, { schema: string; migrations: string }> = {
  sqlite: { schema: "prisma/schema.prisma", migrations: "prisma/migrations" },
  postgresql: { schema: "prisma/postgres/schema.prisma", migrations: "prisma/postgres/migrations" },
};
