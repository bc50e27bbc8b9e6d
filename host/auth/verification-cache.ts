/**
 * A bounded least-recently-used map of verification outcomes, so that a key is scrypted once per
 * process and not on every request. Keys are SHA-256 digests of presented credentials,
 * never the credentials: a heap dump then holds nothing that authenticates. Successes and failures
 * go to two separate caches (api-keys.ts): in a shared one, a stream of made-up keys would evict
 * the real ones.
 */
export class VerificationCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  get(digest: string): V | undefined {
    const value = this.entries.get(digest);
    if (value !== undefined) {
      // A Map iterates in insertion order; re-inserting makes this the most recently used.
      this.entries.delete(digest);
      this.entries.set(digest, value);
    }
    return value;
  }

  set(digest: string, value: V): void {
    this.entries.delete(digest);
    this.entries.set(digest, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
