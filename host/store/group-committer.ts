// Group commit: every write request submitted in the same event-loop turn shares one SQLite
// transaction, so throughput is bounded by one fsync per group rather than one per request. Each
// request runs in its own savepoint, so a request that fails rolls back only its own rows; a
// storage failure (disk full, I/O error, lost transaction) fails the whole group and leaves nothing.
// Promises settle only after COMMIT, so callers may answer clients and update in-memory indexes.
import { performance } from 'node:perf_hooks';
import type { Database } from 'better-sqlite3';
import { DuplicateEventError, StoreClosedError, StoreUnavailableError } from './errors.js';
import type { EventToStore, EventWriter, StoreOutcome } from './event-writer.js';
import { isStorageFailure, sqliteCode } from './storage-failure.js';
import type { WriteQueue } from './write-queue.js';

export interface WriteRequest {
  events: EventToStore[];
  /**
   * 'all-or-nothing' rejects the request on any duplicate; 'each' reports duplicates as outcomes.
   * In both modes any other error (a failing statement, a throwing beforeCommit) rejects the whole
   * request: StoreOutcome has no per-event failure, and such an error is a bug, not a property of
   * one event.
   */
  mode: 'all-or-nothing' | 'each';
  /** Runs inside the request's savepoint after its events are written, e.g. to write the capture job row. */
  beforeCommit?: (outcomes: StoreOutcome[]) => void;
}

export interface CommitInfo {
  /** submit() requests in the committed group, including those whose savepoint was rolled back. */
  requests: number;
  events: number;
  durationMs: number;
}

export interface GroupCommitterOptions {
  /** A group closes once it holds this many events (a single larger request still goes alone). */
  maxBatchEvents: number;
  /** Called after each successful COMMIT that held a submit() request (for metrics and event feeds). */
  onCommit?: (info: CommitInfo) => void;
}

interface Pending {
  request: WriteRequest;
  resolve: (outcomes: StoreOutcome[]) => void;
  reject: (error: unknown) => void;
  /** false for write(): it stores no events, so onCommit (metrics, live feed, relay) need not hear of it. */
  reported: boolean;
  result?: { ok: true; outcomes: StoreOutcome[] } | { ok: false; error: unknown };
}

export class GroupCommitter implements WriteQueue {
  private queue: Pending[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private flushing = false;
  private closed = false;
  /** Set while another connection writes (runExclusive): groups wait so SQLite never blocks this thread. */
  private held: Promise<void> | null = null;
  private readonly runGroup: (group: Pending[]) => void;
  private readonly runRequest: (request: WriteRequest) => StoreOutcome[];

  constructor(
    private readonly db: Database,
    private readonly writer: EventWriter,
    private readonly options: GroupCommitterOptions,
  ) {
    if (!(options.maxBatchEvents >= 1)) throw new RangeError('maxBatchEvents must be at least 1');
    // Called inside runGroup's transaction, better-sqlite3 runs this one as SAVEPOINT … RELEASE and
    // rolls back to the savepoint when it throws.
    this.runRequest = db.transaction((request: WriteRequest) => this.writeRequest(request));
    this.runGroup = db.transaction((group: Pending[]) => {
      for (const pending of group) this.runInGroup(pending);
    }).immediate;
  }

  submit(request: WriteRequest): Promise<StoreOutcome[]> {
    return this.enqueue(request, true);
  }

  write<T>(statements: () => T): Promise<T> {
    let value: T;
    const request: WriteRequest = {
      events: [],
      mode: 'each',
      beforeCommit: () => {
        value = statements();
      },
    };
    return this.enqueue(request, false).then(() => value);
  }

  /**
   * Commits everything queued so far, synchronously, in as many groups as maxBatchEvents allows;
   * while runExclusive holds the store, what is queued commits right after it instead.
   */
  flushNow(): void {
    if (this.held !== null) return;
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
    while (this.queue.length > 0 && !this.flushing) this.flushGroup();
  }

  /**
   * Runs a write that another connection makes (the ingest worker's transaction for a large
   * document) while no group of this committer runs: a group started meanwhile would wait on
   * SQLite's write lock with busy_timeout, blocking this thread for as long as the other write takes.
   * Groups queued in the meantime commit right after; onCommit reports the other write too.
   */
  async runExclusive<T>(write: () => Promise<{ value: T; info: CommitInfo }>): Promise<T> {
    if (this.closed) throw new StoreClosedError();
    while (this.held !== null) await this.held;
    // Held before write() starts: its synchronous part may already submit or flush.
    let release = () => {};
    this.held = new Promise<void>((resolve) => (release = resolve));
    try {
      const { value, info } = await write();
      this.options.onCommit?.(info);
      return value;
    } finally {
      this.held = null;
      release();
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** Commits what is queued and refuses further writes. The database itself stays open: its owner closes it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.held;
    this.flushNow();
  }

  private enqueue(request: WriteRequest, reported: boolean): Promise<StoreOutcome[]> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject, reported });
      this.schedule();
    });
  }

  // One group per turn, so a backlog split by maxBatchEvents lets I/O in between groups. Not
  // unref()ed: a pending write must keep the process alive until it is committed.
  private schedule(): void {
    if (this.held !== null) return;
    this.scheduled ??= setImmediate(() => {
      this.scheduled = null;
      if (this.held !== null) return;
      this.flushGroup();
      if (this.queue.length > 0) this.schedule();
    });
  }

  private flushGroup(): void {
    // A beforeCommit hook that calls flushNow() re-enters here; what it queued waits for the next group.
    if (this.flushing) return;
    this.flushing = true;
    const group = this.takeGroup();
    const started = performance.now();
    try {
      this.runGroup(group);
    } catch (error) {
      const message = `the write group was rolled back: ${describe(error)}`;
      const failure = new StoreUnavailableError(sqliteCode(error), message, { cause: error });
      for (const pending of group) pending.reject(failure);
      // better-sqlite3 rolls back on a throw; this only matters if that ROLLBACK itself failed.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      return;
    } finally {
      this.flushing = false;
    }
    for (const { result, resolve, reject } of group) {
      if (result?.ok === false) reject(result.error);
      else resolve(result?.outcomes ?? []);
    }
    const reported = group.filter((p) => p.reported);
    if (reported.length === 0) return;
    const events = reported.reduce((sum, p) => sum + p.request.events.length, 0);
    this.options.onCommit?.({ requests: reported.length, events, durationMs: performance.now() - started });
  }

  private takeGroup(): Pending[] {
    let events = 0;
    let count = 0;
    while (count < this.queue.length) {
      const size = this.queue[count]!.request.events.length;
      if (count > 0 && events + size > this.options.maxBatchEvents) break;
      events += size;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private runInGroup(pending: Pending): void {
    try {
      pending.result = { ok: true, outcomes: this.runRequest(pending.request) };
    } catch (error) {
      // After these, SQLite may already have rolled the whole transaction back; abort the group.
      if (isStorageFailure(error) || !this.db.inTransaction) throw error;
      pending.result = { ok: false, error };
    }
  }

  private writeRequest(request: WriteRequest): StoreOutcome[] {
    const outcomes = request.events.map((item) => this.writer.write(item));
    if (request.mode === 'all-or-nothing') {
      const duplicates = request.events
        .filter((_, i) => outcomes[i]!.kind === 'duplicate')
        .map((e) => e.eventId);
      if (duplicates.length > 0) throw new DuplicateEventError(duplicates);
    }
    request.beforeCommit?.(outcomes);
    return outcomes;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
