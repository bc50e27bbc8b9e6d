// Splits bytes of tracker-server.wasm's journal into records (docs/wasmedge-server.md, "The
// journal"): `u32 length | u32 crc32(seq ‖ payload) | u64 seq | payload`, little-endian. Reading
// stops at the first record that is not whole yet or whose checksum fails: the tail reads a file
// the server is appending to, so either may be a write still in progress, and nothing after it
// can be trusted before it completes (at its next start the server cuts such a tail).
import { crc32 } from 'node:zlib';

export const JOURNAL_HEADER_BYTES = 16;

export interface JournalRecord {
  seq: number;
  /** The record's payload (UTF-8 JSON), a view into the bytes read. */
  payload: Buffer;
  /** Bytes the record takes in the file, header included. */
  bytes: number;
}

/** Why reading stopped before the end of the bytes. */
export type JournalStop = 'end' | 'partial' | 'checksum' | 'limit';

export interface JournalSplit {
  records: JournalRecord[];
  /** Bytes of `bytes` taken by the whole records returned; the rest waits for more. */
  consumed: number;
  stop: JournalStop;
}

export function splitJournal(bytes: Buffer, maxRecords = Number.POSITIVE_INFINITY): JournalSplit {
  const records: JournalRecord[] = [];
  let at = 0;
  while (records.length < maxRecords) {
    if (at === bytes.length) return { records, consumed: at, stop: 'end' };
    if (at + JOURNAL_HEADER_BYTES > bytes.length) return { records, consumed: at, stop: 'partial' };
    const length = bytes.readUInt32LE(at);
    const end = at + JOURNAL_HEADER_BYTES + length;
    if (end > bytes.length) return { records, consumed: at, stop: 'partial' };
    if (crc32(bytes.subarray(at + 8, end)) !== bytes.readUInt32LE(at + 4)) {
      return { records, consumed: at, stop: 'checksum' };
    }
    const seq = bytes.readBigUInt64LE(at + 8);
    if (seq > BigInt(Number.MAX_SAFE_INTEGER)) return { records, consumed: at, stop: 'checksum' };
    records.push({
      seq: Number(seq),
      payload: bytes.subarray(at + JOURNAL_HEADER_BYTES, end),
      bytes: end - at,
    });
    at = end;
  }
  return { records, consumed: at, stop: at === bytes.length ? 'end' : 'limit' };
}

/** One record's bytes, as the server writes them (tests, and tools that write journals). */
export function encodeJournalRecord(seq: number, payload: Buffer): Buffer {
  const record = Buffer.alloc(JOURNAL_HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 0);
  record.writeBigUInt64LE(BigInt(seq), 8);
  payload.copy(record, JOURNAL_HEADER_BYTES);
  record.writeUInt32LE(crc32(record.subarray(8)), 4);
  return record;
}
