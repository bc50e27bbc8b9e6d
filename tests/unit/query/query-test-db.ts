// An in-memory database with the real schema (every migration in host/store/migrations) and a helper
// that inserts an event's rows the way the store writer does: events + event_epcs + event_links.
import Database, { type Database as Db } from 'better-sqlite3';
import { migrate } from '../../../host/store/migrate.js';
import type { EpcRole, LinkKind } from '../../../host/query/event-query.js';

export interface TestEvent {
  eventId?: string;
  type?: string;
  action?: string | null;
  eventTimeMs: number;
  recordTimeMs?: number;
  bizStep?: string | null;
  disposition?: string | null;
  readPoint?: string | null;
  bizLocation?: string | null;
  transformationId?: string | null;
  declarationTimeMs?: number | null;
  errorReason?: string | null;
  hasSensorData?: boolean;
  epcs?: [string, EpcRole, number?, string?][];
  links?: [LinkKind, string | null, string][];
  body?: Record<string, unknown>;
}

export function openTestDb(file = ':memory:'): Db {
  const db = new Database(file);
  migrate(db);
  return db;
}

let counter = 0;

/** Inserts one event and its index rows; returns its seq. */
export function insertEvent(db: Db, e: TestEvent): number {
  counter += 1;
  const eventId = e.eventId ?? `urn:uuid:00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  const result = db
    .prepare(
      `INSERT INTO events (event_id, hash_id, event_type, action, event_time_ms, event_time_offset, record_time_ms,
         biz_step, disposition, read_point, biz_location, transformation_id, is_declaration, declaration_time_ms,
         error_reason, has_sensor_data, origin_site, body)
       VALUES (?, ?, ?, ?, ?, '+00:00', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'site-test', ?)`,
    )
    .run(
      eventId,
      `ni:///sha-256;${String(counter).padStart(64, '0')}?ver=CBV2.0`,
      e.type ?? 'ObjectEvent',
      e.action === undefined ? 'OBSERVE' : e.action,
      e.eventTimeMs,
      e.recordTimeMs ?? e.eventTimeMs + 1000,
      e.bizStep ?? null,
      e.disposition ?? null,
      e.readPoint ?? null,
      e.bizLocation ?? null,
      e.transformationId ?? null,
      e.declarationTimeMs == null ? 0 : 1,
      e.declarationTimeMs ?? null,
      e.errorReason ?? null,
      e.hasSensorData === true ? 1 : 0,
      JSON.stringify(e.body ?? { type: e.type ?? 'ObjectEvent' }),
    );
  const seq = Number(result.lastInsertRowid);
  const epc = db.prepare('INSERT INTO event_epcs (seq, epc, role, quantity, uom) VALUES (?, ?, ?, ?, ?)');
  for (const [id, role, quantity, uom] of e.epcs ?? []) epc.run(seq, id, role, quantity ?? null, uom ?? null);
  const link = db.prepare('INSERT INTO event_links (seq, kind, type, value) VALUES (?, ?, ?, ?)');
  for (const [kind, type, value] of e.links ?? []) link.run(seq, kind, type, value);
  return seq;
}
