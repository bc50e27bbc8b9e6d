// A bounded least-recently-used map, as host/auth/verification-cache.ts and the failed-auth
// limiter's client table keep them: a hit moves an entry to the recent end, an insert past the
// capacity drops the oldest. A doubly linked list beside the Map makes both O(1) (AssemblyScript's
// Map has no cheap "first key"). Held by globals only: the event loop collects garbage between turns.

export class LruEntry<K, V> {
  older: LruEntry<K, V> | null = null;
  newer: LruEntry<K, V> | null = null;
  constructor(
    public key: K,
    public value: V,
  ) {}
}

export class BoundedLru<K, V> {
  private readonly entries: Map<K, LruEntry<K, V>> = new Map<K, LruEntry<K, V>>();
  private oldest: LruEntry<K, V> | null = null;
  private newest: LruEntry<K, V> | null = null;

  constructor(readonly capacity: i32) {}

  get size(): i32 {
    return this.entries.size;
  }

  /** The entry for `key`, now the most recently used; null when absent. */
  find(key: K): LruEntry<K, V> | null {
    if (!this.entries.has(key)) return null;
    const entry = this.entries.get(key);
    this.unlink(entry);
    this.append(entry);
    return entry;
  }

  /** The entry for `key` without changing its recency; null when absent. */
  peek(key: K): LruEntry<K, V> | null {
    return this.entries.has(key) ? this.entries.get(key) : null;
  }

  set(key: K, value: V): void {
    const existing = this.find(key);
    if (existing !== null) {
      existing.value = value;
      return;
    }
    const entry = new LruEntry<K, V>(key, value);
    this.entries.set(key, entry);
    this.append(entry);
    const oldest = this.oldest;
    if (this.entries.size > this.capacity && oldest !== null) this.remove(oldest.key);
  }

  remove(key: K): void {
    if (!this.entries.has(key)) return;
    this.unlink(this.entries.get(key));
    this.entries.delete(key);
  }

  private append(entry: LruEntry<K, V>): void {
    entry.older = this.newest;
    entry.newer = null;
    const newest = this.newest;
    if (newest !== null) newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private unlink(entry: LruEntry<K, V>): void {
    const older = entry.older;
    const newer = entry.newer;
    if (older !== null) older.newer = newer;
    else this.oldest = newer;
    if (newer !== null) newer.older = older;
    else this.newest = older;
    entry.older = null;
    entry.newer = null;
  }
}
