// The work one genealogy walk may do, and how it shares the event loop. A walk is charged one unit
// per edge it reads (an identifier → event mention, an event → identifier participant) and may run
// for a bounded wall time; when either runs out it ends with a truncation marker instead of
// holding the process. It also runs in slices: between two store reads (each about a millisecond
// on an idle machine) it asks the shared turn slicer for more time, and every walk and trace page
// together get one slice per loop turn, so /health, captures and other requests are served in
// between. Per-walk slices were not enough: two walks took two slices a turn, and on a loaded
// 2-core machine a turn of 15 ms of CPU stretched to 150-300 ms of wall time.
export type BudgetReason = 'edge-budget' | 'time-budget';

export interface TraceBudgetLimits {
  /** Most edges one walk reads (TRACE_MAX_EDGES). */
  maxEdges: number;
  /** Longest wall time of one walk (TRACE_MAX_TIME), yields included. */
  maxMs: number;
  /** The loop turns every walk shares: take() resolves when this walk may do one more read. */
  turns: { take(): Promise<void> };
  now?: () => number;
}

export class TraceBudget {
  private edges = 0;
  private readonly startedMs: number;
  private spentReason: BudgetReason | null = null;
  private readonly now: () => number;

  constructor(readonly limits: TraceBudgetLimits) {
    this.now = limits.now ?? (() => performance.now());
    this.startedMs = this.now();
  }

  /** Charges `edges` read; false once the walk is over either budget (and from then on). */
  charge(edges: number): boolean {
    if (this.spentReason !== null) return false;
    this.edges += edges;
    if (this.edges > this.limits.maxEdges) this.spentReason = 'edge-budget';
    else if (this.now() - this.startedMs > this.limits.maxMs) this.spentReason = 'time-budget';
    return this.spentReason === null;
  }

  /** Why the walk must stop, or null while it may go on. */
  get exhausted(): BudgetReason | null {
    return this.spentReason;
  }

  /** The limit named by the reason, for the truncation marker. */
  limitOf(reason: BudgetReason): number {
    return reason === 'edge-budget' ? this.limits.maxEdges : this.limits.maxMs;
  }

  get edgesRead(): number {
    return this.edges;
  }

  /** Waits for the walk's next share of the event loop; cheap when the slice has time left. */
  async breathe(): Promise<void> {
    await this.limits.turns.take();
    if (this.spentReason === null && this.now() - this.startedMs > this.limits.maxMs)
      this.spentReason = 'time-budget';
  }
}
