// One PrismaClient per process (as in Shopify's template), connected through
// a driver adapter built from DATABASE_URL (app/config.server.ts); SQLite file by default.
import type { PrismaClient } from "@prisma/client";
import { config } from "../config.server";
import { createPrismaClient } from "./client";

declare global {
  // Remix's dev server re-imports modules; keep one client across reloads.
  var prismaGlobal: PrismaClient | undefined;
}

const { nodeEnv, database } = config();
const prisma: PrismaClient = globalThis.prismaGlobal ?? createPrismaClient(database.url, { poolMax: database.poolMax });
if (nodeEnv !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
