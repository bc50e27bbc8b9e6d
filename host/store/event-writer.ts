// The one write path for events, used by capture and by the sync consumer. It writes an event's
// row, its identifier and link index rows and (for locally captured events) its outbox row. It
// never opens a transaction: the caller (GroupCommitter) owns it, so one commit covers many events.
import type { Database, Statement } from 'better-sqlite3';
import type { AcceptedEvent } from '../core/types.js';

export interface EventToStore {
  event: AcceptedEvent;
  /** The client's eventID, or hashId when it sent none. */
  eventId: string;
  /** The event's JSON text exactly as captured. */
  body: string;
  contextJson: string | null;
  recordTimeMs: number;
  captureId: string | null;
  originSite: string;
  /** Write an outbox row so the sync relay publishes the event. */
  enqueueForSync: boolean;
}

export type StoreOutcome =
  | { kind: 'stored'; seq: number }
  | { kind: 'duplicate'; existingSeq: number }
  | { kind: 'declaration-linked'; seq: number; declaredSeq: number | null };

/** The kinds of typed values stored in event_links. */
export type LinkKind =
  | 'bizTransaction'
  | 'source'
  | 'destination'
  | 'persistentDispositionSet'
  | 'persistentDispositionUnset'
  | 'correctiveEventID';

interface SeqRow {
  seq: number;
}

export class EventWriter {
  // ON CONFLICT DO NOTHING (not INSERT OR IGNORE) so that only the two uniqueness indexes turn a
  // row into a duplicate; a CHECK or NOT NULL violation still fails loudly.
  private readonly insertEvent: Statement;
  private readonly insertEpc: Statement;
  private readonly insertLink: Statement;
  private readonly insertOutbox: Statement;
  private readonly findEvent: Statement<[string], SeqRow>;
  private readonly findDeclaration: Statement<[string, number], SeqRow>;

  constructor(db: Database) {
    this.insertEvent = db.prepare(`INSERT INTO events (event_id, hash_id, event_type, action, event_time_ms,
        event_time_offset, record_time_ms, biz_step, disposition, read_point, biz_location, transformation_id,
        is_declaration, declaration_time_ms, error_reason, has_sensor_data, capture_id, origin_site,
        context_json, body)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`);
    this.insertEpc = db.prepare(
      'INSERT INTO event_epcs (seq, epc, role, quantity, uom) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertLink = db.prepare('INSERT INTO event_links (seq, kind, type, value) VALUES (?, ?, ?, ?)');
    this.insertOutbox = db.prepare('INSERT INTO outbox (seq, enqueued_ms) VALUES (?, ?)');
    this.findEvent = db.prepare<[string], SeqRow>(
      'SELECT seq FROM events WHERE event_id = ? AND is_declaration = 0',
    );
    this.findDeclaration = db.prepare<[string, number], SeqRow>(
      'SELECT seq FROM events WHERE event_id = ? AND is_declaration = 1 AND declaration_time_ms = ?',
    );
  }

  /** Must run inside a transaction; writes nothing for a duplicate. */
  write(item: EventToStore): StoreOutcome {
    const e = item.event;
    const declaration = e.errorDeclaration;
    const info = this.insertEvent.run(
      item.eventId,
      e.hashId,
      e.type,
      e.action,
      e.eventTimeMs,
      e.eventTimeZoneOffset,
      item.recordTimeMs,
      e.bizStep,
      e.disposition,
      e.readPoint,
      e.bizLocation,
      e.transformationId,
      declaration === null ? 0 : 1,
      declaration?.declarationTimeMs ?? null,
      declaration?.reason ?? null,
      e.hasSensorData ? 1 : 0,
      item.captureId,
      item.originSite,
      item.contextJson,
      item.body,
    );
    if (info.changes === 0) return { kind: 'duplicate', existingSeq: this.existingSeq(item) };

    const seq = Number(info.lastInsertRowid);
    for (const [epc, role, quantity, uom] of e.epcs) {
      this.insertEpc.run(seq, epc, role, quantity ?? null, uom ?? null);
    }
    this.typedLinks(seq, 'bizTransaction', e.bizTransactions);
    this.typedLinks(seq, 'source', e.sources);
    this.typedLinks(seq, 'destination', e.destinations);
    this.untypedLinks(seq, 'persistentDispositionSet', e.persistentDisposition.set);
    this.untypedLinks(seq, 'persistentDispositionUnset', e.persistentDisposition.unset);
    this.untypedLinks(seq, 'correctiveEventID', declaration?.correctiveEventIds ?? []);
    // The record time is the moment of capture, which is also when the event joins the outbox.
    if (item.enqueueForSync) this.insertOutbox.run(seq, item.recordTimeMs);

    if (declaration === null) return { kind: 'stored', seq };
    // The original may not be here yet (sync can deliver a declaration first); readers link the
    // two by event_id, so nothing has to be patched when it arrives.
    return { kind: 'declaration-linked', seq, declaredSeq: this.findEvent.get(item.eventId)?.seq ?? null };
  }

  private typedLinks(
    seq: number,
    kind: LinkKind,
    values: readonly (readonly [string | null, string])[],
  ): void {
    for (const [type, value] of values) this.insertLink.run(seq, kind, type, value);
  }

  private untypedLinks(seq: number, kind: LinkKind, values: readonly string[]): void {
    for (const value of values) this.insertLink.run(seq, kind, null, value);
  }

  private existingSeq(item: EventToStore): number {
    const declaration = item.event.errorDeclaration;
    const row =
      declaration === null
        ? this.findEvent.get(item.eventId)
        : this.findDeclaration.get(item.eventId, declaration.declarationTimeMs);
    if (row === undefined) throw new Error(`insert of ${item.eventId} conflicted but no stored row matches`);
    return row.seq;
  }
}
