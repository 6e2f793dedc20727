// A thread that owns one SQLite connection and runs statements for the main
// thread: intake's group commit (sync/sqlite-intake-store.ts) reads and
// writes through it, and between batches it checkpoints the WAL.
//
// Why a thread: a SQLite commit is an fsync, and with libsql (synchronous)
// on the main thread every commit, and every checkpoint, stopped all request
// handling for as long as the disk took: 0.6 ms usually, 20-60 ms when the
// disk is busy, which is where npm run bench:ingest's p99 came from
// (docs/benchmarks.md). Here the main thread verifies and parses the next
// webhooks while this thread waits for the disk.
//
// The thread runs plain CommonJS (no build step) and loads the same libsql
// library as the rest of the process, so there is one copy of SQLite per
// process and its file-lock bookkeeping stays shared.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface SqlStatement {
  sql: string;
  args: Array<string | number | null>;
  /** An UPDATE that must change a row (a compare-and-set): 0 rows changed fails the event. */
  mustChange?: boolean;
}

/** Thrown when a statement of one event fails; the event's savepoint was rolled back. */
export class SqliteEventError extends Error {}

const THREAD_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.libsqlPath);
const db = new Database(workerData.file);
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
// WAL (stored in the file): the web app and the worker read while the other writes.
db.pragma("journal_mode = WAL");
// Commits never stop to checkpoint; the timer below does, between batches.
db.pragma("wal_autocheckpoint = 0");
const statements = new Map();
function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
function messageOf(error) {
  return String((error && error.message) || error);
}
function handle(m) {
  if (m.type === "read") {
    // Opens the batch's transaction and keeps it open for the "write" that follows.
    db.exec("BEGIN IMMEDIATE");
    return { results: m.queries.map((queries) => queries.map((q) => prepared(q.sql).get(...q.args) || null)) };
  }
  if (m.type === "write") {
    const failures = m.events.map((ops) => {
      db.exec("SAVEPOINT intake_event");
      try {
        for (const op of ops) {
          const info = prepared(op.sql).run(...op.args);
          if (op.mustChange && info.changes === 0) throw new Error("the order row changed while intake folded news into it");
        }
        db.exec("RELEASE intake_event");
        return null;
      } catch (error) {
        db.exec("ROLLBACK TO intake_event");
        db.exec("RELEASE intake_event");
        return messageOf(error);
      }
    });
    db.exec("COMMIT");
    return { failures };
  }
  if (m.type === "rollback") {
    if (db.inTransaction) db.exec("ROLLBACK");
    return {};
  }
  throw new Error("unknown request " + m.type);
}
parentPort.on("message", (m) => {
  if (m.type === "stop") {
    clearInterval(checkpoints);
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, ok: true, ...handle(m) });
  } catch (error) {
    if (m.type !== "read" && db.inTransaction) {
      try { db.exec("ROLLBACK"); } catch {}
    }
    parentPort.postMessage({ id: m.id, ok: false, error: messageOf(error) });
  }
});
const checkpoints = setInterval(() => {
  if (db.inTransaction) return;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or locked: the next round tries again.
  }
}, workerData.checkpointIntervalMs);
`;

type Reply = { id: number; ok: true; results?: unknown[][]; failures?: Array<string | null> } | { id: number; ok: false; error: string };

export class SqliteWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor(file: string, opts: { busyTimeoutMs: number; checkpointIntervalMs?: number }) {
    const libsqlPath = createRequire(import.meta.url).resolve("libsql");
    this.worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { file, libsqlPath, busyTimeoutMs: opts.busyTimeoutMs, checkpointIntervalMs: opts.checkpointIntervalMs ?? 250 },
    });
    // Idle, the thread must not keep the process alive; with a call pending it must.
    this.worker.unref();
    this.worker.on("message", (reply: Reply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      call.resolve(reply);
    });
    const fail = (error: Error) => {
      this.dead = error;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", (error) => fail(new Error(`SQLite writer thread failed: ${error.message}`)));
    this.worker.on("exit", () => fail(this.dead ?? new Error("SQLite writer thread stopped")));
  }

  /** Opens a write transaction (BEGIN IMMEDIATE) and runs each event's look-ups in it. */
  async begin(queries: SqlStatement[][]): Promise<Array<Array<Record<string, unknown> | null>>> {
    const reply = await this.call({ type: "read", queries });
    return reply.results as Array<Array<Record<string, unknown> | null>>;
  }

  /** Runs each event's writes in its own savepoint, then commits; returns each event's error message or null. */
  async commit(events: SqlStatement[][]): Promise<Array<string | null>> {
    const reply = await this.call({ type: "write", events });
    return reply.failures!;
  }

  async rollback(): Promise<void> {
    await this.call({ type: "rollback" });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.worker.once("exit", () => resolve());
      this.worker.postMessage({ type: "stop" });
      setTimeout(() => void this.worker.terminate(), 1000).unref();
    });
  }

  private call(message: Record<string, unknown>): Promise<Extract<Reply, { ok: true }>> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => (reply.ok ? resolve(reply) : reject(new Error(reply.error))),
        reject,
      });
      this.worker.ref();
      this.worker.postMessage({ id, ...message });
    });
  }
}
