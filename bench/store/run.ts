// Store write throughput on a temporary file database (pass a directory as the first argument to
// measure another disk): the EventWriter in 1000-event transactions, and the GroupCommitter under
// 50 concurrent one-event submitters, each with synchronous=NORMAL and FULL, against the baseline
// of one transaction per one-event request; then what one commit writes to the WAL, by B-tree
// (wal-per-commit.ts). Prints a table, writes bench/results/store.{json,md}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from 'better-sqlite3';
import { EventWriter } from '../../host/store/event-writer.js';
import { GroupCommitter } from '../../host/store/group-committer.js';
import { openDatabase } from '../../host/store/open-database.js';
import { type BenchRow, report } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { benchEvent } from './events.js';
import { walPerCommit } from './wal-per-commit.js';

type Level = 'NORMAL' | 'FULL';
const RUNS = 5;
const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'edgetrace-bench-store-'));
const rows: BenchRow[] = [];
const notes: Record<string, unknown> = {
  directory: dir,
  event: '1 event row + 4 event_epcs + 3 event_links + 1 outbox',
};
let nextEvent = 0;
let dbCount = 0;

function withDatabase<T>(level: Level, body: (db: Database, writer: EventWriter) => T): T {
  const db = openDatabase({ path: join(dir, `bench-${dbCount++}.db`), synchronous: level });
  try {
    return body(db, new EventWriter(db));
  } finally {
    db.close();
  }
}

function batched(level: Level, batches: number, batchSize: number): number {
  return withDatabase(level, (db, writer) => {
    const writeBatch = db.transaction((n: number) => {
      for (let i = 0; i < batchSize; i++) writer.write(benchEvent(n + i, Date.now()));
    });
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      writeBatch(nextEvent);
      nextEvent += batchSize;
    }
    return (batches * batchSize) / ((performance.now() - started) / 1000);
  });
}

function oneTransactionPerEvent(level: Level, events: number): number {
  return batched(level, events, 1);
}

async function groupCommit(
  level: Level,
  submitters: number,
  perSubmitter: number,
): Promise<[number, number]> {
  const db = openDatabase({ path: join(dir, `bench-${dbCount++}.db`), synchronous: level });
  let commits = 0;
  const committer = new GroupCommitter(db, new EventWriter(db), {
    maxBatchEvents: 1000,
    onCommit: () => commits++,
  });
  const submitter = async () => {
    for (let i = 0; i < perSubmitter; i++) {
      await committer.submit({ events: [benchEvent(nextEvent++, Date.now())], mode: 'all-or-nothing' });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: submitters }, submitter));
  const seconds = (performance.now() - started) / 1000;
  await committer.close();
  db.close();
  return [(submitters * perSubmitter) / seconds, (submitters * perSubmitter) / commits];
}

for (const level of ['NORMAL', 'FULL'] as const) {
  const raw = median(Array.from({ length: RUNS }, () => batched(level, 20, 1000)));
  const single = median(
    Array.from({ length: RUNS }, () => oneTransactionPerEvent(level, level === 'FULL' ? 300 : 2000)),
  );
  const groupRates: number[] = [];
  const groups: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const [rate, perCommit] = await groupCommit(level, 50, level === 'FULL' ? 40 : 200);
    groupRates.push(rate);
    groups.push(perCommit);
  }
  const grouped = median(groupRates);
  notes[`eventsPerCommit${level}`] = Math.round(median(groups));
  rows.push({
    metric: `writer, 1000-event transactions, synchronous=${level}`,
    value: raw,
    unit: 'events/s',
  });
  rows.push({
    metric: `group commit, 50 concurrent 1-event submitters, synchronous=${level}`,
    value: grouped,
    unit: 'events/s',
    ratio: grouped / single,
    baseline: 'of one transaction per request',
  });
  rows.push({
    metric: `one transaction per 1-event request, synchronous=${level}`,
    value: single,
    unit: 'events/s',
  });
}

const wal = walPerCommit(dir);
rows.push(...wal.rows);
Object.assign(notes, wal.notes);

report('store', rows, notes);
rmSync(dir, { recursive: true, force: true });
