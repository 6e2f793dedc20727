// @ts-check
// The body of the SQLite writer thread (writer.ts starts it): it owns one
// connection to the file, runs intake's batches on it and checkpoints the
// WAL between them.
//
// Plain CommonJS that Node runs as it is: writer.ts imports this file as
// text (`?raw`) and starts it with `new Worker(source, { eval: true })`, so
// the same source runs under vite-node in development, inside the bundled
// worker (vite.worker.config.ts) and inside the Remix server build, with no
// file to copy next to either bundle. It loads the libsql library the rest of
// the process uses (its path comes in workerData), so there is one copy of
// SQLite per process and its file-lock bookkeeping stays shared.
"use strict";
const { workerData, parentPort } = require("node:worker_threads");

/**
 * @typedef {{ get(...args: unknown[]): unknown; run(...args: unknown[]): { changes: number } }} Statement
 * @typedef {{ prepare(sql: string): Statement; exec(sql: string): void; pragma(sql: string): unknown; close(): void; readonly inTransaction: boolean }} Database
 * @typedef {{ sql: string; args: Array<string | number | null>; mustChange?: boolean }} SqlStatement
 * @typedef {{ id: number; type: "read"; queries: SqlStatement[][] }
 *   | { id: number; type: "write"; events: SqlStatement[][] }
 *   | { id: number; type: "rollback" }
 *   | { id?: undefined; type: "stop" }} Request
 */

if (!parentPort) throw new Error("writer-thread.cjs runs only as a worker thread");
const port = parentPort;

/** @type {new (file: string) => Database} */
const Database = require(workerData.libsqlPath);
const db = new Database(workerData.file);
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
// WAL (stored in the file): the web app and the worker read while the other writes.
db.pragma("journal_mode = WAL");
// Commits never stop to checkpoint; the timer below does, between batches.
db.pragma("wal_autocheckpoint = 0");

/** @type {Map<string, Statement>} */
const statements = new Map();

/**
 * Characters of text a write batch may carry before this thread collects its
 * garbage once the batch is answered. A large webhook's text (up to 10 MB)
 * stays in this thread's heap after its batch until V8 collects, and V8
 * collects only when the thread allocates: between bursts of webhooks it
 * does not, and the web process kept 15-20 MiB of dead text for good
 * (docs/benchmarks.md, "Memory"). One full collection of this small heap
 * takes a few milliseconds, off the main thread.
 */
const COLLECT_AFTER_TEXT_CHARS = 1024 * 1024;

/** V8's gc extension, present when node runs with --expose-gc (`npm start` does); otherwise large batches are left to V8. */
const collectGarbage = /** @type {{ gc?: (options: object) => Promise<void> }} */ (globalThis).gc;

/** @param {SqlStatement[][]} events */
function textCharsOf(events) {
  let chars = 0;
  for (const ops of events) for (const op of ops) for (const arg of op.args) if (typeof arg === "string") chars += arg.length;
  return chars;
}

/** @param {string} sql */
function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** @param {unknown} error */
function messageOf(error) {
  const message = /** @type {{ message?: unknown } | null | undefined} */ (error)?.message;
  return String(message || error);
}

/** @param {Exclude<Request, { type: "stop" }>} m */
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
  throw new Error("unknown request " + /** @type {{ type: string }} */ (m).type);
}

const checkpoints = setInterval(() => {
  if (db.inTransaction) return;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or locked: the next round tries again.
  }
}, workerData.checkpointIntervalMs);

port.on("message", (/** @type {Request} */ m) => {
  if (m.type === "stop") {
    clearInterval(checkpoints);
    db.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ id: m.id, ok: true, ...handle(m) });
    if (m.type === "write" && collectGarbage && textCharsOf(m.events) >= COLLECT_AFTER_TEXT_CHARS) {
      // The message (and with it the texts) is dropped once this handler returns; collect after that.
      setImmediate(() => void collectGarbage({ type: "major", execution: "async", flavor: "last-resort" }));
    }
  } catch (error) {
    if (m.type !== "read" && db.inTransaction) {
      try {
        db.exec("ROLLBACK");
      } catch {
        // The connection already ended the transaction.
      }
    }
    port.postMessage({ id: m.id, ok: false, error: messageOf(error) });
  }
});
