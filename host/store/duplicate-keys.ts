// The duplicate keys of the stored events, as the store's unique indexes define them (migration
// 001: event_id, or event_id + declaration time for an error declaration) and as tracker-server.wasm
// spells them (assembly/server/capture/journal-record.ts duplicateKey: "<eventID>\n<ms>"), read in
// pages by seq so that a snapshot's key set is built without holding the event loop.
import type { Database, Statement } from 'better-sqlite3';

interface KeyRow {
  seq: number;
  event_id: string;
  is_declaration: number;
  declaration_time_ms: number | null;
}

export interface DuplicateKeyPage {
  keys: string[];
  /** The seq to continue after, or null after the last page. */
  next: number | null;
  /** The seq of the last key read (`after` when the page is empty): where a later read resumes. */
  lastSeq: number;
}

export class DuplicateKeyReader {
  private readonly page: Statement<[number, number], KeyRow>;

  constructor(db: Database) {
    this.page = db.prepare(
      'SELECT seq, event_id, is_declaration, declaration_time_ms FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    );
  }

  /** Up to `limit` keys of the events after seq `after` (0 to start). */
  read(after: number, limit: number): DuplicateKeyPage {
    const rows = this.page.all(after, limit);
    const keys = rows.map((row) =>
      row.is_declaration === 1 ? `${row.event_id}\n${row.declaration_time_ms ?? 0}` : row.event_id,
    );
    const lastSeq = rows.at(-1)?.seq ?? after;
    return { keys, next: rows.length < limit ? null : lastSeq, lastSeq };
  }
}
