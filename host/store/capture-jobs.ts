// Capture job rows, returned in the shape of the EPCIS 2.0 CaptureJob (openapi.yaml
// components/schemas/CaptureJob). Writes are single statements, meant to run inside a GroupCommitter
// request (beforeCommit, to commit with the events they cover) or its write(): on the main thread a
// statement run on its own would wait on SQLite's lock whenever the ingest worker holds it.
import type { Database, Statement } from 'better-sqlite3';

/** An RFC 7807 problem object as listed in a capture job's errors. */
export interface ProblemDetails {
  type: string;
  title: string;
  status?: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export type CaptureErrorBehaviour = 'rollback' | 'proceed';

export interface CaptureJob {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: CaptureErrorBehaviour;
  errors: ProblemDetails[];
}

export interface CaptureJobRecord {
  job: CaptureJob;
  eventCount: number;
  storedCount: number;
}

export interface NewCaptureJob {
  captureId: string;
  createdMs: number;
  errorBehaviour: CaptureErrorBehaviour;
  eventCount: number;
}

/** Only the given fields change; a finished job cannot become unfinished. */
export interface CaptureJobUpdate {
  running?: boolean;
  success?: boolean;
  finishedMs?: number;
  storedCount?: number;
  errors?: ProblemDetails[];
}

export interface CaptureJobPage {
  jobs: CaptureJobRecord[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

interface JobRow {
  capture_id: string;
  created_ms: number;
  finished_ms: number | null;
  running: number;
  success: number;
  error_behaviour: CaptureErrorBehaviour;
  event_count: number;
  stored_count: number;
  errors_json: string;
}

type Bind = Record<string, string | number | null>;

export class CaptureJobs {
  private readonly insert: Statement<[Bind]>;
  private readonly patch: Statement<[Bind]>;
  private readonly one: Statement<[string], JobRow>;
  private readonly newest: Statement<[number], JobRow>;
  private readonly older: Statement<[number, string, number], JobRow>;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO capture_jobs
        (capture_id, created_ms, running, success, error_behaviour, event_count)
      VALUES (@captureId, @createdMs, 1, 1, @errorBehaviour, @eventCount)`);
    this.patch = db.prepare(`UPDATE capture_jobs SET
        running      = coalesce(@running, running),
        success      = coalesce(@success, success),
        finished_ms  = coalesce(@finishedMs, finished_ms),
        stored_count = coalesce(@storedCount, stored_count),
        errors_json  = coalesce(@errorsJson, errors_json)
      WHERE capture_id = @captureId`);
    this.one = db.prepare('SELECT * FROM capture_jobs WHERE capture_id = ?');
    this.newest = db.prepare('SELECT * FROM capture_jobs ORDER BY created_ms DESC, capture_id DESC LIMIT ?');
    this.older = db.prepare(`SELECT * FROM capture_jobs WHERE (created_ms, capture_id) < (?, ?)
      ORDER BY created_ms DESC, capture_id DESC LIMIT ?`);
  }

  /** A new job starts running and successful (EPCIS: "still capturing, no errors so far"). */
  create(job: NewCaptureJob): void {
    this.insert.run({ ...job });
  }

  /** Returns false when no job has that ID. */
  update(captureId: string, changes: CaptureJobUpdate): boolean {
    const flag = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);
    const info = this.patch.run({
      captureId,
      running: flag(changes.running),
      success: flag(changes.success),
      finishedMs: changes.finishedMs ?? null,
      storedCount: changes.storedCount ?? null,
      errorsJson: changes.errors === undefined ? null : JSON.stringify(changes.errors),
    });
    return info.changes > 0;
  }

  get(captureId: string): CaptureJobRecord | null {
    const row = this.one.get(captureId);
    return row === undefined ? null : toRecord(row);
  }

  /** Newest first. The cursor is opaque to callers; a malformed one is a RangeError. */
  list(options: { limit: number; cursor?: string | null }): CaptureJobPage {
    const limit = Math.max(1, Math.floor(options.limit));
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    // One extra row tells whether another page exists without a COUNT.
    const rows =
      after === null
        ? this.newest.all(limit + 1)
        : this.older.all(after.createdMs, after.captureId, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      jobs: page.map(toRecord),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_ms, last.capture_id) : null,
    };
  }
}

function toRecord(row: JobRow): CaptureJobRecord {
  const job: CaptureJob = {
    captureID: row.capture_id,
    createdAt: new Date(row.created_ms).toISOString(),
    running: row.running === 1,
    success: row.success === 1,
    captureErrorBehaviour: row.error_behaviour,
    errors: JSON.parse(row.errors_json) as ProblemDetails[],
  };
  if (row.finished_ms !== null) job.finishedAt = new Date(row.finished_ms).toISOString();
  return { job, eventCount: row.event_count, storedCount: row.stored_count };
}

function encodeCursor(createdMs: number, captureId: string): string {
  return Buffer.from(JSON.stringify([createdMs, captureId])).toString('base64url');
}

function decodeCursor(cursor: string): { createdMs: number; captureId: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return { createdMs: value[0], captureId: value[1] };
    }
  } catch {
    // fall through to the RangeError below: a cursor that is not JSON is as bad as a wrong shape
  }
  throw new RangeError('malformed capture job cursor');
}
