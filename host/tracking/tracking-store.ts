// The stored-event reads the tracking API needs, all through indexes: events naming a set of
// identifiers (event_epcs_by_epc), participants of events by seq (event_epcs_by_seq), events of a
// transformation (events_by_transformation_id). Identifier and seq lists travel as one JSON
// parameter (json_each), so each statement is prepared once and serves any list length.
import type { Database, Statement } from 'better-sqlite3';
import type { EpcRole, StoredStateEvent } from '../core/types.js';
import { STATE_EVENT_COLUMNS, type StateEventRow, toStateEvent } from '../store/state-event-row.js';

/** One identifier an event names, with what the genealogy walk needs to know about the event. */
export interface EventMention {
  seq: number;
  epc: string;
  role: EpcRole;
  type: string;
  action: string | null;
  eventId: string;
  transformationId: string | null;
}

export interface Participant {
  seq: number;
  epc: string;
  role: EpcRole;
}

interface StateRow extends StateEventRow {
  epc: string | null;
  role: EpcRole | null;
}

interface EventFactsRow {
  seq: number;
  event_type: string;
  action: string | null;
  event_id: string;
  transformation_id: string | null;
}

/** Longest identifier or seq list bound to one statement run; longer lists are split. */
const LIST_CHUNK = 5000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < list.length; at += LIST_CHUNK) out.push(list.slice(at, at + LIST_CHUNK));
  return out;
}

export class TrackingStore {
  private readonly aboutUntil: Statement<[{ epcs: string; until: number }], StateRow>;
  private readonly neighbours: Statement<[{ epc: string; until: number }], { epc: string | null }>;
  private readonly mentions: Statement<[string, number, string], Participant>;
  private readonly eventFacts: Statement<[string], EventFactsRow>;
  private readonly participantRows: Statement<[number, number, string, number], { row: number; epc: string }>;
  private readonly parents: Statement<[string], { seq: number; epc: string | null }>;
  private readonly transformationEvents: Statement<[string, number], { seq: number }>;
  private readonly transformationEvent: Statement<
    [string],
    { event_id: string; transformation_id: string | null; seq: number }
  >;
  private readonly hasTransformation: Statement<[string, number], { found: number }>;
  private readonly mentioned: Statement<[string], { found: number }>;
  private readonly maxSeq: Statement<[], { seq: number | null }>;

  constructor(db: Database) {
    // Events naming any of the identifiers, up to an instant (declarations included: the core
    // ignores those itself), each with only the identifiers that can change the answer about the
    // ones asked for: those identifiers themselves and, for containment events, the parentID (the
    // container moved into) and the first child (so that a DELETE listing children still lists
    // some instead of reading as "remove all"). A transformation with 10,000 outputs thus costs
    // one row, not 10,000. The LIMIT 1 subqueries stop at the first matching row of an event.
    this.aboutUntil = db.prepare(`WITH
      mine AS (SELECT n.seq, n.rowid AS r, n.epc, n.role FROM event_epcs n
        WHERE n.epc IN (SELECT value FROM json_each(@epcs))),
      evs AS (SELECT DISTINCT e.seq, e.event_type FROM mine m JOIN events e ON e.seq = m.seq
        WHERE e.event_time_ms <= @until),
      picked AS (
        SELECT seq, r, epc, role FROM mine
        UNION
        SELECT p.seq, p.rowid, p.epc, p.role FROM evs v JOIN event_epcs p ON p.rowid =
          (SELECT rowid FROM event_epcs WHERE seq = v.seq AND role = 'parentID' LIMIT 1)
          WHERE v.event_type IN ('AggregationEvent', 'AssociationEvent')
        UNION
        SELECT c.seq, c.rowid, c.epc, c.role FROM evs v JOIN event_epcs c ON c.rowid =
          (SELECT rowid FROM event_epcs WHERE seq = v.seq AND role = 'childEPCs' LIMIT 1)
          WHERE v.event_type IN ('AggregationEvent', 'AssociationEvent'))
      SELECT ${STATE_EVENT_COLUMNS}, x.epc, x.role
      FROM evs v JOIN events e ON e.seq = v.seq JOIN picked x ON x.seq = v.seq
      ORDER BY e.seq, x.r`);
    // The EPCs sharing an aggregation or association event with one EPC up to an instant: the
    // children it held and the containers it was put into.
    this.neighbours = db.prepare(`SELECT c.epc AS epc FROM event_epcs x
        JOIN events e ON e.seq = x.seq JOIN event_epcs c ON c.seq = x.seq AND c.role = 'childEPCs'
        WHERE x.epc = @epc AND x.role = 'parentID' AND e.event_time_ms <= @until
          AND e.event_type IN ('AggregationEvent', 'AssociationEvent')
      UNION
      SELECT (SELECT p.epc FROM event_epcs p WHERE p.seq = x.seq AND p.role = 'parentID' LIMIT 1) AS epc
        FROM event_epcs x JOIN events e ON e.seq = x.seq
        WHERE x.epc = @epc AND x.role = 'childEPCs' AND e.event_time_ms <= @until
          AND e.event_type IN ('AggregationEvent', 'AssociationEvent')`);
    // Two steps: the mentions (one index probe each), then each distinct event's facts once; a
    // recall level of 10,000 items packed 100 to a case reads 100 event rows, not 10,000.
    this.mentions = db.prepare(`SELECT seq, epc, role FROM event_epcs
      WHERE epc IN (SELECT value FROM json_each(?)) AND seq <= ? AND role IN (SELECT value FROM json_each(?))`);
    this.eventFacts = db.prepare(`SELECT seq, event_type, action, event_id, transformation_id FROM events
      WHERE seq IN (SELECT value FROM json_each(?)) AND is_declaration = 0`);
    // One page of an event's participants in some roles, in row order (event_epcs_by_seq holds
    // (seq, rowid)): a transformation with 100,000 outputs is read a few thousand rows at a time.
    this.participantRows = db.prepare(`SELECT rowid AS row, epc FROM event_epcs
      WHERE seq = ? AND rowid > ? AND role IN (SELECT value FROM json_each(?))
      ORDER BY rowid LIMIT ?`);
    // An aggregation lists its parentID before its children, so LIMIT 1 stops at the first row of
    // the event even when it has 100,000 children.
    this.parents = db.prepare(`SELECT s.value AS seq,
        (SELECT epc FROM event_epcs WHERE seq = s.value AND role = 'parentID' LIMIT 1) AS epc
      FROM json_each(?) s`);
    this.transformationEvents = db.prepare(`SELECT seq FROM events
      WHERE transformation_id = ? AND seq <= ? AND event_type = 'TransformationEvent' AND is_declaration = 0
      ORDER BY seq`);
    this.transformationEvent = db.prepare(`SELECT event_id, transformation_id, seq FROM events
      WHERE event_id = ? AND is_declaration = 0 AND event_type = 'TransformationEvent'`);
    this.hasTransformation = db.prepare(`SELECT 1 AS found FROM events
      WHERE transformation_id = ? AND seq <= ? AND event_type = 'TransformationEvent' AND is_declaration = 0 LIMIT 1`);
    this.mentioned = db.prepare('SELECT 1 AS found FROM event_epcs WHERE epc = ? LIMIT 1');
    this.maxSeq = db.prepare('SELECT max(seq) AS seq FROM events');
  }

  /** The highest seq stored now (0 when empty): the snapshot a paginated trace stays on. */
  headSeq(): number {
    return this.maxSeq.get()!.seq ?? 0;
  }

  /** Whether any stored event names the identifier. */
  isMentioned(epc: string): boolean {
    return this.mentioned.get(epc) !== undefined;
  }

  /** EPCs named with `epc` in aggregation or association events up to `untilMs` (either side). */
  containmentNeighbours(epc: string, untilMs: number): string[] {
    return this.neighbours
      .all({ epc, until: untilMs })
      .flatMap((row) => (row.epc === null || row.epc === epc ? [] : [row.epc]));
  }

  /**
   * Stored events naming any of `epcs` with eventTime at or before `untilMs`, as the core replays
   * them, each with the identifiers that matter for `epcs` (see the statement).
   */
  eventsAbout(epcs: readonly string[], untilMs: number): StoredStateEvent[] {
    const bySeq = new Map<number, { event: StoredStateEvent; keys: Set<string> }>();
    for (const list of chunks(epcs)) {
      for (const row of this.aboutUntil.iterate({ epcs: JSON.stringify(list), until: untilMs })) {
        let found = bySeq.get(row.seq);
        if (found === undefined) {
          found = { event: toStateEvent(row), keys: new Set() };
          bySeq.set(row.seq, found);
        }
        // Another chunk of a long list may pick the same parent or first child again.
        const key = `${row.role}\u0000${row.epc}`;
        if (row.epc === null || row.role === null || found.keys.has(key)) continue;
        found.keys.add(key);
        found.event.epcs.push([row.epc, row.role]);
      }
    }
    return [...bySeq.values()].map((found) => found.event);
  }

  /** Where the identifiers are named with one of `roles`, in events stored up to `seq` (no declarations). */
  mentionsOf(epcs: readonly string[], roles: readonly EpcRole[], seq: number): EventMention[] {
    const roleList = JSON.stringify(roles);
    const found = chunks(epcs).flatMap((list) => this.mentions.all(JSON.stringify(list), seq, roleList));
    const facts = new Map<number, EventFactsRow>();
    for (const list of chunks([...new Set(found.map((m) => m.seq))]))
      for (const row of this.eventFacts.iterate(JSON.stringify(list))) facts.set(row.seq, row);
    return found.flatMap((m) => {
      const event = facts.get(m.seq);
      if (event === undefined) return [];
      return [
        {
          seq: m.seq,
          epc: m.epc,
          role: m.role,
          type: event.event_type,
          action: event.action,
          eventId: event.event_id,
          transformationId: event.transformation_id,
        },
      ];
    });
  }

  /** Up to `limit` identifiers event `seq` names with one of `roles`, after row `afterRow`. */
  participantPage(
    seq: number,
    roles: readonly EpcRole[],
    afterRow: number,
    limit: number,
  ): { row: number; epc: string }[] {
    return this.participantRows.all(seq, afterRow, JSON.stringify(roles), limit);
  }

  /** The parentID of each event (events without one are left out). */
  parentsOf(seqs: readonly number[]): Map<number, string> {
    const out = new Map<number, string>();
    for (const list of chunks(seqs)) {
      for (const row of this.parents.iterate(JSON.stringify(list)))
        if (row.epc !== null) out.set(row.seq, row.epc);
    }
    return out;
  }

  /** The TransformationEvents stored up to `seq` that share this transformationID. */
  transformationSeqs(transformationId: string, seq: number): number[] {
    return this.transformationEvents.all(transformationId, seq).map((row) => row.seq);
  }

  /** Whether a TransformationEvent stored up to `seq` carries this transformationID. */
  isTransformation(transformationId: string, seq: number): boolean {
    return this.hasTransformation.get(transformationId, seq) !== undefined;
  }

  /** The TransformationEvent with this eventID: its seq and transformationID. */
  transformationEventById(eventId: string): { seq: number; transformationId: string | null } | null {
    const row = this.transformationEvent.get(eventId);
    return row === undefined ? null : { seq: row.seq, transformationId: row.transformation_id };
  }
}
