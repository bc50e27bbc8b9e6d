// Frames a state index and its duplicate-key set as a snapshot (snapshot-format.ts): the header,
// then the body as byte ranges in place. Used by tracker.wasm, whose host copies the ranges to a
// file. The header's CRC field is left 0 for the host to fill (host/core/snapshot-checksum.ts):
// in Node this code runs in V8, which does not tier a long-running Wasm loop up, and the CRC of a
// 1,000,000-EPC snapshot (86 MiB) took 2.8 s here against zlib.crc32's 0.1 s, in a step that must
// be synchronous (the copy is one instant of the index) while the host's CRC can follow the copy.
import { DuplicateKeySet } from './duplicate-key-set';
import { SnapshotOut } from './snapshot-out';
import { StateIndex } from './state-index';
import {
  H_BODY_BYTES,
  H_EPCS,
  H_EVENTS,
  H_INBOUND_SEQ,
  H_JOURNAL_SEQ,
  H_KEYS,
  H_MAGIC,
  H_STORE_SEQ,
  H_VERSION,
  SNAPSHOT_HEADER_BYTES,
  SNAPSHOT_LAYOUT_VERSION,
  SNAPSHOT_MAGIC,
} from './snapshot-format';

// unmanaged! one header at a time: the ranges of the last snapshot refer to it.
const HEADER = memory.data(SNAPSHOT_HEADER_BYTES, 8);

/**
 * Fills `out` (new) with the snapshot of `index` and `keys` as of the three seqs, CRC and host tag
 * left 0.
 */
export function writeSnapshot(
  index: StateIndex,
  keys: DuplicateKeySet,
  journalSeq: u64,
  inboundSeq: u64,
  storeSeq: u64,
  out: SnapshotOut,
): void {
  memory.fill(HEADER, 0, SNAPSHOT_HEADER_BYTES);
  out.range(HEADER, SNAPSHOT_HEADER_BYTES);
  index.writeSnapshot(out);
  keys.writeSnapshot(out);
  out.finish();
  store<u64>(HEADER + H_MAGIC, SNAPSHOT_MAGIC);
  store<u32>(HEADER + H_VERSION, SNAPSHOT_LAYOUT_VERSION);
  store<u64>(HEADER + H_JOURNAL_SEQ, journalSeq);
  store<u64>(HEADER + H_INBOUND_SEQ, inboundSeq);
  store<u64>(HEADER + H_STORE_SEQ, storeSeq);
  store<u64>(HEADER + H_BODY_BYTES, out.total - SNAPSHOT_HEADER_BYTES);
  store<u32>(HEADER + H_EPCS, <u32>index.epcCount());
  store<u32>(HEADER + H_EVENTS, <u32>index.eventCount());
  store<u32>(HEADER + H_KEYS, keys.count);
}
