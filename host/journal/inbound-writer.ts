// The sidecar's half of DATA_DIR/inbound/: every event it stores that did not come from
// tracker-server.wasm's journal (sync from the hub and other sites, captures made on the sidecar's
// own port, requests the server forwarded) becomes one record there, which the server applies to
// its state index as it applies its journal. The ingest path calls record() inside the store's
// transaction (numbering the events) and flush() after the commit, before the caller answers or
// acks: so a query through the server right after a 2xx sees the event (read-your-writes).
//
// Crash safety: an event's inbound seq commits with the event (migration 006). After a kill -9
// between the commit and the append, start() cuts a torn record off the active segment and appends
// the pending rows above the last record on disk: seqs stay dense, no record is written twice.
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { InboundSink } from '../ingest/ingest-pipeline.js';
import { InboundLedger } from './inbound-ledger.js';
import { encodeInboundRecord } from './inbound-record.js';
import { InboundSegments } from './inbound-segments.js';

export const INBOUND_DIR = 'inbound';
/** Events per append: bounds the memory of a flush after a long outage of the disk. */
const FLUSH_EVENTS = 1000;

export interface InboundWriterOptions {
  db: Database;
  dataDir: string;
  segmentBytes: number;
  logger: Logger;
}

export class InboundWriter implements InboundSink {
  private readonly ledger: InboundLedger;
  private readonly segments: InboundSegments;
  /** Seq of the last record durable on disk. */
  private durableSeq = 0;
  private failing = false;

  constructor(private readonly options: InboundWriterOptions) {
    this.ledger = new InboundLedger(options.db);
    this.segments = new InboundSegments(join(options.dataDir, INBOUND_DIR), options.segmentBytes);
  }

  /** Before the first store: finds where the files stand and appends what a crash left pending. */
  start(): void {
    const opened = this.segments.open();
    this.durableSeq = opened.lastSeq;
    this.ledger.raiseAssigned(opened.lastSeq);
    const pending = this.ledger.assignedSeq() - opened.lastSeq;
    if (opened.cutBytes > 0 || pending > 0) {
      this.options.logger.warn(
        { lastSeq: opened.lastSeq, cutBytes: opened.cutBytes, pending },
        'inbound segments: appending what the last run committed but did not write',
      );
    }
    this.flush();
  }

  /** The last inbound seq on disk (tests, metrics). */
  get appendedSeq(): number {
    return this.durableSeq;
  }

  record(eventSeqs: readonly number[]): void {
    this.ledger.record(eventSeqs);
    this.ledger.prune(this.durableSeq);
  }

  /**
   * Appends every committed, not yet written record. Never throws: the events are stored whatever
   * happens here; a failure (a full disk) is logged and the next flush (or restart) retries.
   */
  flush(): void {
    try {
      for (;;) {
        const events = this.ledger.pendingAfter(this.durableSeq, FLUSH_EVENTS);
        if (events.length === 0) break;
        const records = events.map(encodeInboundRecord);
        const seqs = events.map((e) => e.inboundSeq);
        for (let from = 0; from < records.length;) {
          from += this.segments.append(records.slice(from), seqs.slice(from));
          this.durableSeq = seqs[from - 1]!;
        }
      }
      if (this.failing) this.options.logger.info({ seq: this.durableSeq }, 'inbound segments written again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        this.options.logger.error(
          { error: error instanceof Error ? error.message : String(error), appendedSeq: this.durableSeq },
          'cannot append to DATA_DIR/inbound/; tracker-server.wasm does not see the newest events until it works again',
        );
      }
      this.failing = true;
    }
  }

  close(): void {
    this.segments.close();
  }
}

/** For the ingest worker's connection: numbers its events in its transaction; the main thread appends. */
export function inboundRecorder(db: Database): InboundSink {
  const ledger = new InboundLedger(db);
  return { record: (eventSeqs) => ledger.record(eventSeqs), flush: () => undefined };
}
