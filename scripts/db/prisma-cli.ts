// Runs the project's Prisma CLI (never a downloaded engine: prisma.config.ts
// routes it through the driver adapters) and returns what it printed.
// `migrate diff` between schema files needs no database for either provider.
import { execFileSync } from "node:child_process";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");

export function runPrisma(args: string[], env: Record<string, string | undefined> = {}): string {
  return execFileSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "prisma"), args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** SQL that turns `fromSchema`'s model into `toSchema`'s (null = from an empty database). */
export function migrationSql(fromSchema: string | null, toSchema: string): string {
  const from = fromSchema ? ["--from-schema-datamodel", fromSchema] : ["--from-empty"];
  // DATABASE_URL unset: the CLI must not need (or touch) any database here.
  return runPrisma(["migrate", "diff", ...from, "--to-schema-datamodel", toSchema, "--script"], { DATABASE_URL: "" });
}

/** Prisma prints a comment instead of nothing when two models agree. */
export function isEmptyMigration(sql: string): boolean {
  return sql.replace(/--.*$/gm, "").trim() === "";
}
