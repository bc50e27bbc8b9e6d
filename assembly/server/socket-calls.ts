// The few socket operations the event loop needs, over the raw imports in platform/wasi-sockets.ts:
// each returns a count or a negative errno-shaped status, never throws.
import {
  ADDRESS_FAMILY_INET4,
  ERRNO_AGAIN,
  ERRNO_INPROGRESS,
  ERRNO_INTR,
  ERRNO_SUCCESS,
  FDFLAGS_NONBLOCK,
  RIFLAGS_RECV_PEEK,
  SDFLAGS_WR,
  SOCK_OPT_LEVEL_SOL_SOCKET,
  SOCK_OPT_SO_REUSEADDR,
  SOCK_TYPE_STREAM,
  fd_close,
  fd_fdstat_set_flags,
  sock_accept,
  sock_bind,
  sock_connect,
  sock_getpeeraddr,
  sock_listen,
  sock_open,
  sock_recv,
  sock_send,
  sock_setsockopt,
  sock_shutdown,
} from '../platform/wasi-sockets';

/** A call that would block: try again when poll says the socket is ready. */
export const WOULD_BLOCK: i32 = -1;
/** The connection is gone (reset, broken pipe, or any other error): close it. */
export const FAILED: i32 = -2;

// Scratch cells in static memory: iovec, out-counts, the address record and its 4 bytes.
const CELLS = memory.data(32);
const ADDRESS = memory.data(8);
const ADDRESS_BYTES = memory.data(4);
const PEEK_BYTE = memory.data(1);

/** What opening the listener reported: the fd, or the failing step and its WASI errno. */
export class ListenResult {
  fd: i32 = -1;
  step: string = '';
  errno: u16 = 0;
}

/** A non-blocking IPv4 listener on `a.b.c.d:port` with SO_REUSEADDR (restarts reuse the port at once). */
export function openListener(address: u32, port: i32, backlog: i32): ListenResult {
  const result = new ListenResult();
  let errno = sock_open(ADDRESS_FAMILY_INET4, SOCK_TYPE_STREAM, CELLS);
  if (errno != ERRNO_SUCCESS) return failedStep(result, 'sock_open', errno);
  const fd = load<u32>(CELLS);
  store<u32>(CELLS, 1);
  errno = sock_setsockopt(fd, SOCK_OPT_LEVEL_SOL_SOCKET, SOCK_OPT_SO_REUSEADDR, CELLS, 4);
  if (errno != ERRNO_SUCCESS) return closeAfter(result, fd, 'sock_setsockopt SO_REUSEADDR', errno);
  store<u32>(ADDRESS_BYTES, bswap<u32>(address));
  store<u32>(ADDRESS, <u32>ADDRESS_BYTES, 0);
  store<u32>(ADDRESS, 4, 4);
  errno = sock_bind(fd, ADDRESS, <u32>port);
  if (errno != ERRNO_SUCCESS) return closeAfter(result, fd, 'sock_bind', errno);
  errno = sock_listen(fd, <u32>backlog);
  if (errno != ERRNO_SUCCESS) return closeAfter(result, fd, 'sock_listen', errno);
  errno = fd_fdstat_set_flags(fd, FDFLAGS_NONBLOCK);
  if (errno != ERRNO_SUCCESS) return closeAfter(result, fd, 'fd_fdstat_set_flags', errno);
  result.fd = <i32>fd;
  return result;
}

function failedStep(result: ListenResult, step: string, errno: u16): ListenResult {
  result.step = step;
  result.errno = errno;
  return result;
}

function closeAfter(result: ListenResult, fd: u32, step: string, errno: u16): ListenResult {
  fd_close(fd);
  return failedStep(result, step, errno);
}

/** A new non-blocking connection, WOULD_BLOCK when none is waiting, FAILED otherwise. */
export function acceptConnection(listener: i32): i32 {
  const errno = sock_accept(<u32>listener, CELLS);
  if (errno == ERRNO_AGAIN || errno == ERRNO_INTR) return WOULD_BLOCK;
  if (errno != ERRNO_SUCCESS) return FAILED;
  const fd = load<u32>(CELLS);
  if (fd_fdstat_set_flags(fd, FDFLAGS_NONBLOCK) != ERRNO_SUCCESS) {
    fd_close(fd);
    return FAILED;
  }
  return <i32>fd;
}

/** Bytes received into [ptr, ptr+cap): > 0, 0 at end of stream, WOULD_BLOCK or FAILED. */
export function receive(fd: i32, ptr: usize, cap: i32): i32 {
  store<u32>(CELLS, <u32>ptr, 0);
  store<u32>(CELLS, <u32>cap, 4);
  const errno = sock_recv(<u32>fd, CELLS, 1, 0, CELLS + 8, CELLS + 12);
  if (errno == ERRNO_AGAIN || errno == ERRNO_INTR) return WOULD_BLOCK;
  if (errno != ERRNO_SUCCESS) return FAILED;
  return <i32>load<u32>(CELLS, 8);
}

/** Bytes the kernel took from [ptr, ptr+len): possibly fewer than len, WOULD_BLOCK or FAILED. */
export function send(fd: i32, ptr: usize, len: i32): i32 {
  store<u32>(CELLS, <u32>ptr, 0);
  store<u32>(CELLS, <u32>len, 4);
  const errno = sock_send(<u32>fd, CELLS, 1, 0, CELLS + 8);
  if (errno == ERRNO_AGAIN || errno == ERRNO_INTR) return WOULD_BLOCK;
  if (errno != ERRNO_SUCCESS) return FAILED;
  return <i32>load<u32>(CELLS, 8);
}

/** Ends our sending side (FIN) while the peer may still be sending. */
export function shutdownSending(fd: i32): void {
  sock_shutdown(<u32>fd, SDFLAGS_WR);
}

export function closeSocket(fd: i32): void {
  fd_close(<u32>fd);
}

/**
 * A non-blocking connection to 127.0.0.1:`port` under way (writable once connected; a refusal shows
 * as a failed send or receive), or FAILED when it could not even start (refused at once on loopback).
 */
export function connectLoopback(port: i32): i32 {
  if (sock_open(ADDRESS_FAMILY_INET4, SOCK_TYPE_STREAM, CELLS) != ERRNO_SUCCESS) return FAILED;
  const fd = load<u32>(CELLS);
  if (fd_fdstat_set_flags(fd, FDFLAGS_NONBLOCK) != ERRNO_SUCCESS) {
    fd_close(fd);
    return FAILED;
  }
  store<u32>(ADDRESS_BYTES, bswap<u32>(0x7f000001));
  store<u32>(ADDRESS, <u32>ADDRESS_BYTES, 0);
  store<u32>(ADDRESS, 4, 4);
  const errno = sock_connect(fd, ADDRESS, <u32>port);
  if (errno != ERRNO_SUCCESS && errno != ERRNO_INPROGRESS && errno != ERRNO_AGAIN) {
    fd_close(fd);
    return FAILED;
  }
  return <i32>fd;
}

/** Whether an idle connection is still usable: nothing to read yet (a pooled one must not have an EOF or stray bytes). */
export function idleAndOpen(fd: i32): bool {
  store<u32>(CELLS, <u32>PEEK_BYTE, 0);
  store<u32>(CELLS, 1, 4);
  const errno = sock_recv(<u32>fd, CELLS, 1, RIFLAGS_RECV_PEEK, CELLS + 8, CELLS + 12);
  return errno == ERRNO_AGAIN || errno == ERRNO_INTR;
}

/** The peer's IPv4 address (a.b.c.d as a big-endian u32), for counting failed authentications per client; 0 when unknown. */
export function peerAddress(fd: i32): u32 {
  store<u32>(ADDRESS, <u32>ADDRESS_BYTES, 0);
  store<u32>(ADDRESS, 4, 4);
  if (sock_getpeeraddr(<u32>fd, ADDRESS, CELLS, CELLS + 4) != ERRNO_SUCCESS) return 0;
  return bswap<u32>(load<u32>(ADDRESS_BYTES));
}
