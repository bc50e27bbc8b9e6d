// What one commit writes to the WAL, and for which table or index. SQLite appends every page a
// transaction changed to the WAL as a whole 4 KiB frame, so a commit's cost follows the number of
// distinct pages it touched, not the bytes of its rows: an event with random keys (its hash ID)
// lands on another page of that index than the event before it, while keys that grow with seq or
// time share the rightmost page. Measured on a store that already holds PREFILL_EVENTS events (a
// fresh file keeps every index on a few hot pages): after a TRUNCATE checkpoint, one commit of each
// size; the WAL's frame headers name the pages it wrote, and dbstat names the B-tree of each page.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { EventWriter } from '../../host/store/event-writer.js';
import { openDatabase } from '../../host/store/open-database.js';
import type { BenchRow } from '../lib/report.js';
import { benchEvent } from './events.js';

const PREFILL_EVENTS = 50_000;
const GROUP_SIZES = [1, 5, 20, 1000] as const;
/** Commits measured per group size; the figure is their mean. */
const SAMPLES = 5;
const PAGE_KIB = 4;

export interface WalPerCommit {
  rows: BenchRow[];
  notes: Record<string, unknown>;
}

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

function writeEvents(db: Database, writer: EventWriter, from: number, count: number): void {
  db.transaction(() => {
    for (let n = from; n < from + count; n++) writer.write(benchEvent(n, 1_735_689_600_000 + n * 31_500));
  })();
}

/** Page numbers of the frames in the WAL file (each frame's header starts with its page number). */
function walPages(walPath: string, pageSize: number): number[] {
  const wal = readFileSync(walPath);
  const pages: number[] = [];
  for (
    let at = WAL_HEADER_BYTES;
    at + FRAME_HEADER_BYTES + pageSize <= wal.length;
    at += FRAME_HEADER_BYTES + pageSize
  ) {
    pages.push(wal.readUInt32BE(at));
  }
  return pages;
}

/** The B-tree (table or index) each page belongs to, after the writes (dbstat reads through the WAL). */
function pageOwners(db: Database): Map<number, string> {
  const rows = db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[];
  return new Map(rows.map((row) => [row.pageno, row.name]));
}

/** WAL pages per event for commits of `size` events, by B-tree, summed over SAMPLES commits. */
function framesByOwner(db: Database, walPath: string, from: number, size: number): Map<string, number> {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const counts = new Map<string, number>();
  for (let sample = 0; sample < SAMPLES; sample++) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    writeEvents(db, writerFor(db), from + sample * size, size);
    const owners = pageOwners(db);
    for (const page of walPages(walPath, pageSize)) {
      // Page 1 holds the database header (change counter); a freelist page belongs to no B-tree.
      const owner = page === 1 ? '(database header)' : (owners.get(page) ?? '(freelist)');
      counts.set(owner, (counts.get(owner) ?? 0) + 1 / (size * SAMPLES));
    }
  }
  return counts;
}

const writers = new WeakMap<Database, EventWriter>();
function writerFor(db: Database): EventWriter {
  let found = writers.get(db);
  if (found === undefined) writers.set(db, (found = new EventWriter(db)));
  return found;
}

/** Builds the prefilled store in `dir`, measures commits of each size on it, and removes it. */
export function walPerCommit(dir: string): WalPerCommit {
  const path = join(dir, 'wal-per-commit.db');
  const db = openDatabase({ path, synchronous: 'NORMAL', walAutocheckpointPages: 0 });
  try {
    for (let from = 0; from < PREFILL_EVENTS; from += 1000) writeEvents(db, writerFor(db), from, 1000);
    const rows: BenchRow[] = [];
    const byOwner: Record<number, Record<string, number>> = {};
    let next = PREFILL_EVENTS;
    for (const size of GROUP_SIZES) {
      const counts = framesByOwner(db, `${path}-wal`, next, size);
      next += size * SAMPLES;
      const pages = [...counts.values()].reduce((a, b) => a + b, 0);
      byOwner[size] = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
      const top = [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, n]) => `${name} ${n.toFixed(2)}`)
        .join(', ');
      rows.push({
        metric: `WAL per event, ${size}-event commits on a ${PREFILL_EVENTS.toLocaleString('en-US')}-event store (${pages.toFixed(1)} pages; most: ${top})`,
        value: pages * PAGE_KIB,
        unit: 'KiB',
      });
    }
    return { rows, notes: { walPrefillEvents: PREFILL_EVENTS, walPagesPerEventByBtree: byOwner } };
  } finally {
    db.close();
    rmSync(path, { force: true });
  }
}
