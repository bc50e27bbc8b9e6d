// Today's layout kept the whole journal in DATA_DIR/journal.log. At start it becomes the first
// segment, journal/<its first record's seq>.log, by one rename (the bytes and offsets stay as they
// were, so a sidecar that had read part of it continues at the same offset in the segment).
import { readSome } from '../../platform/wasi';
import { ERRNO_NOENT, ERRNO_SUCCESS, fd_close, path_rename } from '../../platform/wasi-sockets';
import { ensureDirectory, listDirectory, syncDirectory } from '../files/directories';
import { segmentFirstSeqs, segmentName } from '../files/data-file-names';
import { crc32 } from './crc32';
import { RECORD_HEADER_BYTES, openSegmentFile } from './segment-replay';

export const LEGACY_JOURNAL_FILE = 'journal.log';
export const JOURNAL_DIR = 'journal';
const HEADER = memory.data(16);

/** The seq of journal.log's first record when it is intact; 1 otherwise (the legacy file began at 1). */
function firstSeqOf(fd: i32): u64 {
  if (readSome(<u32>fd, HEADER, RECORD_HEADER_BYTES) != RECORD_HEADER_BYTES) return 1;
  const len = load<u32>(HEADER);
  const payload = heap.alloc(max<usize>(<usize>len, 1));
  let got: usize = 0;
  while (got < <usize>len) {
    const n = readSome(<u32>fd, payload + got, <usize>len - got);
    if (n <= 0) break;
    got += <usize>n;
  }
  const intact =
    got == <usize>len && crc32(crc32(0, HEADER + 8, 8), payload, <usize>len) == load<u32>(HEADER, 4);
  heap.free(payload);
  return intact ? load<u64>(HEADER, 8) : 1;
}

/** Moves DATA_DIR/journal.log into journal/ when it exists: '' or why the start must stop. */
export function moveLegacyJournal(dataDirFd: i32): string {
  const fd = openSegmentFile(dataDirFd, LEGACY_JOURNAL_FILE, 0);
  if (fd < 0) {
    if (<u16>-fd == ERRNO_NOENT) return '';
    return 'cannot open ' + LEGACY_JOURNAL_FILE + ' (WASI errno ' + (-fd).toString() + ')';
  }
  const firstSeq = firstSeqOf(fd);
  fd_close(<u32>fd);
  const created = ensureDirectory(dataDirFd, JOURNAL_DIR);
  if (created.length > 0) return created;
  const listing = listDirectory(dataDirFd, JOURNAL_DIR);
  if (listing.errno != 0)
    return 'cannot list ' + JOURNAL_DIR + '/ (WASI errno ' + listing.errno.toString() + ')';
  // Both layouts at once is not a state this server leaves behind (the move is one rename): refuse
  // to guess which one holds the truth.
  if (segmentFirstSeqs(listing.names).length > 0)
    return LEGACY_JOURNAL_FILE + ' and segments in ' + JOURNAL_DIR + '/ both exist: keep one of them';
  const from = String.UTF8.encode(LEGACY_JOURNAL_FILE);
  const to = String.UTF8.encode(JOURNAL_DIR + '/' + segmentName(firstSeq));
  const errno = path_rename(
    <u32>dataDirFd,
    changetype<usize>(from),
    <u32>from.byteLength,
    <u32>dataDirFd,
    changetype<usize>(to),
    <u32>to.byteLength,
  );
  if (errno != ERRNO_SUCCESS)
    return (
      'cannot move ' +
      LEGACY_JOURNAL_FILE +
      ' into ' +
      JOURNAL_DIR +
      '/ (WASI errno ' +
      errno.toString() +
      ')'
    );
  const synced = syncDirectory(dataDirFd, JOURNAL_DIR);
  return synced.length > 0 ? synced : syncDirectory(dataDirFd, '.');
}
