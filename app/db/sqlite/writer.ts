// A thread that owns one SQLite connection and runs statements for the main
// thread: intake's group commit (app/sync/intake/sqlite-store.ts) reads and
// writes through it, and between batches it checkpoints the WAL.
//
// Why a thread: a SQLite commit is an fsync, and libsql is synchronous: on
// the main thread every commit, and every checkpoint, would stop all request
// handling for as long as the disk takes (0.6 ms usually, 20-60 ms when the
// disk is busy), which is what sets webhook intake's p99
// (docs/benchmarks.md). Here the main thread verifies and parses the next
// webhooks while this thread waits for the disk.
//
// The thread's code is writer-thread.cjs, imported here as text and run with
// `eval: true` (that file's header says why).
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import THREAD_SOURCE from "./writer-thread.cjs?raw";

export interface SqlStatement {
  sql: string;
  args: Array<string | number | null>;
  /** An UPDATE that must change a row (a compare-and-set): 0 rows changed fails the event. */
  mustChange?: boolean;
}

/** Thrown when a statement of one event fails; the event's savepoint was rolled back. */
export class SqliteEventError extends Error {}

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
