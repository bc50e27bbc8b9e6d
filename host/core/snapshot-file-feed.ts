// Serves a state snapshot file to the core's reads through HOST_READ_FD (host-reads.ts) and checks
// its CRC-32 on the way, over exactly the bytes the core read: the core leaves that check to the
// host in Node (assembly/state/snapshot-reader.ts says why). Small reads (counts, sizes, interned
// strings) come from a read-ahead buffer; large ones (chunks, tables) go from the file straight
// into Wasm memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { HostReader } from './host-reads.js';
import { SNAPSHOT_CRC_OFFSET, SnapshotChecksum } from './snapshot-checksum.js';

const READ_AHEAD = 1 << 20;
/** The header's size in this layout (assembly/state/snapshot-format.ts SNAPSHOT_HEADER_BYTES). */
export const SNAPSHOT_HEADER_BYTES = 128;
/** Where the host tag lies in the header, and its size (snapshot-format.ts H_HOST_TAG). */
export const HOST_TAG_OFFSET = 64;
export const HOST_TAG_BYTES = 64;

export class SnapshotFileFeed implements HostReader {
  readonly size: number;
  private readonly fd: number;
  private position = 0;
  private readonly buffer = Buffer.allocUnsafe(READ_AHEAD);
  private bufferStart = 0;
  private bufferEnd = 0;
  private readonly checksum = new SnapshotChecksum();
  /** The first bytes delivered, up to a whole header. */
  readonly header = new Uint8Array(SNAPSHOT_HEADER_BYTES);
  private delivered = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
  }

  read(into: Uint8Array): number {
    let filled = 0;
    while (filled < into.length) {
      const wanted = into.length - filled;
      if (this.bufferEnd > this.bufferStart) {
        const n = Math.min(wanted, this.bufferEnd - this.bufferStart);
        into.set(this.buffer.subarray(this.bufferStart, this.bufferStart + n), filled);
        this.bufferStart += n;
        filled += n;
      } else if (wanted >= READ_AHEAD) {
        const n = readSync(this.fd, into, filled, wanted, this.position);
        if (n === 0) break;
        this.position += n;
        filled += n;
      } else {
        const n = readSync(this.fd, this.buffer, 0, READ_AHEAD, this.position);
        if (n === 0) break;
        this.position += n;
        this.bufferStart = 0;
        this.bufferEnd = n;
      }
    }
    const bytes = into.subarray(0, filled);
    if (this.delivered < SNAPSHOT_HEADER_BYTES)
      this.header.set(bytes.subarray(0, SNAPSHOT_HEADER_BYTES - this.delivered), this.delivered);
    this.checksum.update(bytes);
    this.delivered += filled;
    return filled;
  }

  /** True when the core read the whole file and its CRC-32 is the one its header carries. */
  intact(): boolean {
    if (this.delivered !== this.size || this.size < SNAPSHOT_HEADER_BYTES) return false;
    const expected = new DataView(this.header.buffer).getUint32(SNAPSHOT_CRC_OFFSET, true);
    return new DataView(this.checksum.bytes().buffer).getUint32(0, true) === expected;
  }

  /** The host tag the header carries (meaningful once the header was delivered). */
  hostTag(): Uint8Array {
    return this.header.slice(HOST_TAG_OFFSET, HOST_TAG_OFFSET + HOST_TAG_BYTES);
  }

  close(): void {
    closeSync(this.fd);
  }
}
