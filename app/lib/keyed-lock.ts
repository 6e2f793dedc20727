// The app's one keyed lock: work under one key runs one at a time, in the
// order it asked (FIFO), work under different keys runs side by side. Inside
// one process only; across processes the engine's per-order lease and the
// database's own locks do this job. Used for:
// - connectors' "look up, then create" per order (some ERPs, Tryton, do not
//   enforce unique references, so two interleaved deliveries of one webhook
//   would make two sales);
// - the SQLite write lock per database file (app/db/sqlite/write-lock.ts);
// - the Shopify Admin client's per-shop admission, so concurrent calls for a
//   shop queue for its cost bucket instead of all firing into a THROTTLED.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Resolves once `key` is held; call the returned function (once) to release it. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      // Forget the key once nobody queued behind, so the map stays small.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** Runs `work` holding `key`; the key is released however the work ends. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Keys held or waited for (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
