// One PrismaClient per process (as in Shopify's template), connected through
// a driver adapter built from DATABASE_URL; SQLite file by default.
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "./client";

declare global {
  // Remix's dev server re-imports modules; keep one client across reloads.
  var prismaGlobal: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.prismaGlobal ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
