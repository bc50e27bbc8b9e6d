// What the server knows of DATA_DIR/inbound/ across turns: the segment being read, how far it got,
// the read buffer (unmanaged), and the figures segment deletion and the metrics read. One global:
// the event loop collects garbage, and the minimal runtime does not scan the stack.
export const INBOUND_HEADER_BYTES: i32 = 16;

export class InboundTail {
  dataDirFd: i32 = -1;
  /** The segment being read, or -1 before the first exists. */
  fd: i32 = -1;
  /** The first seq of that segment (its name). */
  segmentFirstSeq: u64 = 0;
  /** Records with seq ≤ this are in the snapshot the server started from: read, not applied. */
  afterSeq: u64 = 0;
  /** Seq of the last record read (applied or covered by the snapshot). */
  lastSeq: u64 = 0;
  recordsApplied: u64 = 0;
  /** File offset of buf's first byte; buf holds `filled` bytes read from there. */
  offset: i64 = 0;
  buf: usize = 0;
  cap: i32 = 0;
  filled: i32 = 0;
  stalled: string = '';
  /** The fault last reported on stdout: a stall is reported once, not at every retry. */
  reported: string = '';
  /** Bytes of the segment not yet applied, measured while stalled (0 otherwise). */
  lagBytes: i64 = 0;
  nextCheckMs: i64 = 0;
  /** The last check stopped at its budget: the next turn must not wait. */
  moreWaiting: bool = false;
  malformedSeen: i32 = 0;
  probePath: ArrayBuffer | null = null;
  probePathSeq: u64 = 0;
}

// A global: the event loop collects garbage and the minimal runtime does not scan the stack.
export const tail = new InboundTail();

/** How far this server has applied inbound/ (the snapshot's seq at least): segment deletion's bound. */
export function inboundAppliedSeq(): u64 {
  return max<u64>(tail.lastSeq, tail.afterSeq);
}

/** Records applied since start (metrics). */
export function inboundRecordsApplied(): u64 {
  return tail.recordsApplied;
}

/** Bytes waiting behind a record that fails its checksum; 0 while applying (metrics). */
export function inboundLagBytes(): i64 {
  return tail.lagBytes;
}

/** When the next check is due (the event loop's timer). */
export function inboundCheckDueMs(nowMs: i64): i64 {
  return tail.moreWaiting ? nowMs : tail.nextCheckMs;
}
