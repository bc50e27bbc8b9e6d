// Reads a stopped service's SQLite file (read-only) and checks what the service promised about it,
// and replays stored events into a fresh TrackerCore to compare states with an independent replay
// of the original captures.
import Database from 'better-sqlite3';
import type { TrackerCore } from '../../../../host/core/gateway.js';
import type { EpcState } from '../../../../host/core/types.js';
import type { Attempt } from './service-client.js';
import type { PlannedCapture } from './capture-plan.js';

export interface StoredRow {
  seq: number;
  event_id: string;
  hash_id: string;
  capture_id: string | null;
  context_json: string | null;
  body: string;
}

export interface StoreAudit {
  integrity: string;
  rows: StoredRow[];
  /** eventIDs stored more than once. */
  duplicateIds: string[];
  /** Events without their outbox row. */
  withoutOutbox: number;
  outboxRows: number;
  /** Capture IDs whose job row is missing, unsuccessful or counts other than what is stored. */
  badJobs: string[];
  distinctInstanceEpcs: number;
}

export function auditStore(databaseFile: string): StoreAudit {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT seq, event_id, hash_id, capture_id, context_json, body FROM events ORDER BY seq')
      .all() as StoredRow[];
    return {
      integrity: String(db.pragma('integrity_check', { simple: true })),
      rows,
      duplicateIds: db
        .prepare('SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1')
        .pluck()
        .all() as string[],
      withoutOutbox: db
        .prepare(
          'SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = e.seq)',
        )
        .pluck()
        .get() as number,
      outboxRows: db.prepare('SELECT count(*) FROM outbox').pluck().get() as number,
      badJobs: db
        .prepare(
          `SELECT e.capture_id FROM events e LEFT JOIN capture_jobs j ON j.capture_id = e.capture_id
           WHERE e.capture_id IS NOT NULL
           GROUP BY e.capture_id
           HAVING max(j.capture_id IS NULL) = 1 OR max(j.success) != 1 OR max(j.running) != 0
               OR max(j.stored_count) != count(*) OR max(j.event_count) != count(*)`,
        )
        .pluck()
        .all() as string[],
      distinctInstanceEpcs: db
        .prepare(
          `SELECT count(DISTINCT epc) FROM event_epcs
           WHERE role IN ('epcList', 'parentID', 'childEPCs', 'inputEPCList', 'outputEPCList')`,
        )
        .pluck()
        .get() as number,
    };
  } finally {
    db.close();
  }
}

const REPLAY_CHUNK = 500;

function captureOrThrow(core: TrackerCore, text: string, what: string): string[] {
  const result = core.capture(new TextEncoder().encode(text));
  const accepted = result.events.flatMap((event) => (event.accepted ? [event.hashId] : []));
  if (result.issues.length > 0 || accepted.length !== result.events.length) {
    throw new Error(`replaying ${what} was refused: ${JSON.stringify(result.issues.slice(0, 3))}`);
  }
  return accepted;
}

/**
 * Captures the stored bodies (with their stored @context) into `core`, in store order. Returns the
 * hash IDs the fresh core computed, by seq, so the caller can compare them with the stored ones.
 */
export function replayStored(core: TrackerCore, rows: readonly StoredRow[]): Map<number, string> {
  const hashes = new Map<number, string>();
  let batch: StoredRow[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const text =
      `{"@context":${batch[0]!.context_json},"type":"EPCISDocument","schemaVersion":"2.0",` +
      `"creationDate":"2026-01-01T00:00:00Z","epcisBody":{"eventList":[${batch.map((r) => r.body).join(',')}]}}`;
    captureOrThrow(core, text, `stored events ${batch[0]!.seq}..`).forEach((hash, i) =>
      hashes.set(batch[i]!.seq, hash),
    );
    batch = [];
  };
  for (const row of rows) {
    if (row.context_json === null) {
      flush();
      hashes.set(row.seq, captureOrThrow(core, row.body, `stored event ${row.seq}`)[0]!);
    } else {
      if (batch.length > 0 && (batch[0]!.context_json !== row.context_json || batch.length >= REPLAY_CHUNK))
        flush();
      batch.push(row);
    }
  }
  flush();
  return hashes;
}

/** Captures the original request bodies into `core`. */
export function replayCaptures(core: TrackerCore, captures: readonly PlannedCapture[]): void {
  for (const capture of captures) captureOrThrow(core, capture.body, capture.key);
}

export interface StateDifference {
  epc: string;
  fromStore: EpcState | null;
  expected: EpcState | null;
}

/** EPCs whose state (or, for containers, contents) differs between the two cores. */
export function stateDifferences(
  fromStore: TrackerCore,
  expected: TrackerCore,
  captures: readonly PlannedCapture[],
): StateDifference[] {
  const differences: StateDifference[] = [];
  for (const capture of captures) {
    for (const epc of capture.epcs) {
      const a = fromStore.state(epc);
      const b = expected.state(epc);
      if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ epc, fromStore: a, expected: b });
    }
    if (capture.container !== null) {
      // Children are listed in the order the core met them, which may differ between replays.
      const a = fromStore.contents(capture.container)?.children.slice().sort() ?? null;
      const b = expected.contents(capture.container)?.children.slice().sort() ?? null;
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        differences.push({ epc: `contents of ${capture.container}`, fromStore: null, expected: null });
      }
    }
  }
  return differences;
}

/** For each attempt, how many of its events a set of stored eventIDs holds. */
export function storedCounts(
  attempts: readonly Attempt[],
  stored: ReadonlySet<string>,
): Map<Attempt, number> {
  return new Map(attempts.map((a) => [a, a.capture.eventIds.filter((id) => stored.has(id)).length]));
}
