// Restores a state index and its duplicate-key set from a snapshot (snapshot-format.ts): checks the
// header, reads the body straight into fresh chunks and tables, and accepts the result only when
// every size is consistent, the input ends exactly there and the CRC-32 matches. Never traps on a
// bad file: every declared size is checked against the bytes left before it is allocated.
//
// The Node host may check the CRC itself (HostChecksCrc): tracker.wasm runs in V8, which does not
// tier a long-running Wasm loop up, and the core's CRC-32 of a 1,000,000-EPC snapshot (86 MiB)
// took 2.8 s against zlib.crc32's 0.1 s over the same bytes as the host delivers them. The host
// then empties the index when its CRC disagrees, before anything reads it.
import { crc32 } from '../hash/crc32';
import { DuplicateKeySet } from './duplicate-key-set';
import { reserveHeap } from './heap-reserve';
import { SnapshotIn, SnapshotSource } from './snapshot-in';
import { StateIndex } from './state-index';
import {
  H_BODY_BYTES,
  H_CRC,
  H_EPCS,
  H_EVENTS,
  H_INBOUND_SEQ,
  H_JOURNAL_SEQ,
  H_KEYS,
  H_MAGIC,
  H_STORE_SEQ,
  H_VERSION,
  SNAPSHOT_CRC_FROM,
  SNAPSHOT_HEADER_BYTES,
  SNAPSHOT_LAYOUT_VERSION,
  SNAPSHOT_MAGIC,
} from './snapshot-format';

const HEADER = memory.data(SNAPSHOT_HEADER_BYTES, 8);

export class RestoredSnapshot {
  /** Both set when `error` is empty. */
  index: StateIndex | null = null;
  keys: DuplicateKeySet | null = null;
  journalSeq: u64 = 0;
  inboundSeq: u64 = 0;
  storeSeq: u64 = 0;
  /** Empty on success; otherwise why the snapshot was refused. */
  error: string = '';
}

/** Who compares the snapshot's CRC-32 with its header: this reader, or the host that feeds it. */
export enum CrcCheck {
  Here = 0,
  ByHost = 1,
}

/** Reads the snapshot of `size` bytes that `source` delivers from its start. */
export function readSnapshot(
  source: SnapshotSource,
  size: u64,
  crcCheck: CrcCheck = CrcCheck.Here,
): RestoredSnapshot {
  const result = new RestoredSnapshot();
  if (size < SNAPSHOT_HEADER_BYTES || !source.read(HEADER, SNAPSHOT_HEADER_BYTES)) {
    result.error = 'shorter than a snapshot header';
    return result;
  }
  if (load<u64>(HEADER + H_MAGIC) != SNAPSHOT_MAGIC) {
    result.error = 'not a snapshot (magic)';
    return result;
  }
  const version = load<u32>(HEADER + H_VERSION);
  if (version != SNAPSHOT_LAYOUT_VERSION) {
    result.error =
      'layout version ' + version.toString() + ', this build reads ' + SNAPSHOT_LAYOUT_VERSION.toString();
    return result;
  }
  const bodyBytes = load<u64>(HEADER + H_BODY_BYTES);
  if (bodyBytes != size - SNAPSHOT_HEADER_BYTES) {
    result.error =
      'truncated or extended (' +
      size.toString() +
      ' bytes, header says ' +
      (bodyBytes + SNAPSHOT_HEADER_BYTES).toString() +
      ')';
    return result;
  }
  const expectedCrc = load<u32>(HEADER + H_CRC);
  const journalSeq = load<u64>(HEADER + H_JOURNAL_SEQ);
  const inboundSeq = load<u64>(HEADER + H_INBOUND_SEQ);
  const storeSeq = load<u64>(HEADER + H_STORE_SEQ);
  const epcs = load<u32>(HEADER + H_EPCS);
  const events = load<u32>(HEADER + H_EVENTS);
  const keyCount = load<u32>(HEADER + H_KEYS);
  const src = new SnapshotIn(
    source,
    bodyBytes,
    crc32(0, HEADER + SNAPSHOT_CRC_FROM, SNAPSHOT_HEADER_BYTES - SNAPSHOT_CRC_FROM),
    crcCheck == CrcCheck.Here,
  );
  // The body becomes the index's memory almost byte for byte: grow the heap once, not by doublings.
  reserveHeap(bodyBytes);
  const index = new StateIndex();
  const keys = new DuplicateKeySet();
  const read = index.readSnapshot(src) && keys.readSnapshot(src);
  if (!read || src.remaining != 0) {
    result.error = 'its contents are inconsistent';
  } else if (crcCheck == CrcCheck.Here && src.crc != expectedCrc) {
    result.error = 'checksum mismatch';
  } else if (<u32>index.epcCount() != epcs || <u32>index.eventCount() != events || keys.count != keyCount) {
    result.error = 'its counts disagree with its header';
  }
  if (result.error.length > 0) {
    index.release();
    keys.release();
    return result;
  }
  result.index = index;
  result.keys = keys;
  result.journalSeq = journalSeq;
  result.inboundSeq = inboundSeq;
  result.storeSeq = storeSeq;
  return result;
}
