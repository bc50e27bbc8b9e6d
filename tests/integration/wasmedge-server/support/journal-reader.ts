// Reads tracker-server.wasm's journal as the sidecar will: records of `u32 length | u32
// crc32(seq ‖ payload) | u64 seq | payload` (little-endian), checked with node's own zlib.crc32,
// stopping at the first partial or garbled record.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const JOURNAL_FILE = 'journal.log';
const HEADER_BYTES = 16;

export interface JournalRecord {
  seq: bigint;
  /** Where the record starts in the file. */
  offset: number;
  payload: {
    eventId: string;
    captureId: string | null;
    recordTimeMs: number;
    /** Set for an error declaration, which shares its eventID with the event it corrects. */
    declarationTimeMs: number | null;
    state: unknown[];
    result: { start: number; end: number; eventId: string | null; hashId: string };
    context: unknown;
    event: Record<string, unknown>;
  };
}

export interface JournalContents {
  records: JournalRecord[];
  /** Bytes of intact records; the file's size when nothing is torn. */
  intactBytes: number;
  fileBytes: number;
}

/** What the Node service's store keeps unique (host/store/migrations/001-initial.ts). */
export const storeKey = (r: JournalRecord): string =>
  r.payload.declarationTimeMs === null
    ? r.payload.eventId
    : `${r.payload.eventId} @${r.payload.declarationTimeMs}`;

export function readJournal(dataDir: string): JournalContents {
  const file = readFileSync(join(dataDir, JOURNAL_FILE));
  const records: JournalRecord[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= file.length) {
    const length = file.readUInt32LE(at);
    const sum = file.readUInt32LE(at + 4);
    const end = at + HEADER_BYTES + length;
    if (end > file.length || crc32(file.subarray(at + 8, end)) !== sum) break;
    const payload = JSON.parse(
      file.subarray(at + HEADER_BYTES, end).toString('utf8'),
    ) as JournalRecord['payload'];
    records.push({ seq: file.readBigUInt64LE(at + 8), offset: at, payload });
    at = end;
  }
  return { records, intactBytes: at, fileBytes: file.length };
}
