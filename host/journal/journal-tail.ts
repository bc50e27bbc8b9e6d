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
import { JOURNAL_HEADER_BYTES } from './journal-records.js';
import { decodeJournalEntry } from './journal-entry.js';
import type { JournalPosition, JournalPositionStore } from './journal-position.js';
import { type JournalPlace, JournalSegmentCursor, type SegmentRecord } from './journal-segment-cursor.js';
import { JOURNAL_DIR } from './journal-segment-files.js';
import type { SeqWaiter } from './seq-waiter.js';

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
  private cursor: JournalSegmentCursor | null = null;
  private watcher: FSWatcher | null = null;
  /** journal/ is watched apart from DATA_DIR: a directory watch does not see writes in a subdirectory. */
  private segmentWatcher: FSWatcher | null = null;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopped = false;
  private storedSeq = 0;
  private storedPlace: JournalPlace = { segment: 0, offset: 0 };
  private lastSeenSeq = 0;
  /** The first record read has been checked against the stored position. */
  private verified = false;

  constructor(private readonly options: JournalTailOptions) {}

  start(): void {
    const { positions, waiter, dataDir } = this.options;
    const position = positions.load();
    this.storedSeq = this.lastSeenSeq = position.storedSeq;
    this.storedPlace = { segment: position.segment, offset: position.offsetBytes };
    waiter.advance(position.storedSeq);
    this.cursor = new JournalSegmentCursor(dataDir, this.storedPlace);
    this.watcher = this.watch(dataDir);
    this.running = this.loop();
  }

  /** Lets the write request in flight commit, then stops reading. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.segmentWatcher?.close();
    this.wake?.();
    await this.running;
    this.options.waiter.releaseAll();
  }

  /** A watch that wakes the loop; null when the directory cannot be watched (polling still finds everything). */
  private watch(dir: string): FSWatcher | null {
    try {
      const watcher = watch(dir, () => this.wake?.());
      watcher.on('error', () => watcher.close());
      watcher.unref();
      return watcher;
    } catch {
      return null;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      // journal/ appears when the server first starts on this DATA_DIR.
      this.segmentWatcher ??= this.watch(join(this.options.dataDir, JOURNAL_DIR));
      let more = false;
      try {
        more = await this.step();
      } catch (error) {
        if (error instanceof StoreClosedError) return;
        this.options.logger.error(
          { error: error instanceof Error ? error.message : String(error), storedSeq: this.storedSeq },
          'the journal tail cannot store the next records; retrying',
        );
        this.cursor!.rewind(this.storedPlace);
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
    // The stored place is a hint: should the record there not follow the stored seq (the file
    // was replaced), read again from the start of the segment that holds the next seq and skip
    // what is stored.
    if (!this.verified && records.length > 0) {
      this.verified = true;
      const first = records[0]!;
      const startsFile = first.endOffset === first.payload.length + JOURNAL_HEADER_BYTES;
      if (!(startsFile && first.seq <= this.storedSeq + 1) && first.seq !== this.storedSeq + 1) {
        await cursor.rewindToSeq(this.storedSeq + 1);
        return true;
      }
    }
    if (records.length > 0) this.lastSeenSeq = Math.max(this.lastSeenSeq, records.at(-1)!.seq);
    records = records.filter((record) => record.seq > this.storedSeq);
    if (records.length > 0) await this.store(records);
    this.options.metrics.lag.set(Math.max(0, this.lastSeenSeq - this.storedSeq));
    return read.stop === 'limit';
  }

  private async store(records: readonly SegmentRecord[]): Promise<void> {
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
    const position: JournalPosition = {
      storedSeq: last.seq,
      segment: last.segment,
      offsetBytes: last.endOffset,
    };
    await ingest.store({ items, mode: 'each', beforeCommit: () => positions.save(position) });
    this.storedSeq = position.storedSeq;
    this.storedPlace = { segment: position.segment, offset: position.offsetBytes };
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
