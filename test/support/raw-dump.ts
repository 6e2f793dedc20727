// Everything a person who gets hold of the database could read, as raw bytes,
// for "no secret in plain text at rest" checks:
// - SQLite: every file of the database (main file, WAL, shared memory),
//   after a checkpoint so recent writes are in the main file too;
// - PostgreSQL: a full pg_dump of the test database (what a leaked backup
//   contains).
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestDatabase } from "../../testkit/db";
import { isPostgresUrl } from "../../app/db/url";

const run = promisify(execFile);

export async function rawDatabaseBytes(db: Pick<TestDatabase, "url" | "prisma">): Promise<Buffer> {
  if (isPostgresUrl(db.url)) {
    // pg_dump comes with the PostgreSQL client package the test server needs anyway.
    const { stdout } = await run("pg_dump", ["--no-owner", "--dbname", db.url], { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }
  await db.prisma.$queryRawUnsafe("PRAGMA wal_checkpoint(FULL)");
  const dir = path.dirname(fileURLToPath(db.url.replace(/^file:/, "file://")));
  return Buffer.concat(readdirSync(dir).map((name) => readFileSync(path.join(dir, name))));
}
