// Where the SQLite database lives when DATABASE_URL is not set. Shared by the
// Prisma CLI (prisma.config.ts) and the app (db.server.ts) so both agree.
export const DEFAULT_SQLITE_URL = "file:./prisma/dev.sqlite";

export function sqliteUrl(databaseUrl: string | undefined): string {
  return databaseUrl && databaseUrl.startsWith("file:") ? databaseUrl : DEFAULT_SQLITE_URL;
}
