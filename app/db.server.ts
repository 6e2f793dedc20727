// One PrismaClient per process, connected through a driver adapter (Prisma's
// JS engine: no downloaded binaries). SQLite file by default.
import { PrismaClient } from "@prisma/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { sqliteUrl } from "./db-url";

export function createPrismaClient(databaseUrl = process.env.DATABASE_URL): PrismaClient {
  const adapter = new PrismaLibSQL({ url: sqliteUrl(databaseUrl) });
  return new PrismaClient({ adapter });
}

declare global {
  // Remix's dev server re-imports modules; keep one client across reloads.
  var prismaGlobal: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.prismaGlobal ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
