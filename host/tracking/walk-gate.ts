// Bounds the genealogy walks running at once (TRACE_MAX_CONCURRENT). Each walk holds up to its
// node limit and one level's candidates in memory (tens of MB for a 100,000-node recall) and
// shares the one event loop with everything else, so more walks at once buy no throughput: ten
// concurrent deep traces held 3.2 GB before this gate. A walk over the cap is refused at once (the
// route answers 503 with Retry-After) rather than queued, so a burst cannot pile up memory either.
export class WalkGate {
  private running = 0;

  constructor(readonly maxConcurrent: number) {}

  /** Runs `walk` in a free slot; null, without running it, when every slot is taken. */
  async run<T>(walk: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.running >= this.maxConcurrent) return null;
    this.running++;
    try {
      return { value: await walk() };
    } finally {
      this.running--;
    }
  }
}
