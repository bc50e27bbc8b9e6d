// Named queries in SQLite. The stored text is the body the client sent, parsed again each time it is
// used, so an improved parser applies to old definitions too and nothing derived can go stale.
// Writes go through the write queue (host/store/write-queue.ts), so they never wait on SQLite's lock.
import type { Database, Statement } from 'better-sqlite3';
import type { WriteQueue } from '../store/write-queue.js';

export interface NamedQuery {
  name: string;
  /** The `query` member of the POST /queries body, as JSON text. */
  queryJson: string;
  createdMs: number;
}

interface Row {
  name: string;
  query_json: string;
  created_ms: number;
}

// URL-unreserved characters only: the name is a path segment (/queries/{name}/events) and goes into
// Location and Link headers unescaped.
const NAME = /^[A-Za-z0-9._~-]{1,128}$/;

export function nameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'name must be a string, like "dockArrivals".';
  if (!NAME.test(name)) {
    return 'name must be 1 to 128 letters, digits, ".", "_", "~" or "-", so that it can be used in /queries/{name} as it is.';
  }
  return null;
}

const fromRow = (row: Row): NamedQuery => ({
  name: row.name,
  queryJson: row.query_json,
  createdMs: row.created_ms,
});

export class NamedQueryStore {
  private readonly insert: Statement<[string, string, number]>;
  private readonly byName: Statement<[string], Row>;
  private readonly page: Statement<[string, number], Row>;
  private readonly remove: Statement<[string]>;

  constructor(
    db: Database,
    private readonly writes: WriteQueue,
  ) {
    this.insert = db.prepare(
      'INSERT INTO named_queries (name, query_json, created_ms) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
    );
    this.byName = db.prepare('SELECT name, query_json, created_ms FROM named_queries WHERE name = ?');
    this.page = db.prepare(
      'SELECT name, query_json, created_ms FROM named_queries WHERE name > ? ORDER BY name LIMIT ?',
    );
    this.remove = db.prepare('DELETE FROM named_queries WHERE name = ?');
  }

  /** Stores a new named query; resolves once committed, with false when the name is taken. */
  create(query: NamedQuery): Promise<boolean> {
    return this.writes.write(
      () => this.insert.run(query.name, query.queryJson, query.createdMs).changes === 1,
    );
  }

  get(name: string): NamedQuery | null {
    const row = this.byName.get(name);
    return row === undefined ? null : fromRow(row);
  }

  /** Up to `limit` queries after `afterName`, by name. */
  list(afterName: string, limit: number): NamedQuery[] {
    return this.page.all(afterName, limit).map(fromRow);
  }

  /** Deletes the query and (ON DELETE CASCADE) its subscriptions in one commit; false when unknown. */
  delete(name: string): Promise<boolean> {
    return this.writes.write(() => this.remove.run(name).changes === 1);
  }
}
