// When the live feed fans out: once per tick, never more often than its own cost allows. A fan-out
// reads the events committed since the last one and writes one chunk to every caught-up subscriber;
// its price is mostly one write syscall per subscriber, whatever the number of events in it. Run
// once per group commit, 100 subscribers at 2,000 captures/s cost 45-70 µs of writev per subscriber
// per commit, about a third of the busy loop, and the capture path queued behind them (delivery P99
// 46 s, POST /events P99 19 s on a loaded 2-core machine, measured). Spacing the ticks so that the
// fan-out takes at most FAN_OUT_SHARE of the loop leaves the rest to captures and queries; a quiet
// feed (a tick costing little) still fans out at once.
/** Largest share of the event loop the fan-out takes when commits come faster than it can keep up. */
export const FAN_OUT_SHARE = 0.25;
/** The longest a tick waits, however costly the last one was: the bound on what pacing adds to delivery. */
export const MAX_TICK_INTERVAL_MS = 100;

export class FanOutPacer {
  private timer: NodeJS.Timeout | null = null;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private lastCostMs = 0;

  constructor(private readonly tick: () => void) {}

  /** Asks for a tick; requests made before it runs share it. */
  request(): void {
    if (this.timer !== null) return;
    const now = performance.now();
    const interval = Math.min(MAX_TICK_INTERVAL_MS, this.lastCostMs / FAN_OUT_SHARE);
    // A timer, not setImmediate, even when due now: the group commit runs in the check phase, so
    // this fires after the capture responses settled by the same commit went out, early in the next
    // loop turn (timers come before the poll phase), not after another round of incoming requests.
    this.timer = setTimeout(() => this.run(), Math.max(0, this.lastStartedAt + interval - now));
  }

  /** Drops a requested tick. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.timer = null;
    const started = performance.now();
    this.lastStartedAt = started;
    try {
      this.tick();
    } finally {
      // The writes of a tick reach the sockets in the nextTick callbacks that uncork them (one
      // writev each, queued during tick()); this callback is queued after them, so the cost counts
      // the syscalls, which are most of it.
      process.nextTick(() => (this.lastCostMs = performance.now() - started));
    }
  }
}
