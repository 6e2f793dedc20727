// The Prisma driver adapter for SQLite files, tuned for the app's real shape:
// the web app and the worker are two processes writing one file.
//
// @prisma/adapter-libsql as shipped talks to @libsql/client, which
// - starts every Prisma transaction with client.transaction("deferred"),
//   handing its connection to the transaction and opening a NEW connection
//   for whatever comes next; and the deferred BEGIN means a transaction that
//   reads before it writes (intake does) fails at once with SQLITE_BUSY when
//   the other process committed in between, whatever the busy timeout: a
//   webhook answered 500 whenever the worker wrote at the same moment.
// - prepares every statement again on every call, finds out that a
//   statement returns no rows by catching an exception, and builds each row
//   as an object property by property: a fifth of the worker's main-thread
//   time on its hot path (npm run bench:sync, docs/benchmarks.md).
//
// Here the adapter gets a client of our own over the same SQLite library
// (libsql, which @libsql/client uses underneath): ONE connection for the
// client's life, prepared statements kept and reused, rows as the arrays
// Prisma's adapter reads, transactions with BEGIN IMMEDIATE (take the write
// lock first, waiting up to the busy timeout for the other process) and
// COMMIT/ROLLBACK on that same connection. That is safe because the adapter
// holds its per-client mutex from startTransaction until commit or rollback,
// so no other statement of this client can run in between. Durability is
// unchanged (synchronous stays FULL): an acknowledged webhook is on disk.
// Every transaction and statement also takes the process's write lock for
// the file (write-lock.ts), shared with intake's writer thread.
//
// Why not a thread for this connection too, as intake has: Prisma sends
// many small statements one after another, and its transactions hold the
// write lock between them; a round trip to a thread per statement makes every
// lock hold longer and the worker slower (bench:sync 0.82-0.92 against 0.93;
// docs/decisions/0001-sqlite-adapter-and-writer-thread.md).
import { createRequire } from "node:module";
import type { Client, Config, InArgs, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";
import type { PrismaLibSQL } from "@prisma/adapter-libsql";
import { sqliteFilePath, sqliteWriteLock } from "./write-lock";

/** How long a write waits for the other process's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Prepared statements kept per connection; Prisma's SQL varies mostly with the length of IN lists. */
const STATEMENT_CACHE_SIZE = 500;

// The parts of libsql's (better-sqlite3-like) API used here; the package
// publishes no types for its CommonJS entry.
interface SqliteStatement {
  readonly reader: boolean;
  raw(on?: boolean): SqliteStatement;
  safeIntegers(on?: boolean): SqliteStatement;
  columns(): Array<{ name: string; type: string | null }>;
  all(args: unknown[] | Record<string, unknown>): unknown[][];
  run(args: unknown[] | Record<string, unknown>): { changes: number; lastInsertRowid: number | bigint };
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}
// libsql's native library and @prisma/adapter-libsql are loaded on first
// use, not with this module: a PostgreSQL deployment imports this file (the
// client factory names both providers) but never opens a SQLite file, and the
// two cost about 15 MiB of resident memory per process (docs/benchmarks.md, "Memory").
const load = createRequire(import.meta.url);
let sqliteDatabaseClass: (new (path: string) => SqliteDatabase) | undefined;
const SqliteDatabaseClass = () => (sqliteDatabaseClass ??= load("libsql") as new (path: string) => SqliteDatabase);

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Arguments and values converted as @libsql/client does in its default
// ("number") integer mode, so Prisma's adapter sees the same behaviour.
function toSql(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

function fromSql(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value < MIN_SAFE || value > MAX_SAFE) {
      throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    }
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

function argsOf(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (!args) return [];
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(value);
  return named;
}

function resultSet(columns: string[], columnTypes: string[], rows: unknown[][], rowsAffected: number, lastInsertRowid?: bigint): ResultSet {
  return {
    columns,
    columnTypes,
    // Arrays, read by index: that is how Prisma's adapter reads rows.
    rows: rows as unknown as ResultSet["rows"],
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({ columns, columnTypes, rows, rowsAffected, lastInsertRowid: lastInsertRowid?.toString() ?? null }),
  };
}

interface Prepared {
  statement: SqliteStatement;
  columns: string[];
  columnTypes: string[];
}

/** One connection and its prepared statements. */
class Connection {
  private readonly statements = new Map<string, Prepared>();
  readonly db: SqliteDatabase;

  constructor(file: string) {
    this.db = new (SqliteDatabaseClass())(file || ":memory:");
    this.db.prepare(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).all([]);
    if (file) {
      // WAL: the web app and the worker read while the other writes. The
      // mode is stored in the file; setting it on every open also covers a
      // database `prisma migrate deploy` created (it leaves SQLite's
      // rollback journal, under which a reader and a writer block each other).
      this.db.prepare("PRAGMA journal_mode = WAL").all([]);
    }
  }

  private prepared(sql: string): Prepared {
    let entry = this.statements.get(sql);
    if (entry) {
      // Most recently used last, so the oldest is the one evicted.
      this.statements.delete(sql);
      this.statements.set(sql, entry);
      return entry;
    }
    const statement = this.db.prepare(sql).safeIntegers(true);
    const columns = statement.reader ? statement.columns() : [];
    if (statement.reader) statement.raw(true);
    entry = { statement, columns: columns.map((c) => c.name), columnTypes: columns.map((c) => c.type ?? "") };
    this.statements.set(sql, entry);
    if (this.statements.size > STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    return entry;
  }

  execute(stmt: InStatement, args?: InArgs): ResultSet {
    const { sql, args: given } = typeof stmt === "string" ? { sql: stmt, args } : stmt;
    const { statement, columns, columnTypes } = this.prepared(sql);
    const bound = argsOf(given);
    if (statement.reader) return resultSet(columns, columnTypes, statement.all(bound).map((row) => row.map(fromSql)), 0);
    const info = statement.run(bound);
    return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
  }
}

function sameConnectionTransaction(connection: Connection, release: () => void): Transaction {
  let open = true;
  const end = async (sql: "COMMIT" | "ROLLBACK") => {
    if (!open) return;
    open = false;
    try {
      // After some errors SQLite has already rolled back: nothing to end then.
      if (sql === "COMMIT" || connection.db.inTransaction) connection.db.exec(sql);
    } finally {
      release();
    }
  };
  return {
    execute: async (stmt: InStatement) => connection.execute(stmt),
    batch: async (stmts: InStatement[]) => stmts.map((stmt) => connection.execute(stmt)),
    executeMultiple: () => Promise.reject(new Error("executeMultiple is not supported inside a transaction")),
    rollback: () => end("ROLLBACK"),
    commit: () => end("COMMIT"),
    close: () => void end("ROLLBACK").catch(() => {}),
    get closed() {
      return !open;
    },
  };
}

/** A libsql client on one connection: its transactions stay on it, its statements are prepared once. */
export function createSingleConnectionClient(config: Config): Client {
  const connection = new Connection(sqliteFilePath(config.url));
  const writeLock = sqliteWriteLock(config.url);
  let closed = false;

  // Statements outside a transaction take the lock too: while intake's
  // writer thread holds the file's write lock for a batch, a write here
  // would block this thread inside SQLite, and the batch needs this thread
  // to finish (write-lock.ts).
  async function locked<T>(run: () => T): Promise<T> {
    if (closed) throw new Error("The SQLite client is closed");
    const release = await writeLock.acquire();
    try {
      return run();
    } finally {
      release();
    }
  }

  return {
    execute: (stmt: InStatement, args?: InArgs) => locked(() => connection.execute(stmt, args)),
    batch: (stmts: InStatement[]) =>
      locked(() => {
        connection.db.exec("BEGIN IMMEDIATE");
        try {
          const results = stmts.map((stmt) => connection.execute(stmt));
          connection.db.exec("COMMIT");
          return results;
        } finally {
          if (connection.db.inTransaction) connection.db.exec("ROLLBACK");
        }
      }),
    async transaction(_mode?: TransactionMode) {
      if (closed) throw new Error("The SQLite client is closed");
      // This process's other connection to the file (intake's group
      // commit) must not be mid-write: see write-lock.ts.
      const release = await writeLock.acquire();
      try {
        // IMMEDIATE whatever Prisma asks for: see the header comment.
        connection.db.exec("BEGIN IMMEDIATE");
      } catch (error) {
        release();
        throw error;
      }
      return sameConnectionTransaction(connection, release);
    },
    executeMultiple: (sql: string) => locked(() => connection.db.exec(sql)),
    sync: () => Promise.resolve(),
    close() {
      if (closed) return;
      closed = true;
      connection.db.close();
    },
    get closed() {
      return closed;
    },
    protocol: "file",
  } as Client;
}

let adapterClass: (new (config: Config) => PrismaLibSQL) | undefined;
function singleConnectionAdapterClass(): new (config: Config) => PrismaLibSQL {
  if (adapterClass) return adapterClass;
  const { PrismaLibSQL: Base } = load("@prisma/adapter-libsql") as typeof import("@prisma/adapter-libsql");
  adapterClass = class SingleConnectionPrismaLibSQL extends Base {
    override createClient(config: Config): Client {
      return createSingleConnectionClient(config);
    }
  };
  return adapterClass;
}

/**
 * Prisma driver adapter factory for a SQLite file URL ("file:..."): `new
 * SingleConnectionPrismaLibSQL({ url })` returns a PrismaLibSQL whose client
 * is createSingleConnectionClient's (the class is made on first use, see above).
 */
export const SingleConnectionPrismaLibSQL = function SingleConnectionPrismaLibSQL(config: Config) {
  return new (singleConnectionAdapterClass())(config);
} as unknown as new (config: Config) => PrismaLibSQL;

