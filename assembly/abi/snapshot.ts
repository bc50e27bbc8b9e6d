// tracker.wasm's side of the state snapshot that the sidecar writes for tracker-server.wasm
// (host/journal/snapshot-writer.ts): a duplicate-key set the host fills from SQLite, then the
// snapshot of the live index and that set as byte ranges the host copies out at once; and the
// restore of a snapshot into an index (for the round-trip tests: the server restores its own).
import { Utf8Writer } from '../json/utf8-writer';
import { DuplicateKeySet } from '../state/duplicate-key-set';
import { FdSource } from '../state/snapshot-fd-source';
import { MemorySource, SnapshotSource } from '../state/snapshot-in';
import { SnapshotOut } from '../state/snapshot-out';
import { CrcCheck, readSnapshot, RestoredSnapshot } from '../state/snapshot-reader';
import { writeSnapshot } from '../state/snapshot-writer';
import { StateIndex } from '../state/state-index';
import { inputAddress } from './buffers';
import { Status } from './status';

// Globals: the host calls in several steps, and the minimal runtime's collector only keeps what a
// global reaches.
let keys = new DuplicateKeySet();
let ranges: SnapshotOut | null = null;

/** Empties the duplicate-key set before the host adds the stored events' keys. */
export function snapshotKeysReset(): Status {
  keys.release();
  keys = new DuplicateKeySet();
  return Status.Ok;
}

/** Adds `count` keys from the input buffer, each a u32 byte length and that much UTF-8. */
export function snapshotKeysAdd(len: i32, count: i32): Status {
  if (len < 0 || count < 0) return Status.BadArgument;
  const start = inputAddress();
  const end = start + <usize>len;
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) return Status.BadArgument;
    const length = <usize>load<u32>(at);
    if (at + 4 + length > end) return Status.BadArgument;
    keys.addUtf8(at + 4, <i32>length);
    at += 4 + length;
  }
  return at == end ? Status.Ok : Status.BadArgument;
}

/** Whether the set holds the key given as UTF-8 in the input buffer: Ok, or NotFound. */
export function snapshotKeysHas(len: i32): Status {
  if (len < 0) return Status.BadArgument;
  const key = String.UTF8.decodeUnsafe(inputAddress(), <usize>len);
  return keys.has(key) ? Status.Ok : Status.NotFound;
}

/** How many keys the set holds. */
export function snapshotKeyCount(): i32 {
  return <i32>keys.count;
}

/**
 * Frames `index` and the key set as a snapshot and writes its byte ranges to `output` as JSON
 * `[address, length, …]`, in file order. They stay valid until the index or the set changes or
 * snapshotRelease() is called: the host copies them out before anything else.
 */
export function writeSnapshotRanges(
  index: StateIndex,
  journalSeq: i64,
  inboundSeq: i64,
  storeSeq: i64,
  output: Utf8Writer,
): Status {
  if (journalSeq < 0 || inboundSeq < 0 || storeSeq < 0) return Status.BadArgument;
  snapshotRelease();
  const out = new SnapshotOut();
  ranges = out;
  writeSnapshot(index, keys, <u64>journalSeq, <u64>inboundSeq, <u64>storeSeq, out);
  output.reset();
  output.byte(0x5b);
  for (let i = 0, n = out.ptrs.length; i < n; i++) {
    if (i > 0) output.byte(0x2c);
    output.uint(<u64>unchecked(out.ptrs[i]));
    output.byte(0x2c);
    output.uint(<u64>unchecked(out.lengths[i]));
  }
  output.byte(0x5d);
  return Status.Ok;
}

/** Frees what the last snapshot's ranges referred to beyond the index (its small fields). */
export function snapshotRelease(): void {
  const out = ranges;
  if (out !== null) out.release();
  ranges = null;
}

/**
 * Restores the snapshot of `len` bytes in the input buffer: the index (null when refused, with the
 * reason in `output`), and its key set replaces this module's.
 */
export function restoreSnapshotFromInput(len: i32, output: Utf8Writer): StateIndex | null {
  output.reset();
  if (len < 0) return null;
  const start = inputAddress();
  return restoreFrom(new MemorySource(start, start + <usize>len), <u64>len, CrcCheck.Here, output);
}

/**
 * Restores the snapshot of `size` bytes that WASI descriptor `fd` delivers from its start (the Node
 * host serves it from the file: no copy of the whole file in this memory). The host checks the
 * CRC-32 of what it delivered (state/snapshot-reader.ts says why) and empties the index when it
 * disagrees.
 */
export function restoreSnapshotFromFd(fd: i32, size: i64, output: Utf8Writer): StateIndex | null {
  output.reset();
  if (fd < 0 || size < 0) return null;
  return restoreFrom(new FdSource(<u32>fd), <u64>size, CrcCheck.ByHost, output);
}

function restoreFrom(
  source: SnapshotSource,
  size: u64,
  crcCheck: CrcCheck,
  output: Utf8Writer,
): StateIndex | null {
  const restored: RestoredSnapshot = readSnapshot(source, size, crcCheck);
  const index = restored.index;
  const restoredKeys = restored.keys;
  if (index === null || restoredKeys === null) {
    output.jsonString(restored.error);
    return null;
  }
  keys.release();
  keys = restoredKeys;
  output.ascii('{"journalSeq":');
  output.uint(restored.journalSeq);
  output.ascii(',"inboundSeq":');
  output.uint(restored.inboundSeq);
  output.ascii(',"storeSeq":');
  output.uint(restored.storeSeq);
  output.byte(0x7d);
  return index;
}
