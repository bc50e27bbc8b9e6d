// A WASI descriptor the host serves itself: tracker.wasm reads a state snapshot through fd_read
// (assembly/state/snapshot-fd-source.ts), and the host answers those reads from the snapshot file,
// straight into the Wasm memory the core passes. The whole file is then never copied into Wasm
// memory first (an 86 MiB snapshot would double the instance's memory for good: Wasm memory does
// not shrink). Every other descriptor goes to Node's WASI as before.

/** The descriptor the core is told to read from; far above any that node:wasi hands out. */
export const HOST_READ_FD = 1 << 30;

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_IO = 29;

/** What serves the reads: fills `into` from its current position, returns the bytes filled (0 at the end). */
export interface HostReader {
  read(into: Uint8Array): number;
}

type FdRead = (fd: number, iovs: number, iovsLength: number, nread: number) => number;

export class HostReadPort {
  private reader: HostReader | null = null;
  private memory: WebAssembly.Memory | null = null;

  /** Binds the port to its instance's memory (known only once the instance exists). */
  attach(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  /** Runs `body` (one synchronous core call) with `reader` behind HOST_READ_FD. */
  serve<T>(reader: HostReader, body: () => T): T {
    this.reader = reader;
    try {
      return body();
    } finally {
      this.reader = null;
    }
  }

  /** WASI fd_read for HOST_READ_FD, others to `wasiRead`. */
  fdRead(wasiRead: FdRead): FdRead {
    return (fd, iovs, iovsLength, nread) => {
      if (fd !== HOST_READ_FD) return wasiRead(fd, iovs, iovsLength, nread);
      const reader = this.reader;
      const memory = this.memory;
      if (reader === null || memory === null) return ERRNO_BADF;
      try {
        const view = new DataView(memory.buffer);
        let total = 0;
        for (let i = 0; i < iovsLength; i++) {
          const ptr = view.getUint32(iovs + 8 * i, true);
          const length = view.getUint32(iovs + 8 * i + 4, true);
          const filled = reader.read(new Uint8Array(memory.buffer, ptr, length));
          total += filled;
          if (filled < length) break;
        }
        view.setUint32(nread, total, true);
        return ERRNO_SUCCESS;
      } catch {
        // The reader failed (the file went away mid-read): the core sees an I/O error and refuses it.
        return ERRNO_IO;
      }
    };
  }
}

const ports = new WeakMap<WebAssembly.Memory, HostReadPort>();

/** Records the port of the instance that owns `memory` (wasm-instance.ts). */
export function registerHostReadPort(memory: WebAssembly.Memory, port: HostReadPort): void {
  ports.set(memory, port);
}

/** The port of the instance that owns `memory`; null for an instance made without one. */
export function hostReadPort(memory: WebAssembly.Memory): HostReadPort | null {
  return ports.get(memory) ?? null;
}
