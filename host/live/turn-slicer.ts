// Shares the event loop between live-stream catch-ups and everything else. Each catch-up batch is
// cheap (one SQLite read of up to LIVE_BATCH_BYTES and its rendering), but 40 streams catching up
// at once each took a batch in the same loop turn, over and over while their sockets accepted data:
// /health waited seconds behind them. Readers ask for a turn before each batch; once the batches
// read in this loop turn took SLICE_MS, the next reader waits for the next turn, after the poll
// phase has served incoming requests.
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
