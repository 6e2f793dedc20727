// The Prisma driver adapter for SQLite files, tuned for the app's real shape:
// the web app and the worker are two processes writing one file.
//
// @prisma/adapter-libsql as shipped starts every Prisma transaction with
// libsql's client.transaction("deferred"), which hands its connection to the
// transaction and opens a NEW connection for whatever comes next; and the
// deferred BEGIN means a transaction that reads before it writes (intake
// does) fails at once with SQLITE_BUSY when the other process committed in
// between, whatever the busy timeout. Measured by npm run bench:ingest (see
// docs/benchmarks.md): webhooks answered 500 while the worker wrote.
//
// Here the one connection is kept for the client's life: transactions run on
// it with BEGIN IMMEDIATE (take the write lock first, waiting up to the busy
// timeout for the other process) and COMMIT/ROLLBACK. That is safe because
// the adapter holds its per-client mutex from startTransaction until commit
// or rollback, so no other statement of this client can run in between.
// Durability is unchanged (synchronous stays FULL): an acknowledged webhook
// is on disk. Every transaction and statement also takes the process's write
// lock for the file (db-sqlite-lock.ts), shared with intake's writer thread.
import { createClient, type Client, type Config, type InStatement, type ResultSet, type Transaction, type TransactionMode } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { sqliteWriteLock } from "./db-sqlite-lock";

/** How long a write waits for the other process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

function sameConnectionTransaction(client: Client, release: () => void): Transaction {
  let open = true;
  const end = async (sql: "COMMIT" | "ROLLBACK") => {
    if (!open) return;
    open = false;
    try {
      await client.execute(sql);
    } finally {
      release();
    }
  };
  return {
    execute: (stmt: InStatement) => client.execute(stmt),
    async batch(stmts: InStatement[]) {
      const results: ResultSet[] = [];
      for (const stmt of stmts) results.push(await client.execute(stmt));
      return results;
    },
    executeMultiple: () => Promise.reject(new Error("executeMultiple is not supported inside a transaction")),
    rollback: () => end("ROLLBACK"),
    commit: () => end("COMMIT"),
    close: () => void end("ROLLBACK").catch(() => {}),
    get closed() {
      return !open;
    },
  } as Transaction;
}

/** A libsql client whose transactions stay on its one connection. */
export function createSingleConnectionClient(config: Config): Client {
  const client = createClient(config);
  const writeLock = sqliteWriteLock(config.url);
  const ready = client.execute(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  ready.catch(() => {}); // reported by the first transaction, which awaits it
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "transaction") {
        return async (_mode?: TransactionMode) => {
          await ready;
          // This process's other connection to the file (intake's group
          // commit) must not be mid-write: see db-sqlite-lock.ts.
          const release = await writeLock.acquire();
          try {
            // IMMEDIATE whatever Prisma asks for: see the header comment.
            await target.execute("BEGIN IMMEDIATE");
          } catch (error) {
            release();
            throw error;
          }
          return sameConnectionTransaction(target, release);
        };
      }
      if (prop === "execute" || prop === "batch" || prop === "executeMultiple") {
        // Statements outside a transaction take the lock too: while intake's
        // writer thread holds the file's write lock for a batch, a write here
        // would block this thread inside SQLite, and the batch needs this
        // thread to finish (db-sqlite-lock.ts).
        const run = (Reflect.get(target, prop, target) as (...args: unknown[]) => Promise<unknown>).bind(target);
        return async (...args: unknown[]) => {
          const release = await writeLock.acquire();
          try {
            return await run(...args);
          } finally {
            release();
          }
        };
      }
      const value = Reflect.get(target, prop, target);
      // Bound to the real client: its methods use private fields.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Prisma driver adapter factory for a SQLite file URL ("file:..."). */
export class SingleConnectionPrismaLibSQL extends PrismaLibSQL {
  override createClient(config: Config): Client {
    return createSingleConnectionClient(config);
  }
}
