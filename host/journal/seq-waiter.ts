// Read-your-writes across the pair: tracker-server.wasm acknowledges a capture once it is in its
// journal, and a request it then forwards carries that record's seq. Requests wait here until the
// journal tail has stored up to it, or give up after a bounded time.
export class SeqWaiter {
  private stored = 0;
  private readonly waiting = new Set<{ seq: number; done: (reached: boolean) => void }>();

  get storedSeq(): number {
    return this.stored;
  }

  /** The tail has stored every record up to `seq`. */
  advance(seq: number): void {
    if (seq <= this.stored) return;
    this.stored = seq;
    for (const waiter of this.waiting) {
      if (waiter.seq <= seq) {
        this.waiting.delete(waiter);
        waiter.done(true);
      }
    }
  }

  /** Resolves true once `seq` is stored, false when `timeoutMs` passes first. */
  waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    if (seq <= this.stored) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        seq,
        done: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.waiting.add(waiter);
    });
  }

  /** Answers every waiter now (shutdown): they get their 503 rather than hang. */
  releaseAll(): void {
    for (const waiter of this.waiting) waiter.done(false);
    this.waiting.clear();
  }
}
