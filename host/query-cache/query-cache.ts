// Caches query answers (cache_enabled, cache_ttl). An entry is keyed by the request and by the
// highest stored seq when it was computed, so any new event makes every older entry a miss: the
// cache can only ever return what a fresh query would return. TTL and size bound the memory.
export interface QueryCacheOptions {
  enabled: boolean;
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  value: unknown;
  expiresAtMs: number;
}

export class QueryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: QueryCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The cached answer for this request at this store version, or computes and keeps it. */
  getOrCompute<T>(request: string, storeVersion: number, compute: () => T): { value: T; hit: boolean } {
    if (!this.options.enabled) return { value: compute(), hit: false };
    const key = `${storeVersion}\u0000${request}`;
    const entry = this.entries.get(key);
    const now = this.now();
    if (entry !== undefined && entry.expiresAtMs > now) {
      // Re-insert to keep the map in least-recently-used order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return { value: entry.value as T, hit: true };
    }
    const value = compute();
    this.entries.set(key, { value, expiresAtMs: now + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return { value, hit: false };
  }

  get size(): number {
    return this.entries.size;
  }
}
