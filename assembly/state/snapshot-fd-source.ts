// A snapshot read through WASI fd_read from a descriptor the runtime provides: under WasmEdge a
// file the server opened; in Node, a descriptor the host serves from the snapshot file itself
// (host/core/host-reads.ts), so the bytes go straight into the index's fresh chunks without a
// copy of the whole file in Wasm memory first.
import { readSome } from '../platform/wasi';
import { SnapshotSource } from './snapshot-in';

/** One fd_read is bounded so that a chunk of any size is read in pieces. */
const MAX_READ: usize = 16 << 20;

export class FdSource extends SnapshotSource {
  constructor(private fd: u32) {
    super();
  }

  read(dst: usize, length: usize): bool {
    while (length > 0) {
      const n = readSome(this.fd, dst, min(length, MAX_READ));
      if (n <= 0) return false;
      dst += <usize>n;
      length -= <usize>n;
    }
    return true;
  }
}
