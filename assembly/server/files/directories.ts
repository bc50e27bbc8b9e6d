// Directories of the data directory (journal/, inbound/, snapshot/): list, create, fsync. Each is
// opened afresh per listing: WasmEdge keeps a DIR* per open node and serves later fd_readdir calls
// from it, so a directory held open across turns could answer with a stale view.
import {
  DIRECTORY_RIGHTS,
  DIRENT_BYTES,
  ERRNO_EXIST,
  ERRNO_NOENT,
  ERRNO_SUCCESS,
  OFLAGS_DIRECTORY,
  fd_close,
  fd_readdir,
  fd_sync,
  path_create_directory,
  path_open,
  path_unlink_file,
} from '../../platform/wasi-sockets';

const CELL = memory.data(8);
const BUFFER_BYTES: u32 = 16 * 1024;
// A listing is bounded: a directory this module reads holds a few files unless something is badly
// wrong, and the event loop must never stall on one.
const MAX_ENTRIES: i32 = 100_000;

export class DirectoryListing {
  names: Array<string> = new Array<string>();
  /** The directory does not exist (not an error: it is created on first use). */
  missing: bool = false;
  /** WASI errno of a failure, 0 when the listing is complete. */
  errno: u16 = 0;
}

/** Opens `path` under the preopened `dirFd` as a directory that can be listed and synced; -errno on failure. */
export function openDirectory(dirFd: i32, path: string): i32 {
  const bytes = String.UTF8.encode(path);
  const errno = path_open(
    <u32>dirFd,
    0,
    changetype<usize>(bytes),
    <u32>bytes.byteLength,
    OFLAGS_DIRECTORY,
    DIRECTORY_RIGHTS,
    0,
    0,
    CELL,
  );
  return errno == ERRNO_SUCCESS ? load<i32>(CELL) : -(<i32>errno);
}

/** The entries of `path` under `dirFd`, without "." and "..", in no particular order. */
export function listDirectory(dirFd: i32, path: string): DirectoryListing {
  const listing = new DirectoryListing();
  const fd = openDirectory(dirFd, path);
  if (fd < 0) {
    listing.missing = <u16>-fd == ERRNO_NOENT;
    if (!listing.missing) listing.errno = <u16>-fd;
    return listing;
  }
  const buf = heap.alloc(BUFFER_BYTES);
  let cookie: u64 = 0;
  while (listing.names.length < MAX_ENTRIES) {
    const errno = fd_readdir(<u32>fd, buf, BUFFER_BYTES, cookie, CELL);
    if (errno != ERRNO_SUCCESS) {
      listing.errno = errno;
      break;
    }
    const used = <usize>load<u32>(CELL);
    let at: usize = 0;
    let whole = 0;
    while (at + DIRENT_BYTES <= used) {
      const nameLength = <usize>load<u32>(buf + at, 16);
      // An entry cut by the buffer's end is asked for again from its cookie.
      if (at + DIRENT_BYTES + nameLength > used) break;
      cookie = load<u64>(buf + at);
      const name = String.UTF8.decodeUnsafe(buf + at + DIRENT_BYTES, nameLength);
      if (name != '.' && name != '..') listing.names.push(name);
      at += DIRENT_BYTES + nameLength;
      whole++;
    }
    // A short buffer means the end of the directory; a full one may have more.
    if (used < <usize>BUFFER_BYTES || whole == 0) break;
  }
  heap.free(buf);
  fd_close(<u32>fd);
  return listing;
}

/** Creates `path` under `dirFd` unless it exists; '' or what failed. */
export function ensureDirectory(dirFd: i32, path: string): string {
  const bytes = String.UTF8.encode(path);
  const errno = path_create_directory(<u32>dirFd, changetype<usize>(bytes), <u32>bytes.byteLength);
  if (errno == ERRNO_SUCCESS || errno == ERRNO_EXIST) return '';
  return 'cannot create ' + path + ' (WASI errno ' + errno.toString() + ')';
}

/**
 * Creates `path` under `dirFd` unless it exists, and only when it was created fsyncs `dirFd`'s
 * directory, so the new entry is durable: '' or what failed. An fsync of the data directory at
 * every start cost 13.5 ms of I/O wait in one measured start (docs/wasmedge-server.md, Benchmark).
 */
export function ensureDurableDirectory(dirFd: i32, path: string): string {
  const bytes = String.UTF8.encode(path);
  const errno = path_create_directory(<u32>dirFd, changetype<usize>(bytes), <u32>bytes.byteLength);
  if (errno == ERRNO_EXIST) return '';
  if (errno != ERRNO_SUCCESS) return 'cannot create ' + path + ' (WASI errno ' + errno.toString() + ')';
  return syncDirectory(dirFd, '.');
}

/** fsyncs the directory `path` under `dirFd` ('.' for the data directory itself): '' or what failed. */
export function syncDirectory(dirFd: i32, path: string): string {
  const fd = openDirectory(dirFd, path);
  if (fd < 0) return 'cannot open the directory ' + path + ' (WASI errno ' + (-fd).toString() + ')';
  const errno = fd_sync(<u32>fd);
  fd_close(<u32>fd);
  return errno == ERRNO_SUCCESS
    ? ''
    : 'cannot sync the directory ' + path + ' (WASI errno ' + errno.toString() + ')';
}

/** Unlinks the file `path` under `dirFd`; true when it is gone (or was never there). */
export function removeFile(dirFd: i32, path: string): bool {
  const bytes = String.UTF8.encode(path);
  const errno = path_unlink_file(<u32>dirFd, changetype<usize>(bytes), <u32>bytes.byteLength);
  return errno == ERRNO_SUCCESS || errno == ERRNO_NOENT;
}
