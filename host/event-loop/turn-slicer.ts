// Shares the event loop between long work split into batches and everything else. Readers ask for
// a turn before each batch; once the batches done in this loop turn took the slice, the next one
// waits for the next turn, after the poll phase has served incoming requests. Used by live-stream
// catch-ups (40 streams catching up at once, each taking a batch per turn, kept /health waiting for
// seconds), genealogy walks and trace pages, and event-page rendering; each keeps its own slicer,
// so a loop turn holds at most one slice of each.
const SLICE_MS = 5;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class TurnSlicer {
  /** When the current slice began; null until a reader takes the first batch of a new turn. */
  private sliceStartedAt: number | null = null;

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Resolves when the caller may do one more batch of work in this slice. */
  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      if (this.sliceStartedAt === null) {
        this.sliceStartedAt = now;
        // Scheduled before any reader that waits below, so the next turn starts a fresh slice.
        setImmediate(() => (this.sliceStartedAt = null));
        return;
      }
      if (now - this.sliceStartedAt < this.sliceMs) return;
      await nextTurn();
    }
  }
}
