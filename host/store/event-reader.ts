// The reads the service itself needs (the query engine in host/query has its own): events by seq
// or eventID, counts, and a streaming pass over every event to rebuild the core's state index.
import type { Database, Statement } from 'better-sqlite3';
import type { EpcKey, EpcRole } from '../core/types.js';
import { STATE_EVENT_COLUMNS, type StateEventRow, toStateEvent } from './state-event-row.js';

export interface StoredEvent {
  seq: number;
  eventId: string;
  hashId: string;
  type: string;
  recordTimeMs: number;
  isDeclaration: boolean;
  declarationTimeMs: number | null;
  captureId: string | null;
  originSite: string;
  contextJson: string | null;
  /** The event's JSON text exactly as captured. */
  body: string;
}

export interface EventWithDeclarations {
  /** Null when only declarations arrived so far (sync may deliver them before the original). */
  event: StoredEvent | null;
  declarations: StoredEvent[];
}

/** What replaying an event into the core's state index needs. */
export interface RebuildEvent {
  seq: number;
  eventId: string;
  hashId: string;
  type: string;
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  eventTimeMs: number;
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  isDeclaration: boolean;
  epcs: EpcKey[];
}

interface EventRow {
  seq: number;
  event_id: string;
  hash_id: string;
  event_type: string;
  record_time_ms: number;
  is_declaration: number;
  declaration_time_ms: number | null;
  capture_id: string | null;
  origin_site: string;
  context_json: string | null;
  body: string;
}

interface RebuildRow extends StateEventRow<RebuildEvent['action']> {
  epc: string | null;
  role: EpcRole | null;
  quantity: number | null;
  uom: string | null;
}

const EVENT_COLUMNS = `seq, event_id, hash_id, event_type, record_time_ms, is_declaration, declaration_time_ms,
  capture_id, origin_site, context_json, body`;

export class EventReader {
  private readonly bySeqs: Statement<[string], EventRow>;
  private readonly byId: Statement<[{ eventId: string }], EventRow>;
  private readonly count: Statement<[], { n: number }>;
  private readonly max: Statement<[], { seq: number | null }>;
  private readonly all: Statement<[], RebuildRow>;
  private readonly chunk: Statement<[number, number], RebuildRow>;

  constructor(db: Database) {
    // json_each takes the whole seq list as one parameter, so one prepared statement serves any length.
    this.bySeqs = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq IN (SELECT value FROM json_each(?))`,
    );
    // Both eventID indexes are partial (on is_declaration), so a plain `event_id = ?` would scan the
    // table; one arm per index keeps both lookups indexed.
    this.byId =
      db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = @eventId AND is_declaration = 0
      UNION ALL
      SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = @eventId AND is_declaration = 1
      ORDER BY is_declaration, declaration_time_ms, seq`);
    this.count = db.prepare('SELECT count(*) AS n FROM events');
    this.max = db.prepare('SELECT max(seq) AS seq FROM events');
    // event_epcs rows are read in rowid (insertion) order, i.e. the order the event listed them.
    this.all = db.prepare(`SELECT ${STATE_EVENT_COLUMNS}, x.epc, x.role, x.quantity, x.uom
      FROM events e LEFT JOIN event_epcs x ON x.seq = e.seq
      ORDER BY e.seq, x.rowid`);
    this.chunk = db.prepare(`SELECT ${STATE_EVENT_COLUMNS}, x.epc, x.role, x.quantity, x.uom
      FROM events e LEFT JOIN event_epcs x ON x.seq = e.seq
      WHERE e.seq IN (SELECT seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?)
      ORDER BY e.seq, x.rowid`);
  }

  /**
   * Up to `limit` events after `afterSeq`, in seq order: lets a caller replay the store in chunks
   * and give the event loop back between them (the start-up rebuild keeps /health answering).
   */
  rebuildChunk(afterSeq: number, limit: number): RebuildEvent[] {
    const events: RebuildEvent[] = [];
    groupRows(this.chunk.iterate(afterSeq, limit), (event) => events.push(event));
    return events;
  }

  /** The events with these seqs, in the order asked for; unknown seqs are left out. */
  bySeq(seqs: readonly number[]): StoredEvent[] {
    const found = new Map(this.bySeqs.all(JSON.stringify(seqs)).map((row) => [row.seq, toStored(row)]));
    return seqs.flatMap((seq) => found.get(seq) ?? []);
  }

  /** The event and its error declarations (oldest declaration first), or null when neither exists. */
  byEventId(eventId: string): EventWithDeclarations | null {
    const rows = this.byId.all({ eventId }).map(toStored);
    if (rows.length === 0) return null;
    return {
      event: rows.find((r) => !r.isDeclaration) ?? null,
      declarations: rows.filter((r) => r.isDeclaration),
    };
  }

  /** All stored rows, error declarations included. */
  countEvents(): number {
    return this.count.get()!.n;
  }

  /** The highest seq stored, 0 when empty. */
  maxSeq(): number {
    return this.max.get()!.seq ?? 0;
  }

  /**
   * Streams every event in seq order to `fn` in batches of up to `batchSize`, holding one batch in
   * memory. `fn` must be synchronous and must not write to this connection while the scan is open.
   */
  forEachStoredEvent(batchSize: number, fn: (batch: RebuildEvent[]) => void): number {
    if (!(batchSize >= 1)) throw new RangeError('batchSize must be at least 1');
    let batch: RebuildEvent[] = [];
    const total = groupRows(this.all.iterate(), (event) => {
      if (batch.length === batchSize) {
        fn(batch);
        batch = [];
      }
      batch.push(event);
    });
    if (batch.length > 0) fn(batch);
    return total;
  }
}

/**
 * Folds joined event/EPC rows (ordered by seq) into events, handing each to `emit` as soon as it
 * starts, so its EPCs are still being filled in; returns how many events there were.
 */
function groupRows(rows: Iterable<RebuildRow>, emit: (event: RebuildEvent) => void): number {
  let current: RebuildEvent | null = null;
  let total = 0;
  for (const row of rows) {
    if (current?.seq !== row.seq) {
      current = toRebuild(row);
      emit(current);
      total++;
    }
    if (row.epc !== null && row.role !== null)
      current.epcs.push(toEpcKey(row.epc, row.role, row.quantity, row.uom));
  }
  return total;
}

function toStored(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    eventId: row.event_id,
    hashId: row.hash_id,
    type: row.event_type,
    recordTimeMs: row.record_time_ms,
    isDeclaration: row.is_declaration === 1,
    declarationTimeMs: row.declaration_time_ms,
    captureId: row.capture_id,
    originSite: row.origin_site,
    contextJson: row.context_json,
    body: row.body,
  };
}

function toRebuild(row: RebuildRow): RebuildEvent {
  return { seq: row.seq, ...toStateEvent(row) };
}

function toEpcKey(epc: string, role: EpcRole, quantity: number | null, uom: string | null): EpcKey {
  return role === 'quantityList' || role.endsWith('QuantityList') ? [epc, role, quantity, uom] : [epc, role];
}
