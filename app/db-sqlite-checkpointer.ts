// Moves SQLite's WAL checkpoints off the event loop.
//
// In WAL mode every commit appends to the -wal file, and by default the
// connection whose commit takes the WAL past 1,000 pages copies it back into
// the database file and fsyncs it, inside that commit. With about 20 KB per
// webhook (inbox row + ledger snapshot) that was every ~200 webhooks, each
// time blocking the web process for tens of milliseconds: most of the p99 ack
// latency in npm run bench:ingest (docs/benchmarks.md). Intake's connection
// therefore never checkpoints (wal_autocheckpoint = 0) and this thread, with
// a connection of its own, runs a PASSIVE checkpoint a few times a second: it
// copies what it can without waiting for or blocking readers and writers.
//
// The thread loads the same libsql library as the rest of the process, so
// SQLite's file-lock bookkeeping stays shared (one copy of SQLite per process).
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export const CHECKPOINT_INTERVAL_MS = 250;

// Plain CommonJS run by the worker thread: no build step, nothing from the app.
const THREAD_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.libsqlPath);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    // Busy or locked: the next round tries again.
  }
}, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message === "stop") {
    clearInterval(timer);
    db.close();
    process.exit(0);
  }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing `file` from a worker thread; it does not keep the process alive. */
export function startWalCheckpointer(file: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const libsqlPath = createRequire(import.meta.url).resolve("libsql");
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { file, libsqlPath, intervalMs } });
  worker.unref();
  worker.on("error", (error) => console.warn(`SQLite checkpoint thread stopped: ${error.message}`));
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("stop");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await worker.terminate();
    },
  };
}
