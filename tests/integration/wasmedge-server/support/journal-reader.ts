// Reads tracker-server.wasm's journal as the sidecar will: the segments DATA_DIR/journal/<first
// seq, 20 digits>.log in order (or a legacy DATA_DIR/journal.log the server has not moved yet),
// records of `u32 length | u32 crc32(seq ‖ payload) | u64 seq | payload` (little-endian), checked
// with node's own zlib.crc32, stopping at the first partial or garbled record.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const JOURNAL_DIR = 'journal';
export const LEGACY_JOURNAL_FILE = 'journal.log';
/** The first segment: with the default segment size (64 MiB) it holds a test's whole journal. */
export const JOURNAL_FILE = `${JOURNAL_DIR}/${segmentName(1)}`;
const HEADER_BYTES = 16;

export interface JournalRecord {
  seq: bigint;
  /** The file the record is in, relative to the data directory. */
  file: string;
  /** Where the record starts in that file. */
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
  /** Bytes of intact records in the newest segment; its size when nothing is torn. */
  intactBytes: number;
  fileBytes: number;
  /** The segment files read, relative to the data directory, oldest first. */
  segments: string[];
}

/** What the Node service's store keeps unique (host/store/migrations/001-initial.ts). */
export const storeKey = (r: JournalRecord): string =>
  r.payload.declarationTimeMs === null
    ? r.payload.eventId
    : `${r.payload.eventId} @${r.payload.declarationTimeMs}`;

export function segmentName(firstSeq: number | bigint): string {
  return `${String(firstSeq).padStart(20, '0')}.log`;
}

/** The journal's files relative to the data directory, oldest first. */
export function journalFiles(dataDir: string): string[] {
  const dir = join(dataDir, JOURNAL_DIR);
  const segments = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => /^\d{20}\.log$/.test(name))
        .sort()
        .map((name) => `${JOURNAL_DIR}/${name}`)
    : [];
  if (segments.length > 0) return segments;
  return existsSync(join(dataDir, LEGACY_JOURNAL_FILE)) ? [LEGACY_JOURNAL_FILE] : [];
}

export function readJournal(dataDir: string): JournalContents {
  const segments = journalFiles(dataDir);
  const records: JournalRecord[] = [];
  let intactBytes = 0;
  let fileBytes = 0;
  for (const name of segments) {
    const file = readFileSync(join(dataDir, name));
    let at = 0;
    while (at + HEADER_BYTES <= file.length) {
      const length = file.readUInt32LE(at);
      const sum = file.readUInt32LE(at + 4);
      const end = at + HEADER_BYTES + length;
      if (end > file.length || crc32(file.subarray(at + 8, end)) !== sum) break;
      const payload = JSON.parse(
        file.subarray(at + HEADER_BYTES, end).toString('utf8'),
      ) as JournalRecord['payload'];
      records.push({ seq: file.readBigUInt64LE(at + 8), file: name, offset: at, payload });
      at = end;
    }
    intactBytes = at;
    fileBytes = file.length;
  }
  return { records, intactBytes, fileBytes, segments };
}
