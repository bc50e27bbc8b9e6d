// The only file in assembly/ that declares tracker.wasm's host imports. Everything the core needs from the
// outside world comes through WASI preview 1, so the same bytes run in Node (node:wasi) and
// under WasmEdge without any JavaScript glue. tracker-server.wasm's further imports (WasmEdge's
// sockets, poll, clocks) are declared beside it in wasi-sockets.ts, so platform/ stays the one place.

@external("wasi_snapshot_preview1", "fd_read")
export declare function fd_read(fd: u32, iovs: usize, iovsLen: usize, nread: usize): u16;

@external("wasi_snapshot_preview1", "fd_write")
export declare function fd_write(fd: u32, iovs: usize, iovsLen: usize, nwritten: usize): u16;

@external("wasi_snapshot_preview1", "args_sizes_get")
declare function args_sizes_get(argc: usize, argvBufSize: usize): u16;

@external("wasi_snapshot_preview1", "args_get")
declare function args_get(argv: usize, argvBuf: usize): u16;

@external("wasi_snapshot_preview1", "proc_exit")
export declare function proc_exit(code: u32): void;

export const STDIN: u32 = 0;
export const STDOUT: u32 = 1;
export const STDERR: u32 = 2;

// Scratch iovec + count cell in static memory: no allocation, so it is safe to use from abort.
const IOV = memory.data(16);

/** Writes raw bytes to a file descriptor, looping over short writes. Returns false on error. */
export function writeAll(fd: u32, ptr: usize, len: usize): bool {
  while (len > 0) {
    store<u32>(IOV, <u32>ptr, 0);
    store<u32>(IOV, <u32>len, 4);
    if (fd_write(fd, IOV, 1, IOV + 8) != 0) return false;
    const written = <usize>load<u32>(IOV, 8);
    if (written == 0) return false;
    ptr += written;
    len -= written;
  }
  return true;
}

/** Reads up to `cap` bytes; returns the count, 0 at end of input, -1 on error. */
export function readSome(fd: u32, ptr: usize, cap: usize): isize {
  store<u32>(IOV, <u32>ptr, 0);
  store<u32>(IOV, <u32>cap, 4);
  if (fd_read(fd, IOV, 1, IOV + 8) != 0) return -1;
  return <isize>load<u32>(IOV, 8);
}

/** The command-line arguments, program name first; empty when the runtime provides none. */
export function commandArguments(): Array<string> {
  const result = new Array<string>();
  if (args_sizes_get(IOV, IOV + 4) != 0) return result;
  const argc = <usize>load<u32>(IOV);
  const bufSize = <usize>load<u32>(IOV, 4);
  if (argc == 0) return result;
  const argv = heap.alloc(argc * 4);
  const buf = heap.alloc(max<usize>(bufSize, 1));
  if (args_get(argv, buf) == 0) {
    for (let i: usize = 0; i < argc; i++) {
      const start = <usize>load<u32>(argv + i * 4);
      let end = start;
      while (end < buf + bufSize && load<u8>(end) != 0) end++;
      result.push(String.UTF8.decodeUnsafe(start, end - start));
    }
  }
  heap.free(argv);
  heap.free(buf);
  return result;
}

function writeString(fd: u32, s: string | null): void {
  if (s === null) return;
  const bytes = String.UTF8.encode(s);
  writeAll(fd, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/**
 * Replaces AssemblyScript's default `env.abort` import (wired up in asconfig.json via `use`).
 * An abort means a bug in the core: report it on stderr and trap. The host treats the trap as
 * fatal for the instance and rebuilds it; nothing in the core continues after this point.
 */
export function abortWithMessage(
  message: string | null = null,
  fileName: string | null = null,
  line: u32 = 0,
  column: u32 = 0,
): void {
  writeString(STDERR, 'tracker.wasm abort: ');
  writeString(STDERR, message);
  writeString(STDERR, ' at ');
  writeString(STDERR, fileName);
  writeString(STDERR, ':' + line.toString() + ':' + column.toString() + '\n');
  unreachable();
}
