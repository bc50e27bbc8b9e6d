// The server's start: the newest valid state snapshot in DATA_DIR/snapshot/ (written by the sidecar,
// host/journal/snapshot-writer.ts), else the next older one, else none (an empty index and a full
// replay). A snapshot is refused, never trusted in part, when its header, sizes or CRC-32 disagree
// (state/snapshot-reader.ts); it is read straight from the file into the index's fresh chunks.
import { STDOUT, writeAll } from '../../platform/wasi';
import {
  ERRNO_SUCCESS,
  WHENCE_END,
  WHENCE_SET,
  fd_close,
  fd_seek,
  monotonicNs,
  path_open,
} from '../../platform/wasi-sockets';
import { FdSource } from '../../state/snapshot-fd-source';
import { readSnapshot, RestoredSnapshot } from '../../state/snapshot-reader';
import { adoptSnapshot, stateIndex } from '../capture/server-store';
import { parseSnapshotName } from '../files/data-file-names';
import { listDirectory } from '../files/directories';
import { SNAPSHOT_DIR } from '../journal/segment-deletion';

const CELL = memory.data(8);
// fd_read | fd_seek | fd_tell: reading only (WasmEdge opens the file O_RDONLY for these rights).
const READ_RIGHTS: u64 = (1 << 1) | (1 << 2) | (1 << 5);
export class SnapshotLoad {
  /** The snapshot loaded, or null when none was valid (or there was none). */
  restored: RestoredSnapshot | null = null;
  /** Milliseconds spent reading and checking snapshots, refused ones included. */
  ms: f64 = 0;
  /** One `file: reason` per snapshot refused before the one loaded. */
  refused: Array<string> = new Array<string>();
}

/** Reads `path` under `dirFd` as a snapshot; the reason it was refused is in `error`. */
function readSnapshotFile(dirFd: i32, path: string): RestoredSnapshot {
  const bytes = String.UTF8.encode(path);
  const errno = path_open(
    <u32>dirFd,
    0,
    changetype<usize>(bytes),
    <u32>bytes.byteLength,
    0,
    READ_RIGHTS,
    0,
    0,
    CELL,
  );
  if (errno != ERRNO_SUCCESS) {
    const failed = new RestoredSnapshot();
    failed.error = 'cannot open it (WASI errno ' + errno.toString() + ')';
    return failed;
  }
  const fd = load<u32>(CELL);
  let restored: RestoredSnapshot;
  if (fd_seek(fd, 0, WHENCE_END, CELL) != ERRNO_SUCCESS) {
    restored = new RestoredSnapshot();
    restored.error = 'cannot find its size';
  } else {
    const size = load<u64>(CELL);
    restored =
      fd_seek(fd, 0, WHENCE_SET, CELL) == ERRNO_SUCCESS
        ? readSnapshot(new FdSource(fd), size)
        : new RestoredSnapshot();
    if (restored.index === null && restored.error.length == 0) restored.error = 'cannot seek in it';
  }
  fd_close(fd);
  return restored;
}

/** Loads the newest snapshot in snapshot/ under the data directory that passes every check. */
export function loadNewestSnapshot(dataDirFd: i32): SnapshotLoad {
  const started = monotonicNs();
  const load = new SnapshotLoad();
  const listing = listDirectory(dataDirFd, SNAPSHOT_DIR);
  const names = new Array<string>();
  for (let i = 0; i < listing.names.length; i++) {
    const name = unchecked(listing.names[i]);
    if (parseSnapshotName(name) !== null) names.push(name);
  }
  // Seqs are 20 zero-padded digits, journal's first: name order is (journalSeq, inboundSeq) order.
  names.sort((a: string, b: string): i32 => (a < b ? 1 : a > b ? -1 : 0));
  for (let i = 0; i < names.length; i++) {
    const name = unchecked(names[i]);
    const restored = readSnapshotFile(dataDirFd, SNAPSHOT_DIR + '/' + name);
    if (restored.index !== null) {
      load.restored = restored;
      break;
    }
    load.refused.push(name + ': ' + restored.error);
  }
  load.ms = <f64>(monotonicNs() - started) / 1e6;
  return load;
}

function say(text: string): void {
  const bytes = String.UTF8.encode(text + '\n');
  writeAll(STDOUT, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/**
 * Loads the newest valid snapshot into the server's index and key set, says on stdout what was
 * refused and what was loaded, and returns the journal seq it holds (0 without one): the journal
 * replay applies only the records after it.
 */
export function startFromSnapshot(dataDirFd: i32): u64 {
  const load = loadNewestSnapshot(dataDirFd);
  for (let i = 0; i < load.refused.length; i++) {
    const refused = unchecked(load.refused[i]);
    say('{"msg":"snapshot refused","reason":"' + jsonText(refused) + '"}');
  }
  const restored = load.restored;
  if (restored === null) return 0;
  adoptSnapshot(restored);
  say(
    '{"msg":"snapshot loaded","journalSeq":' +
      restored.journalSeq.toString() +
      ',"inboundSeq":' +
      restored.inboundSeq.toString() +
      ',"epcs":' +
      stateIndex.epcCount().toString() +
      ',"ms":' +
      (Math.round(load.ms * 10) / 10).toString() +
      '}',
  );
  return restored.journalSeq;
}

/** File names and reasons hold no quotes or backslashes but a stray name could: keep the line JSON. */
function jsonText(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
}
