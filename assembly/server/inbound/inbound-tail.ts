// Applies DATA_DIR/inbound/ to the state index: the records the sidecar writes for every event it
// stored by another path than this server's journal (sync from the hub and other sites, captures
// made on its own port, requests forwarded to it). Same framing as the journal, and the same
// function applies them (server-store.ts replayRecord). At start every record after the snapshot's
// inbound seq is applied before the port opens; while running, checkInbound() runs at the start of
// every turn (so a query that follows a 2xx from the sidecar sees its events) and at least every
// 50 ms.
//
// A check is one fd_read at the end of what was read, plus, at a clean end of the segment, one
// path_open of the next segment's name (segments are named by their first seq and seqs are dense,
// so it is `<last seq + 1>.log`). A record not complete yet is read again from its start at the next
// check: the sidecar cuts a torn tail at its restart and writes the record anew. A checksum failure
// stops applying, is reported once on stdout, and is looked at again every second, never spun on.
import { readSome } from '../../platform/wasi';
import { ERRNO_SUCCESS, WHENCE_END, WHENCE_SET, fd_seek } from '../../platform/wasi-sockets';
import { segmentFirstSeqs, segmentName } from '../files/data-file-names';
import { listDirectory } from '../files/directories';
import { INBOUND_DIR } from '../journal/segment-deletion';
import { consume, reportMalformed, say, stall } from './inbound-apply';
import { openNextSegment, openSegment } from './inbound-files';
import { inboundAppliedSeq, tail } from './inbound-state';

export {
  inboundAppliedSeq,
  inboundCheckDueMs,
  inboundLagBytes,
  inboundRecordsApplied,
} from './inbound-state';

const CHECK_INTERVAL_MS: i64 = 50;
const STALLED_CHECK_INTERVAL_MS: i64 = 1000;
const FIRST_BUFFER_BYTES: i32 = 1 << 20;
// Bytes applied per check while running: a backlog (a long sync) is worked off over several turns,
// and the garbage of parsing them (collected at the end of the turn) stays small.
const CHECK_BUDGET_BYTES: i32 = 1 << 20;
const CELL = memory.data(8);

export class InboundSummary {
  records: i32 = 0;
  lastSeq: u64 = 0;
}

/** Reads and applies what is there, up to `budget` bytes; returns the records applied. */
function readAvailable(budget: i64): i32 {
  if (tail.fd < 0 && !openNextSegment()) return 0;
  let applied = 0;
  let read: i64 = 0;
  while (true) {
    const room = tail.cap - tail.filled;
    const n = readSome(<u32>tail.fd, tail.buf + <usize>tail.filled, <usize>room);
    if (n < 0) {
      stall('a read of the segment failed');
      return applied;
    }
    tail.filled += <i32>n;
    read += n;
    applied += consume();
    if (tail.stalled.length > 0) return applied;
    if (<i32>n < room) {
      // The end of the segment for now. A clean end may be the last record before a rotation.
      if (tail.filled == 0) {
        if (openNextSegment()) continue;
      } else {
        // Part of a record: read it whole from its start next time (a restarted sidecar rewrites it).
        fd_seek(<u32>tail.fd, tail.offset, WHENCE_SET, CELL);
        tail.filled = 0;
      }
      tail.moreWaiting = false;
      return applied;
    }
    if (read >= budget) {
      tail.moreWaiting = true;
      return applied;
    }
  }
}

/**
 * Reads a stalled segment again from the record that stopped it: the sidecar's restart cuts a torn
 * tail and writes it anew. The same fault is not reported twice.
 */
function retryStalled(): i32 {
  if (tail.fd >= 0) {
    if (fd_seek(<u32>tail.fd, 0, WHENCE_END, CELL) == ERRNO_SUCCESS)
      tail.lagBytes = load<i64>(CELL) - tail.offset;
    fd_seek(<u32>tail.fd, tail.offset, WHENCE_SET, CELL);
  }
  tail.filled = 0;
  tail.stalled = '';
  const before = tail.lastSeq;
  const applied = readAvailable(CHECK_BUDGET_BYTES);
  if (tail.stalled.length == 0 || tail.lastSeq > before) {
    say('{"msg":"inbound records resumed","afterSeq":' + before.toString() + '}');
    tail.reported = '';
    tail.lagBytes = 0;
  }
  return applied;
}

/**
 * One check from the event loop (at the start of every turn): returns the records applied, so the
 * loop knows garbage was left behind.
 */
export function checkInbound(nowMs: i64): i32 {
  if (tail.dataDirFd < 0) return 0;
  let applied = 0;
  if (tail.stalled.length > 0) {
    if (nowMs < tail.nextCheckMs) return 0;
    applied = retryStalled();
  } else {
    applied = readAvailable(CHECK_BUDGET_BYTES);
  }
  reportMalformed();
  tail.nextCheckMs = nowMs + (tail.stalled.length > 0 ? STALLED_CHECK_INTERVAL_MS : CHECK_INTERVAL_MS);
  return applied;
}

/**
 * At start, after the journal: applies every inbound record with seq > `afterSeq` (the loaded
 * snapshot's inbound seq; 0 without one), then keeps the segment open for checkInbound().
 */
export function replayInbound(dataDirFd: i32, afterSeq: u64): InboundSummary {
  tail.dataDirFd = dataDirFd;
  tail.afterSeq = afterSeq;
  tail.lastSeq = afterSeq;
  tail.buf = heap.alloc(<usize>FIRST_BUFFER_BYTES);
  tail.cap = FIRST_BUFFER_BYTES;
  const summary = new InboundSummary();
  const listing = listDirectory(dataDirFd, INBOUND_DIR);
  if (listing.errno != 0)
    stall('cannot list ' + INBOUND_DIR + ' (WASI errno ' + listing.errno.toString() + ')');
  const seqs = segmentFirstSeqs(listing.names);
  // Start in the segment holding afterSeq + 1: segments before it are wholly in the snapshot.
  let start = -1;
  for (let i = 0; i < seqs.length; i++) if (i == 0 || unchecked(seqs[i]) <= afterSeq + 1) start = i;
  if (start >= 0) {
    const first = unchecked(seqs[start]);
    tail.lastSeq = first - 1;
    const fd = openSegment(first);
    tail.segmentFirstSeq = first;
    if (fd >= 0) tail.fd = fd;
    else stall('cannot open ' + INBOUND_DIR + '/' + segmentName(first));
  }
  if (tail.stalled.length == 0) summary.records = readAvailable(i64.MAX_VALUE);
  reportMalformed();
  summary.lastSeq = inboundAppliedSeq();
  return summary;
}
