// One write lock per SQLite file per process, shared by Prisma's connection
// (adapter.ts) and intake's group commit (app/sync/intake/sqlite-store.ts,
// through its writer thread), which write the same file over two connections.
//
// Why: SQLite's own lock waits by blocking the thread (busy_timeout). If one
// connection holds the file's write lock across awaits (a Prisma interactive
// transaction; an intake batch waiting for this thread to decide) and the
// other connection then blocks this thread waiting for it, the holder can
// never finish: the process stalls for the whole busy timeout and then fails.
// Taking this lock (asynchronously) first means a connection only waits
// inside SQLite for OTHER processes (the worker).
import path from "node:path";
import { KeyedLock } from "../../lib/keyed-lock";

export interface WriteLock {
  /** Resolves once the lock is held; call the returned function to release it. */
  acquire(): Promise<() => void>;
}

/** One key per database file (app/lib/keyed-lock.ts). */
const fileLocks = new KeyedLock();

/** "file:./prisma/dev.sqlite?x=y" -> absolute file path ("" for in-memory databases). */
export function sqliteFilePath(url: string): string {
  const withoutScheme = url.replace(/^file:/, "").replace(/\?.*$/, "");
  if (withoutScheme === "" || withoutScheme === ":memory:") return "";
  return path.resolve(withoutScheme);
}

/** The lock for a SQLite URL's file, shared by every connection this process opens to it. */
export function sqliteWriteLock(url: string): WriteLock {
  const key = sqliteFilePath(url) || url;
  return { acquire: () => fileLocks.acquire(key) };
}
