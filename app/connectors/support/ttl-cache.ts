// A small in-memory cache for what connectors look up again and again in the
// ERP (items by number, customers by e-mail, accounts, currencies): entries
// expire after a short lifetime so changes made in the ERP show through soon,
// and the cache holds at most `maxEntries` (the least recently used go
// first), so a shop with many customers cannot grow it without bound.
// Connectors only cache what the ERP has; "not found" is never cached, so an
// item or customer created in the ERP is seen on the next order.
export interface TtlCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export class TtlCache<V> {
  // Map keeps insertion order: re-inserting on each hit makes the first key the least recently used.
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
