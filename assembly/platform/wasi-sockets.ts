// The host imports of tracker-server.wasm beyond those of tracker.wasm: WasmEdge's WASI socket
// extension, poll_oneoff, the monotonic clock, non-blocking mode, fd_close and the environment.
// A sibling of wasi.ts rather than more lines in it, so that "every host import lives in
// platform/" still holds while tracker.wasm keeps importing only what the Node host provides
// (node:wasi has no sockets; the import check in tests/unit guards that module's list).
//
// Signatures are WasmEdge 0.14.1's "V1" socket family (lib/host/wasi/wasifunc.cpp): all i32,
// result = WASI errno. WasmEdge registers V1 under the plain names and swaps in V2 only when the
// module's import signature asks for it; V1 is what both Debian's and the LLVM-free build serve.

@external("wasi_snapshot_preview1", "sock_open")
export declare function sock_open(addressFamily: u32, socketType: u32, fdOut: usize): u16;

@external("wasi_snapshot_preview1", "sock_setsockopt")
export declare function sock_setsockopt(fd: u32, level: u32, name: u32, value: usize, valueLen: u32): u16;

/** `address` points to { buf: u32, buf_len: u32 }; 4 bytes of buffer mean IPv4. */
@external("wasi_snapshot_preview1", "sock_bind")
export declare function sock_bind(fd: u32, address: usize, port: u32): u16;

@external("wasi_snapshot_preview1", "sock_listen")
export declare function sock_listen(fd: u32, backlog: u32): u16;

/** V1 accept: no flags argument; the new socket is blocking until fd_fdstat_set_flags. */
@external("wasi_snapshot_preview1", "sock_accept")
export declare function sock_accept(fd: u32, fdOut: usize): u16;

/** V1 connect: `address` as for sock_bind. A non-blocking socket answers INPROGRESS, then becomes writable. */
@external("wasi_snapshot_preview1", "sock_connect")
export declare function sock_connect(fd: u32, address: usize, port: u32): u16;

@external("wasi_snapshot_preview1", "sock_recv")
export declare function sock_recv(
  fd: u32,
  iovs: usize,
  iovsLen: u32,
  riFlags: u32,
  dataLenOut: usize,
  roFlagsOut: usize,
): u16;

@external("wasi_snapshot_preview1", "sock_send")
export declare function sock_send(fd: u32, iovs: usize, iovsLen: u32, siFlags: u32, dataLenOut: usize): u16;

@external("wasi_snapshot_preview1", "sock_shutdown")
export declare function sock_shutdown(fd: u32, how: u32): u16;

/**
 * V1 getpeername (lib/host/wasi/wasifunc.cpp WasiSockGetPeerAddrV1): `address` as for sock_bind
 * (4 bytes for IPv4), then the family written as 4 or 6 and the port, each a u32.
 */
@external("wasi_snapshot_preview1", "sock_getpeeraddr")
export declare function sock_getpeeraddr(fd: u32, address: usize, addressTypeOut: usize, portOut: usize): u16;

/** Level-triggered (WasmEdge maps it to epoll without EPOLLET, registrations kept across calls). */
@external("wasi_snapshot_preview1", "poll_oneoff")
export declare function poll_oneoff(subscriptions: usize, events: usize, count: u32, countOut: usize): u16;

@external("wasi_snapshot_preview1", "fd_fdstat_set_flags")
export declare function fd_fdstat_set_flags(fd: u32, flags: u16): u16;

@external("wasi_snapshot_preview1", "fd_close")
export declare function fd_close(fd: u32): u16;

@external("wasi_snapshot_preview1", "clock_time_get")
export declare function clock_time_get(clockId: u32, precision: u64, timeOut: usize): u16;

@external("wasi_snapshot_preview1", "environ_sizes_get")
export declare function environ_sizes_get(countOut: usize, bufSizeOut: usize): u16;

@external("wasi_snapshot_preview1", "environ_get")
export declare function environ_get(environ: usize, environBuf: usize): u16;

// WASI constants (thirdparty/wasi/api.hpp of the WasmEdge source).
export const ERRNO_SUCCESS: u16 = 0;
export const ERRNO_AGAIN: u16 = 6;
export const ERRNO_INPROGRESS: u16 = 26;
export const ERRNO_INTR: u16 = 27;
export const RIFLAGS_RECV_PEEK: u32 = 1;
export const ADDRESS_FAMILY_INET4: u32 = 1;
export const SOCK_TYPE_STREAM: u32 = 2;
export const SOCK_OPT_LEVEL_SOL_SOCKET: u32 = 0;
export const SOCK_OPT_SO_REUSEADDR: u32 = 0;
export const SDFLAGS_WR: u32 = 2;
export const FDFLAGS_NONBLOCK: u16 = 4;
export const CLOCKID_REALTIME: u32 = 0;
export const CLOCKID_MONOTONIC: u32 = 1;
export const EVENTTYPE_CLOCK: u8 = 0;
export const EVENTTYPE_FD_READ: u8 = 1;
export const EVENTTYPE_FD_WRITE: u8 = 2;
export const EVENTRWFLAGS_HANGUP: u16 = 1;
/** sizeof(__wasi_subscription_t) and sizeof(__wasi_event_t). */
export const SUBSCRIPTION_BYTES: usize = 48;
export const EVENT_BYTES: usize = 32;

const CELL = memory.data(16);

/** Monotonic time in milliseconds; 0 if the clock cannot be read. */
export function monotonicMs(): i64 {
  if (clock_time_get(CLOCKID_MONOTONIC, 1000, CELL) != ERRNO_SUCCESS) return 0;
  return <i64>(load<u64>(CELL) / 1_000_000);
}

/** Monotonic time in nanoseconds, for durations below a millisecond (metrics); 0 if unreadable. */
export function monotonicNs(): u64 {
  if (clock_time_get(CLOCKID_MONOTONIC, 1, CELL) != ERRNO_SUCCESS) return 0;
  return load<u64>(CELL);
}

/** Wall-clock time in milliseconds since 1970 (for the Date header only); 0 if unreadable. */
export function realtimeMs(): i64 {
  if (clock_time_get(CLOCKID_REALTIME, 1_000_000, CELL) != ERRNO_SUCCESS) return 0;
  return <i64>(load<u64>(CELL) / 1_000_000);
}

/** The environment as NAME=value strings; empty when the runtime provides none. */
export function environmentEntries(): Array<string> {
  const result = new Array<string>();
  if (environ_sizes_get(CELL, CELL + 4) != ERRNO_SUCCESS) return result;
  const count = <usize>load<u32>(CELL);
  const bufSize = <usize>load<u32>(CELL, 4);
  if (count == 0) return result;
  const pointers = heap.alloc(count * 4);
  const buf = heap.alloc(max<usize>(bufSize, 1));
  if (environ_get(pointers, buf) == ERRNO_SUCCESS) {
    for (let i: usize = 0; i < count; i++) {
      const start = <usize>load<u32>(pointers + i * 4);
      let end = start;
      while (end < buf + bufSize && load<u8>(end) != 0) end++;
      result.push(String.UTF8.decodeUnsafe(start, end - start));
    }
  }
  heap.free(pointers);
  heap.free(buf);
  return result;
}

@external("wasi_snapshot_preview1", "fd_prestat_get")
declare function fd_prestat_get(fd: u32, prestatOut: usize): u16;

@external("wasi_snapshot_preview1", "fd_prestat_dir_name")
declare function fd_prestat_dir_name(fd: u32, path: usize, pathLen: u32): u16;

/** The guest paths of the directories the runtime mapped into the sandbox (`--dir`), by fd from 3. */
export function preopenedDirectories(): Array<string> {
  const result = new Array<string>();
  // Preopens are numbered from 3 without gaps; the first fd that is not one ends the list.
  for (let fd: u32 = 3; fd < 1024; fd++) {
    if (fd_prestat_get(fd, CELL) != ERRNO_SUCCESS || load<u8>(CELL) != 0) break;
    const length = load<u32>(CELL, 4);
    const name = heap.alloc(max<usize>(<usize>length, 1));
    if (fd_prestat_dir_name(fd, name, length) == ERRNO_SUCCESS) {
      result.push(String.UTF8.decodeUnsafe(name, <usize>length));
    }
    heap.free(name);
  }
  return result;
}

// Files: the journal in the data directory (assembly/server/journal/).
@external("wasi_snapshot_preview1", "path_open")
export declare function path_open(
  dirFd: u32,
  dirFlags: u32,
  path: usize,
  pathLen: u32,
  oflags: u16,
  rightsBase: u64,
  rightsInheriting: u64,
  fdFlags: u16,
  fdOut: usize,
): u16;

@external("wasi_snapshot_preview1", "fd_seek")
export declare function fd_seek(fd: u32, offset: i64, whence: u8, newOffsetOut: usize): u16;

@external("wasi_snapshot_preview1", "fd_datasync")
export declare function fd_datasync(fd: u32): u16;

@external("wasi_snapshot_preview1", "fd_filestat_set_size")
export declare function fd_filestat_set_size(fd: u32, size: u64): u16;

@external("wasi_snapshot_preview1", "random_get")
export declare function random_get(buf: usize, len: u32): u16;

export const OFLAGS_CREAT: u16 = 1;
export const WHENCE_SET: u8 = 0;
export const WHENCE_END: u8 = 2;
/** Every right of a regular file (read, write, seek, sync, size, …): the sandbox's --dir decides. */
export const FILE_RIGHTS: u64 = 0x1fffffff;

// Directories of the data directory (journal/, inbound/, snapshot/): list, create, rename, unlink, sync.
@external("wasi_snapshot_preview1", "fd_readdir")
export declare function fd_readdir(fd: u32, buf: usize, bufLen: u32, cookie: u64, sizeOut: usize): u16;

@external("wasi_snapshot_preview1", "fd_sync")
export declare function fd_sync(fd: u32): u16;

@external("wasi_snapshot_preview1", "path_create_directory")
export declare function path_create_directory(dirFd: u32, path: usize, pathLen: u32): u16;

@external("wasi_snapshot_preview1", "path_rename")
export declare function path_rename(
  oldDirFd: u32,
  oldPath: usize,
  oldPathLen: u32,
  newDirFd: u32,
  newPath: usize,
  newPathLen: u32,
): u16;

@external("wasi_snapshot_preview1", "path_unlink_file")
export declare function path_unlink_file(dirFd: u32, path: usize, pathLen: u32): u16;

export const ERRNO_EXIST: u16 = 20;
export const ERRNO_NOENT: u16 = 44;
export const OFLAGS_DIRECTORY: u16 = 2;
export const OFLAGS_EXCL: u16 = 4;
/** sizeof(__wasi_dirent_t): d_next u64, d_ino u64, d_namlen u32, d_type u8, padding; the name follows. */
export const DIRENT_BYTES: usize = 24;
/**
 * Rights for a directory opened to list and sync it: FD_READDIR | FD_SYNC. Not FD_DATASYNC: WasmEdge
 * 0.14.1 opens a node O_WRONLY/O_RDWR when any write right (FD_DATASYNC among them) is asked for,
 * which Linux refuses for a directory (EISDIR); FD_SYNC is not one of them and implies FD_DATASYNC
 * (lib/host/wasi/vinode.cpp pathOpen, include/host/wasi/vinode.h imply()).
 */
export const DIRECTORY_RIGHTS: u64 = (1 << 14) | (1 << 4);
