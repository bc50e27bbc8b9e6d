// The state snapshots, one format for both readers (assembly/state/snapshot-format.ts):
// - sidecar (JOURNAL_TAIL): for tracker-server.wasm (docs/wasmedge-server.md "Snapshot") after every
//   SNAPSHOT_EVERY_RECORDS newly stored journal + inbound records, with the store's duplicate keys,
//   to DATA_DIR/snapshot/, so the server's restart reads one file and replays only what came after
//   it; its Node host starts from the same files;
// - store (the default Node mode): after every SNAPSHOT_EVERY_RECORDS newly stored events, without
//   duplicate keys (SQLite's unique indexes are the Node service's), to DATA_DIR/state-snapshot/, so
//   the service's restart is ready after one file and the events stored after it
//   (host/state-snapshot/).
// Both also write one at shutdown when any were stored since the last one, and carry the store
// seq and the host tag (which store, which tracker.wasm build) the Node host checks.
//
// Steps, none holding the event loop for long: the duplicate keys are read from SQLite in pages of
// KEY_PAGE (a yield between pages); then, at an instant when every committed store has reached the
// core's index (IngestPipeline.settled), the seqs are read, the keys stored since the last page are
// added and the index is copied out of the core, in ONE synchronous step: the snapshot must be one
// instant of an index that every commit changes (measured: 1,000,000 EPCs in about 60 ms, see the
// docs); the file is written in 4 MiB steps (snapshot-files.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { TrackerCore } from '../core/gateway.js';
import type { DuplicateKeyReader } from '../store/duplicate-keys.js';
import type { StartUpReads } from '../store/start-up-reads.js';
import { hostTag, HOST_TAG_BYTES } from '../state-snapshot/host-tag.js';
import { STORED_SEQ_FILE } from './journal-position.js';
import { type SnapshotPlace, type SnapshotPosition, writeSnapshotIn } from './snapshot-files.js';

/** The header's host tag offset (assembly/state/snapshot-format.ts H_HOST_TAG). */
const HOST_TAG_OFFSET = 64;

const KEY_PAGE = 10_000;
const CHECK_INTERVAL_MS = 1000;

export interface SnapshotWriterOptions {
  core: TrackerCore;
  /** sidecar: for tracker-server.wasm too (its seqs, duplicate keys); store: the Node service alone. */
  mode: 'sidecar' | 'store';
  /** The duplicate keys (sidecar mode only). */
  keys: DuplicateKeyReader | null;
  /** The store's seq and identity (host-tag.ts). */
  store: StartUpReads;
  place: SnapshotPlace;
  dataDir: string;
  everyRecords: number;
  /**
   * The last inbound seq appended (0 while no inbound segments exist). Read only inside `settled`,
   * where every appended record's event is in the core's index. The journal's comes from
   * DATA_DIR/journal-stored-seq, published after the index has the events.
   */
  inboundSeq: () => number;
  /** IngestPipeline.settled: runs its callback when no store is between its commit and its state update. */
  settled: <T>(work: () => T) => Promise<T>;
  logger: Logger;
}

export interface SnapshotWritten extends SnapshotPosition {
  path: string;
  bytes: number;
  /** The synchronous copy of the index out of the core. */
  copyMs: number;
  totalMs: number;
}

export class SnapshotWriter {
  private last: SnapshotPosition = { journalSeq: 0, inboundSeq: 0, storeSeq: 0 };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SnapshotWritten | null> | null = null;
  private stopped = false;
  /** start() ran: the index holds every stored event (the rebuild is done). */
  private started = false;

  constructor(private readonly options: SnapshotWriterOptions) {}

  /**
   * Counts from `from`, the snapshot the index started from (null: none, so one is due as soon as
   * the store holds everyRecords), then checks every second whether one is due.
   */
  start(from: SnapshotPosition | null): void {
    this.started = true;
    if (from !== null) this.last = from;
    this.timer = setInterval(() => {
      if (this.running === null && this.storedSince() >= this.options.everyRecords) void this.write();
    }, CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /** Lets a snapshot in progress finish, then writes one more if anything was stored since. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.stopped = true;
    if (this.started && this.storedSince() > 0) await this.write();
  }

  /** Writes a snapshot now (tests, shutdown); null when it had to be abandoned (logged). */
  write(): Promise<SnapshotWritten | null> {
    if (this.running === null) {
      this.running = this.writeOnce().finally(() => (this.running = null));
    }
    return this.running;
  }

  private current(): SnapshotPosition {
    const storeSeq = this.options.store.maxSeq();
    if (this.options.mode === 'store') return { journalSeq: 0, inboundSeq: 0, storeSeq };
    return {
      journalSeq: readStoredSeq(this.options.dataDir),
      inboundSeq: this.options.inboundSeq(),
      storeSeq,
    };
  }

  private storedSince(): number {
    const now = this.current();
    if (this.options.mode === 'store') return now.storeSeq - this.last.storeSeq;
    return now.journalSeq - this.last.journalSeq + (now.inboundSeq - this.last.inboundSeq);
  }

  /** The host tag of the store up to `storeSeq` with this build; zeros for an empty store. */
  private tag(storeSeq: number): Uint8Array {
    const identity = storeSeq === 0 ? null : this.options.store.identity(storeSeq);
    return identity === null ? new Uint8Array(HOST_TAG_BYTES) : hostTag(identity, this.options.core.buildId);
  }

  private async writeOnce(): Promise<SnapshotWritten | null> {
    const { core, keys, logger, place } = this.options;
    const started = performance.now();
    let seqs = this.current();
    const instance = core.instances;
    let added = 0;
    try {
      core.resetSnapshotKeys();
      let keysThrough = 0;
      for (let more = keys !== null; more;) {
        const page = addKeyPage(keys!, core, keysThrough);
        added += page.count;
        keysThrough = page.lastSeq;
        more = page.more;
        if (more) await yieldTurn();
      }
      const copy = await this.options.settled(() => {
        // A trap since the start replaced the instance: its key set is gone and its index may be
        // mid-rebuild. The stored keys are unique (the store's unique indexes), so the set holds
        // exactly as many as were read.
        if (core.instances !== instance || core.snapshotKeys().count !== added) return null;
        seqs = this.current();
        // The keys of what was stored while the pages were read: few, read in this same instant.
        for (let more = keys !== null; more;) {
          const page = addKeyPage(keys!, core, keysThrough);
          added += page.count;
          keysThrough = page.lastSeq;
          more = page.more;
        }
        const copyStarted = performance.now();
        const parts = core.writeSnapshot(seqs.journalSeq, seqs.inboundSeq, seqs.storeSeq);
        parts[0]!.set(this.tag(seqs.storeSeq), HOST_TAG_OFFSET);
        return { parts, copyMs: performance.now() - copyStarted };
      });
      core.resetSnapshotKeys();
      if (copy === null) {
        logger.warn({ ...seqs }, 'state snapshot abandoned: the core was replaced while it was being built');
        return null;
      }
      const { parts, copyMs } = copy;
      const file = await writeSnapshotIn(place, seqs, parts);
      this.last = seqs;
      const written = { ...seqs, ...file, copyMs, totalMs: performance.now() - started };
      logger.info(
        {
          ...seqs,
          bytes: file.bytes,
          keys: added,
          copyMs: Math.round(copyMs),
          totalMs: Math.round(written.totalMs),
        },
        'state snapshot written',
      );
      return written;
    } catch (error) {
      logger.error(
        { error: error instanceof Error ? error.message : String(error), ...seqs, stopped: this.stopped },
        'cannot write the state snapshot; the next one is tried after as many records again',
      );
      this.last = seqs;
      return null;
    }
  }
}

/** Adds the keys of up to KEY_PAGE events stored after seq `after` to the core's snapshot key set. */
function addKeyPage(
  keys: DuplicateKeyReader,
  core: TrackerCore,
  after: number,
): { count: number; lastSeq: number; more: boolean } {
  const page = keys.read(after, KEY_PAGE);
  core.addSnapshotKeys(page.keys);
  return { count: page.keys.length, lastSeq: page.lastSeq, more: page.next !== null };
}

/** DATA_DIR/journal-stored-seq: the journal seq whose events the index holds (0 when absent). */
function readStoredSeq(dataDir: string): number {
  try {
    const value = Number.parseInt(readFileSync(join(dataDir, STORED_SEQ_FILE), 'utf8'), 10);
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}
