// The sidecar's journal tail: carries tracker-server.wasm's journal into SQLite through the one
// ingest path, in seq order, as this site's captures (they enter the outbox) with the record's
// eventID, record time and capture id. Each batch of records is one write request whose
// transaction also moves the stored position, so a crash resumes exactly after the last durable
// record; a record stored before (a journal tailed again) is a duplicate by event ID, skipped.
import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { IngestPipeline } from '../ingest/ingest-pipeline.js';
import type { Metrics } from '../metrics/metrics.js';
import { StoreClosedError } from '../store/errors.js';
import { type CursorRecord, JournalCursor } from './journal-cursor.js';
import { decodeJournalEntry } from './journal-entry.js';
import type { JournalPositionStore } from './journal-position.js';
import type { SeqWaiter } from './seq-waiter.js';

export const JOURNAL_FILE = 'journal.log';
/** Records per write request: one group commit, bounded so a long backlog still yields often. */
const BATCH_RECORDS = 1000;
const RETRY_DELAY_MS = 1000;

export interface JournalTailOptions {
  dataDir: string;
  siteId: string;
  ingest: IngestPipeline;
  positions: JournalPositionStore;
  waiter: SeqWaiter;
  metrics: Metrics['journal'];
  logger: Logger;
  pollIntervalMs: number;
}

export class JournalTail {
  private cursor: JournalCursor | null = null;
  private watcher: FSWatcher | null = null;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;
  private storedSeq = 0;
  private storedOffset = 0;
  private lastSeenSeq = 0;
  /** The first record read has been checked against the stored position. */
  private verified = false;

  constructor(private readonly options: JournalTailOptions) {}

  start(): void {
    const { positions, waiter, dataDir } = this.options;
    const position = positions.load();
    this.storedSeq = this.lastSeenSeq = position.storedSeq;
    this.storedOffset = position.offsetBytes;
    waiter.advance(position.storedSeq);
    this.cursor = new JournalCursor(join(dataDir, JOURNAL_FILE), position.offsetBytes);
    try {
      this.watcher = watch(dataDir, () => this.wake?.());
      this.watcher.on('error', () => this.watcher?.close());
      this.watcher.unref();
    } catch {
      // Polling alone still finds every record, a poll interval later.
      this.watcher = null;
    }
    this.running = this.loop();
  }

  /** Lets the write request in flight commit, then stops reading. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.wake?.();
    await this.running;
    this.options.waiter.releaseAll();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let more = false;
      try {
        more = await this.step();
      } catch (error) {
        if (error instanceof StoreClosedError) return;
        this.options.logger.error(
          { error: error instanceof Error ? error.message : String(error), storedSeq: this.storedSeq },
          'the journal tail cannot store the next records; retrying',
        );
        this.cursor!.rewind(this.storedOffset);
        await this.pause(RETRY_DELAY_MS);
        continue;
      }
      if (!more) await this.pause(this.options.pollIntervalMs);
    }
  }

  /** Stores the next batch of records; true when more may be waiting right away. */
  private async step(): Promise<boolean> {
    const cursor = this.cursor!;
    const read = await cursor.read(BATCH_RECORDS);
    let records = read.records;
    // The stored offset is a hint: should the record there not follow the stored seq (the file
    // was replaced), read the whole file again and skip what is stored.
    if (!this.verified && records.length > 0) {
      this.verified = true;
      if (this.storedOffset !== 0 && !read.restarted && records[0]!.seq !== this.storedSeq + 1) {
        cursor.rewind(0);
        return true;
      }
    }
    if (records.length > 0) this.lastSeenSeq = Math.max(this.lastSeenSeq, records.at(-1)!.seq);
    records = records.filter((record) => record.seq > this.storedSeq);
    if (records.length > 0) await this.store(records);
    this.options.metrics.lag.set(Math.max(0, this.lastSeenSeq - this.storedSeq));
    return read.stop === 'limit';
  }

  private async store(records: readonly CursorRecord[]): Promise<void> {
    const { ingest, positions, siteId } = this.options;
    const last = records.at(-1)!;
    const items = records.map((record) => {
      const entry = decodeJournalEntry(record.seq, record.payload);
      const stamp = {
        recordTimeMs: entry.recordTimeMs,
        captureId: entry.captureId,
        originSite: siteId,
        enqueueForSync: true,
      };
      return { batch: ingest.fromJournal(entry.body, entry.result), stamp };
    });
    const position = { storedSeq: last.seq, offsetBytes: last.endOffset };
    await ingest.store({ items, mode: 'each', beforeCommit: () => positions.save(position) });
    this.storedSeq = position.storedSeq;
    this.storedOffset = position.offsetBytes;
    positions.publish(position.storedSeq);
    this.options.metrics.stored.inc(records.length);
    this.options.waiter.advance(position.storedSeq);
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
