// Builds a PrismaClient on Prisma's JS engine through a driver adapter (no
// downloaded engine binaries). No side effects: tests and scripts create
// their own clients; the app uses the shared one from db.server.ts.
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { sqliteUrl } from "./db-url";

export function createPrismaClient(databaseUrl = process.env.DATABASE_URL): PrismaClient {
  const adapter = new PrismaLibSQL({ url: sqliteUrl(databaseUrl) });
  return new PrismaClient({ adapter });
}
