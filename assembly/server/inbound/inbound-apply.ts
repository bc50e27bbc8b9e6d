// Applies the whole records in the read buffer (server-store.ts replayRecord, the journal's own
// function) and reports, once each, why applying stopped.
import { STDOUT, writeAll } from '../../platform/wasi';
import { malformedRecordCount, replayRecord } from '../capture/server-store';
import { crc32 } from '../journal/crc32';
import { INBOUND_HEADER_BYTES as HEADER_BYTES, tail } from './inbound-state';

// One event's record: its identifiers are bounded by the 16 MiB capture limit, so anything larger
// is a garbled length field, not a record to wait for.
const MAX_RECORD_BYTES: i32 = 64 << 20;

export function say(text: string): void {
  const bytes = String.UTF8.encode(text + '\n');
  writeAll(STDOUT, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** Stops applying at the record that failed; the reason goes to stdout once, not at every retry. */
export function stall(reason: string): void {
  tail.stalled = reason;
  if (reason == tail.reported) return;
  tail.reported = reason;
  say(
    '{"msg":"inbound records stopped","afterSeq":' + tail.lastSeq.toString() + ',"reason":"' + reason + '"}',
  );
}

/** Applies the whole records in buf and keeps the rest at its start; returns how many were applied. */
export function consume(): i32 {
  let at = 0;
  let applied = 0;
  while (at + HEADER_BYTES <= tail.filled) {
    const record = tail.buf + <usize>at;
    const len = load<u32>(record);
    if (len > <u32>(MAX_RECORD_BYTES - HEADER_BYTES)) {
      stall('a record length of ' + len.toString() + ' bytes');
      break;
    }
    const total = HEADER_BYTES + <i32>len;
    if (at + total > tail.filled) break;
    if (crc32(0, record + 8, 8 + <usize>len) != load<u32>(record, 4)) {
      stall('a record fails its checksum');
      break;
    }
    const seq = load<u64>(record, 8);
    if (seq > tail.lastSeq) {
      if (seq > tail.afterSeq) {
        replayRecord(record + HEADER_BYTES, <i32>len, seq);
        tail.recordsApplied++;
        applied++;
      }
      tail.lastSeq = seq;
    }
    at += total;
  }
  if (at > 0) {
    memory.copy(tail.buf, tail.buf + <usize>at, <usize>(tail.filled - at));
    tail.offset += at;
    tail.filled -= at;
  }
  // A record longer than the buffer: make room for all of it.
  if (tail.stalled.length == 0 && tail.filled >= HEADER_BYTES) {
    const total = HEADER_BYTES + <i32>load<u32>(tail.buf);
    if (total > tail.cap) {
      tail.buf = heap.realloc(tail.buf, <usize>total);
      tail.cap = total;
    }
  }
  return applied;
}

export function reportMalformed(): void {
  const malformed = malformedRecordCount();
  if (malformed == tail.malformedSeen) return;
  tail.malformedSeen = malformed;
  say('{"msg":"inbound records not in the expected form","total":' + malformed.toString() + '}');
}
