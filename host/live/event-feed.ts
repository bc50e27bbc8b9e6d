// The live feed: every stored event that matches a query, after a cursor, in arrival order, each
// exactly once, and then each new one as it commits. GET /events/stream, stream subscriptions and
// the console read it.
//
// Subscribers with the same query (and batch size) form a group that runs one SQL read per fan-out
// tick and hands the same rows to each of them. Ticks follow commits, spaced by what they cost
// (fan-out-pacer.ts), so a tick covers every commit since the last one: each event is rendered once
// and each subscriber gets one write per tick, however many commits it held. A subscriber whose onBatch returned a promise leaves the
// group until it settles, so a slow one never holds the others back; if the group moved on meanwhile
// it catches up with reads of its own, and rejoins once it reaches the group's position. Reads are
// synchronous (better-sqlite3) and see only committed rows, so a cursor covers exactly the events
// at or below it.
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';
import type { EventQuery, StoredEventRow } from '../query/event-query.js';
import { liveQuery, liveQueryKey, readFeedBatch, type FeedBatch } from './feed-batch.js';
import { StorePosition } from './store-position.js';
import { RecentRows } from './recent-rows.js';
import { TurnSlicer } from '../event-loop/turn-slicer.js';
import { FanOutPacer } from './fan-out-pacer.js';

export type BatchHandler = (rows: StoredEventRow[], lastSeq: number) => void | Promise<void>;

/** Why the feed itself ended a subscription. */
export type FeedEndReason = 'feed-closed' | 'query-failed' | 'consumer-failed';

export interface SubscribeOptions {
  /** Most events per onBatch call (default 1000); the feed's batchBytes bounds their bytes too. */
  batchLimit?: number;
  /** Called once when the feed ends the subscription; never after the subscriber's own close(). */
  onEnd?: (reason: FeedEndReason, error?: unknown) => void;
}

/**
 * What every catch-up read shares: the loop turns (take() before each read, turn-slicer.ts) and the
 * rows read recently (share() the rows read, recent-rows.ts).
 */
export interface CatchUpShare {
  take(): Promise<void>;
  share(rows: StoredEventRow[]): StoredEventRow[];
}

export interface FeedSubscription {
  close(): void;
}

export interface EventFeedDeps {
  db: Database;
  logger: Logger;
  metrics?: Metrics['live'];
  /** Most event bytes per read and onBatch call, beyond the first event (LIVE_BATCH_BYTES); unset: no byte bound. */
  batchBytes?: number;
}

export const DEFAULT_BATCH_LIMIT = 1000;
// Rows kept for catch-ups to share (recent-rows.ts); their frames live as long as they are kept.
const RECENT_ROWS_BYTES = 4 * 1024 * 1024;
const MAX_BATCH_LIMIT = 10_000;

interface Member {
  readonly group: Group;
  /** Every matching event with seq ≤ cursor has been handed over (or came before the start). */
  cursor: number;
  closed: boolean;
  readonly onBatch: BatchHandler;
  readonly onEnd: SubscribeOptions['onEnd'];
}

interface Group {
  readonly key: string;
  readonly query: EventQuery;
  readonly limit: number;
  readonly members: Set<Member>;
  /** Members caught up to `position`, fed by the group's shared reads. */
  readonly attached: Set<Member>;
  /** Where the group's next read starts; every attached member's cursor is at or past it. */
  position: number;
  /** The commit generation the group's last complete read saw. */
  generation: number;
  running: boolean;
  again: boolean;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class EventFeed {
  private readonly db: Database;
  private readonly logger: Logger;
  private readonly metrics: Metrics['live'] | undefined;
  private readonly position: StorePosition;
  private readonly batchBytes: number;
  private readonly turns = new TurnSlicer();
  private readonly recentRows: RecentRows;
  /** What catch-ups share; WebSocket subscriptions catching up on their own use it too. */
  readonly catchUpShare: CatchUpShare = {
    take: () => this.turns.take(),
    share: (rows) => this.recentRows.share(rows),
  };
  private readonly groups = new Map<string, Group>();
  /** Counts notifyCommitted() calls, so a group knows whether it missed a commit. */
  private generation = 0;
  private readonly pacer = new FanOutPacer(() => this.fanOut());
  /** When the first commit not yet fanned out was reported; null when every commit was. */
  private notifiedAt: number | null = null;
  private closed = false;

  constructor(deps: EventFeedDeps) {
    this.db = deps.db;
    this.logger = deps.logger;
    this.metrics = deps.metrics;
    this.position = new StorePosition(deps.db);
    this.batchBytes = deps.batchBytes ?? Number.POSITIVE_INFINITY;
    this.recentRows = new RecentRows(RECENT_ROWS_BYTES);
  }

  /** Call after every commit that stored events; the next fan-out tick reads what it stored. */
  notifyCommitted(): void {
    if (this.closed) return;
    this.generation++;
    this.notifiedAt ??= performance.now();
    this.pacer.request();
  }

  headSeq(): number {
    return this.position.headSeq();
  }

  seqAtRecordTime(ms: number): number {
    return this.position.seqAtRecordTime(ms);
  }

  /**
   * Delivers every stored event with seq > afterSeq that matches `query`, in seq order, each once,
   * then follows new commits. The next batch waits until the promise onBatch returned settles. Rows
   * are shared between the subscribers of one query: do not change them.
   */
  subscribe(
    query: EventQuery,
    afterSeq: number,
    onBatch: BatchHandler,
    options: SubscribeOptions = {},
  ): FeedSubscription {
    if (this.closed) throw new Error('the live feed is closed');
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) {
      throw new RangeError(`afterSeq must be a non-negative integer; got ${afterSeq}`);
    }
    const limit = options.batchLimit ?? DEFAULT_BATCH_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH_LIMIT) {
      throw new RangeError(`batchLimit must be a whole number from 1 to ${MAX_BATCH_LIMIT}; got ${limit}`);
    }
    const group = this.groupFor(liveQuery(query), limit);
    const member: Member = { group, cursor: afterSeq, closed: false, onBatch, onEnd: options.onEnd };
    group.members.add(member);
    this.metrics?.subscribers.inc();
    // Never delivers inside subscribe(): the caller gets its subscription first.
    setImmediate(() => void this.catchUp(member));
    return { close: () => this.drop(member) };
  }

  /** Ends every subscription (their onEnd gets 'feed-closed') and ignores later commits. */
  close(): void {
    this.closed = true;
    this.pacer.cancel();
    for (const group of [...this.groups.values()]) {
      for (const member of [...group.members]) this.end(member, 'feed-closed');
    }
  }

  private groupFor(query: EventQuery, limit: number): Group {
    const key = liveQueryKey(query, limit);
    let group = this.groups.get(key);
    if (group === undefined) {
      group = {
        key,
        query,
        limit,
        members: new Set(),
        attached: new Set(),
        position: this.headSeq(),
        generation: this.generation,
        running: false,
        again: false,
      };
      this.groups.set(key, group);
    }
    return group;
  }

  private read(group: Group, after: number, kind: 'shared' | 'catch-up', head = this.headSeq()): FeedBatch {
    this.metrics?.queryRuns.inc({ kind });
    const batch = readFeedBatch(this.db, group.query, after, group.limit, head, this.batchBytes);
    return kind === 'catch-up' ? { ...batch, rows: this.recentRows.share(batch.rows) } : batch;
  }

  /** One tick: each group that missed a commit reads once for its attached members. */
  private fanOut(): void {
    for (const group of [...this.groups.values()]) {
      if (group.generation !== this.generation) void this.runGroup(group);
    }
    if (this.notifiedAt !== null) {
      this.metrics?.fanOutDelay.observe((performance.now() - this.notifiedAt) / 1000);
      this.notifiedAt = null;
    }
  }

  /** One read for all attached members; at most one run in flight, plus one rerun. */
  private async runGroup(group: Group): Promise<void> {
    if (group.running) {
      group.again = true;
      return;
    }
    group.running = true;
    try {
      do {
        group.again = false;
        if (group.attached.size === 0 || this.closed) break;
        const generation = this.generation;
        let batch: FeedBatch;
        try {
          const head = this.headSeq();
          // Rows at or below every attached cursor would be dropped by all of them: start past them
          // (but never past the head, or members starting at the head could not reach the position).
          let lowest = head;
          for (const member of group.attached) lowest = Math.min(lowest, member.cursor);
          group.position = Math.max(group.position, lowest);
          batch = this.read(group, group.position, 'shared', head);
        } catch (error) {
          for (const member of [...group.attached]) this.end(member, 'query-failed', error);
          break;
        }
        group.position = batch.through;
        if (!batch.more) group.generation = generation;
        if (batch.rows.length > 0) {
          for (const member of [...group.attached]) this.handAttached(member, batch);
        }
        if (batch.more) {
          group.again = true;
          // A backlog is read one batch per turn, so requests and other groups get their share.
          await nextTurn();
        }
      } while (group.again);
    } finally {
      group.running = false;
    }
  }

  private handAttached(member: Member, batch: FeedBatch): void {
    const pending = this.hand(member, batch);
    if (pending === undefined) return;
    member.group.attached.delete(member);
    pending.then(
      () => void this.catchUp(member),
      (error: unknown) => this.end(member, 'consumer-failed', error),
    );
  }

  /** Reads on its own until the member reaches its group's position, then attaches it. */
  private async catchUp(member: Member): Promise<void> {
    const group = member.group;
    while (!member.closed) {
      if (member.cursor >= group.position) {
        group.attached.add(member);
        // The group skips commits while nobody is attached; then its position is stale. The next
        // tick reads for it, with the others that rejoined meanwhile (a subscriber whose write filled
        // its socket's buffer rejoins once it drained, usually within the same loop turn).
        if (group.generation !== this.generation) this.pacer.request();
        return;
      }
      // Many members catching up at once share each loop turn's time instead of taking a batch each.
      await this.turns.take();
      if (member.closed || member.cursor >= group.position) continue;
      let batch: FeedBatch;
      try {
        batch = this.read(group, member.cursor, 'catch-up');
      } catch (error) {
        this.end(member, 'query-failed', error);
        return;
      }
      const pending = this.hand(member, batch);
      if (pending !== undefined) {
        try {
          await pending;
        } catch (error) {
          this.end(member, 'consumer-failed', error);
          return;
        }
      } else if (batch.more) {
        await nextTurn();
      }
    }
  }

  /** Hands the rows after the member's cursor to it; the promise onBatch returned, if any. */
  private hand(member: Member, batch: FeedBatch): Promise<void> | undefined {
    if (member.closed) return undefined;
    const first = batch.rows[0];
    const rows =
      first === undefined || first.seq > member.cursor
        ? batch.rows
        : batch.rows.filter((row) => row.seq > member.cursor);
    member.cursor = Math.max(member.cursor, batch.through);
    if (rows.length === 0) return undefined;
    this.metrics?.deliveredEvents.inc(rows.length);
    try {
      const result = member.onBatch(rows, member.cursor);
      return result instanceof Promise ? result : undefined;
    } catch (error) {
      this.end(member, 'consumer-failed', error);
      return undefined;
    }
  }

  private end(member: Member, reason: FeedEndReason, error?: unknown): void {
    if (member.closed) return;
    this.drop(member);
    if (reason !== 'feed-closed') {
      this.logger.warn({ err: error, reason, cursor: member.cursor }, 'live feed ended a subscription');
    }
    try {
      member.onEnd?.(reason, error);
    } catch (failure) {
      this.logger.error({ err: failure }, 'a live feed onEnd callback threw');
    }
  }

  private drop(member: Member): void {
    if (member.closed) return;
    member.closed = true;
    const group = member.group;
    group.members.delete(member);
    group.attached.delete(member);
    if (group.members.size === 0 && this.groups.get(group.key) === group) this.groups.delete(group.key);
    this.metrics?.subscribers.dec();
  }
}
