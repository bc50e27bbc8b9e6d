// Where tracker-server.wasm keeps its journal (docs/wasmedge-server.md, "Journal segments"):
// DATA_DIR/journal/<first seq, 20 digits>.log, the newest one active; before segments existed, the
// whole journal was DATA_DIR/journal.log, which the server moves into journal/ at its start.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const JOURNAL_DIR = 'journal';
export const LEGACY_JOURNAL_FILE = 'journal.log';
/** The segment "first seq" that stands for the legacy journal.log (real segments start at seq ≥ 1). */
export const LEGACY_SEGMENT = 0;
const SEGMENT_NAME = /^(\d{20})\.log$/;

export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}.log`;
}

/** The file a segment's bytes are in. */
export function segmentPath(dataDir: string, segment: number): string {
  return segment === LEGACY_SEGMENT
    ? join(dataDir, LEGACY_JOURNAL_FILE)
    : join(dataDir, JOURNAL_DIR, segmentName(segment));
}

/** The first seqs of the segments in DATA_DIR/journal/, ascending; empty while there is none. */
export async function listSegments(dataDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(join(dataDir, JOURNAL_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const seqs: number[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match !== null && Number(match[1]) > 0) seqs.push(Number(match[1]));
  }
  return seqs.sort((a, b) => a - b);
}

/** The segment that holds `seq` if any does: the newest whose first seq is ≤ seq, else the oldest. */
export function segmentHolding(segments: readonly number[], seq: number): number | undefined {
  let holding = segments[0];
  for (const first of segments) if (first <= seq) holding = first;
  return holding;
}
