// After `prisma generate` of prisma/postgres/schema.prisma: make the
// PostgreSQL client use @prisma/client's runtime instead of its own copy.
// Why: Prisma copies the runtime next to a client generated to a custom
// output, so its error classes are different classes, and code that checks
// `error instanceof Prisma.PrismaClientKnownRequestError` (unique-violation
// handling in intake, SKU mapping, …) would miss every PostgreSQL error.
// Same Prisma version, same file: a symlink makes it one module instance.
/* global console */
import { existsSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pgRuntime = path.join(root, "node_modules", ".prisma", "client-pg", "runtime");
const shared = path.join(root, "node_modules", "@prisma", "client", "runtime");
if (!existsSync(shared)) throw new Error(`${shared} is missing: run npm ci first`);
rmSync(pgRuntime, { recursive: true, force: true });
symlinkSync(path.relative(path.dirname(pgRuntime), shared), pgRuntime, "dir");
console.log("PostgreSQL Prisma client now shares @prisma/client's runtime");
