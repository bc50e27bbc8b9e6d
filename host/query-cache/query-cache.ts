// Caches query answers (cache_enabled, cache_ttl, CACHE_MAX_BYTES, CACHE_MAX_ENTRY_BYTES). An entry
// is keyed by the request and by the highest stored seq when it was computed, so any new event makes
// every older entry a miss: the cache can only ever return what a fresh query would return.
//
// Memory is bounded in bytes, not entries: 1,000 entries of 0.5 KB events pinned 750 MB, and 140
// answers of 200 events of 140 KB exhausted the heap. lru-cache keeps the total under maxBytes
// (least recently used answers go first), refuses an answer larger than maxEntryBytes outright (it
// is served, just not kept), and drops expired entries on a timer so idle memory is given back.
import { LRUCache } from 'lru-cache';
import { approximateBytes } from './approximate-bytes.js';

export interface QueryCacheOptions {
  enabled: boolean;
  ttlMs: number;
  /** Most bytes of answers kept (estimated by approximateBytes); unset: bounded by maxEntries only. */
  maxBytes?: number;
  /** Larger answers are not cached at all (default: maxBytes / 8). */
  maxEntryBytes?: number;
  /** Most answers kept, whatever their size. */
  maxEntries?: number;
  /** Called with the estimated size of each answer too large to cache. */
  onTooLarge?: (bytes: number) => void;
  /** Called with the estimated bytes kept whenever an answer is added, evicted or expires. */
  onBytes?: (bytes: number) => void;
  now?: () => number;
}

// Entries are kept as boxes: lru-cache refuses undefined values, and an answer may be null.
interface Entry {
  value: unknown;
}

export class QueryCache {
  private readonly entries: LRUCache<string, Entry> | null;
  private readonly maxEntryBytes: number;

  constructor(private readonly options: QueryCacheOptions) {
    const { maxBytes, maxEntries } = options;
    if (maxBytes === undefined && maxEntries === undefined) {
      throw new RangeError('a query cache needs maxBytes or maxEntries');
    }
    this.maxEntryBytes =
      options.maxEntryBytes ?? (maxBytes === undefined ? Infinity : Math.floor(maxBytes / 8));
    this.entries = !options.enabled
      ? null
      : new LRUCache<string, Entry>({
          ...(maxEntries === undefined ? {} : { max: maxEntries }),
          ...(maxBytes === undefined ? {} : { maxSize: maxBytes }),
          ttl: options.ttlMs,
          // A timer per entry (unref'd by lru-cache) frees an expired answer even if nothing asks again.
          ttlAutopurge: true,
          // Re-reading an answer does not extend its life: cache_ttl is the longest it is kept.
          updateAgeOnGet: false,
          ...(options.now === undefined ? {} : { perf: { now: options.now } }),
          disposeAfter: () => this.reportBytes(),
        });
  }

  /**
   * The cached answer, or undefined. Answers are computed over several event-loop turns, so callers
   * get, then compute, then set with the store version read before computing.
   */
  get(request: string, storeVersion: number): unknown {
    return this.lookup(request, storeVersion)?.value;
  }

  /** Keeps an answer computed at this store version, unless it is too large to keep. */
  set(request: string, storeVersion: number, value: unknown): void {
    if (this.entries === null) return;
    const size = Math.max(1, approximateBytes(value));
    if (size > this.maxEntryBytes || (this.options.maxBytes !== undefined && size > this.options.maxBytes)) {
      this.options.onTooLarge?.(size);
      return;
    }
    this.entries.set(`${storeVersion}\u0000${request}`, { value }, { size });
    this.reportBytes();
  }

  private lookup(request: string, storeVersion: number): Entry | undefined {
    return this.entries?.get(`${storeVersion}\u0000${request}`);
  }

  private reportBytes(): void {
    this.options.onBytes?.(this.bytes);
  }

  /** Answers kept now. */
  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** Estimated bytes of the answers kept now. */
  get bytes(): number {
    return this.entries?.calculatedSize ?? 0;
  }
}
