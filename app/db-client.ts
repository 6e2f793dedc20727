// Builds a PrismaClient on Prisma's JS engine through a driver adapter (no
// downloaded engine binaries), for the database DATABASE_URL names (see
// db-url.ts). No side effects: tests and scripts create their own clients;
// the app uses the shared one from db.server.ts.
//
// Two generated clients exist because a generated client is tied to one
// provider: the default one (@prisma/client, SQLite) and the PostgreSQL one
// generated from prisma/postgres/schema.prisma into node_modules/.prisma/client-pg.
// Both come from the same models, so their APIs are identical and the rest of
// the code keeps typing against `PrismaClient` from "@prisma/client".
import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseProviderFor, sqliteUrl, type DatabaseProvider } from "./db-url";

const providers = new WeakMap<object, DatabaseProvider>();

/** Loaded on first use only, so a SQLite install never needs the PostgreSQL client generated. */
function postgresClientClass(): typeof PrismaClient {
  const require = createRequire(import.meta.url);
  try {
    return (require(".prisma/client-pg") as { PrismaClient: typeof PrismaClient }).PrismaClient;
  } catch (error) {
    throw new Error(
      "The PostgreSQL Prisma client is not generated. Run `npm run db:generate` (part of `npm run setup`), then start again.",
      { cause: error },
    );
  }
}

export function createPrismaClient(databaseUrl = process.env.DATABASE_URL): PrismaClient {
  const provider = databaseProviderFor(databaseUrl);
  let client: PrismaClient;
  if (provider === "postgresql") {
    const PgPrismaClient = postgresClientClass();
    client = new PgPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl! }) });
  } else {
    client = new PrismaClient({ adapter: new PrismaLibSQL({ url: sqliteUrl(databaseUrl) }) });
  }
  providers.set(client, provider);
  return client;
}

/**
 * The provider behind a client, for the few places that use provider-specific
 * SQL (worker claiming). Clients not made here count as SQLite: the portable path.
 */
export function databaseProviderOf(prisma: object): DatabaseProvider {
  return providers.get(prisma) ?? "sqlite";
}
