// The CRC-32 of a state snapshot, which the core leaves for the host to fill (assembly/state/
// snapshot-format.ts: the u32 at byte 8 covers every byte from 12 to the end; snapshot-writer.ts
// says why). zlib.crc32 is the same CRC the server checks with assembly/hash/crc32.ts; it is fed
// piece by piece, so the file writer computes it while it writes, in bounded steps.
import { crc32 } from 'node:zlib';

export const SNAPSHOT_CRC_OFFSET = 8;
const CRC_FROM = 12;

export class SnapshotChecksum {
  private crc = 0;
  private at = 0;

  /** Continues over the next bytes of the file, in file order. */
  update(bytes: Uint8Array): void {
    const skip = Math.max(0, Math.min(bytes.length, CRC_FROM - this.at));
    if (skip < bytes.length) this.crc = crc32(bytes.subarray(skip), this.crc);
    this.at += bytes.length;
  }

  /** The four bytes to write at SNAPSHOT_CRC_OFFSET. */
  bytes(): Uint8Array {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, this.crc, true);
    return out;
  }

  /** Fills the CRC of a snapshot held whole (tests, tools): its first part is the header. */
  static seal(parts: readonly Uint8Array[]): void {
    const checksum = new SnapshotChecksum();
    for (const part of parts) checksum.update(part);
    parts[0]!.set(checksum.bytes(), SNAPSHOT_CRC_OFFSET);
  }
}
