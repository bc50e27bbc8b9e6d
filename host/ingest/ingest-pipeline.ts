// The one ingest path. Every way an event enters this site (POST /capture and POST /events, the
// sync consumer, later the sidecar's journal tail) runs the same batch lifecycle here:
// prepare in the core → rows in one group commit (with the capture job, if any) → commit the batch
// to the owning core's state index only after COMMIT, or discard it when the write failed.
// Callers differ only in where the bytes come from, how they are stamped and what they answer.
//
// Large documents (worker.minBytes and up) are prepared and written by an ingest worker on its own
// thread, core instance and SQLite connection, while this committer holds its groups; their events
// come back with the write and reach the state index in slices, so neither step blocks this thread
// for long. With several workers (IngestWorkerPool) one prepares while another writes.
import type { TrackerCore } from '../core/gateway.js';
import type { CaptureResult } from '../core/types.js';
import { type CaptureStamp, eventsToStore } from '../capture/stored-events.js';
import type { CaptureJobs } from '../store/capture-jobs.js';
import type { StoreOutcome } from '../store/event-writer.js';
import type { GroupCommitter, WriteRequest } from '../store/group-committer.js';
import { type CaptureJobDraft, writeFinishedJob } from './capture-job-draft.js';
import { withEventStamps } from './event-stamps.js';
import type { IngestWorkerPort } from './ingest-worker-client.js';
import type { WriteReply } from './worker-protocol.js';
import { type LocalBatch, type PreparedBatch, summarise, type WorkerBatch } from './prepared-batch.js';
import { StateUpdate } from './state-update.js';

export interface IngestPipelineDeps {
  core: TrackerCore;
  committer: GroupCommitter;
  jobs: CaptureJobs;
  /** TRACKING_ENABLED: apply stored events to the core's state index. */
  trackState: boolean;
  /** Where documents of at least minBytes are prepared and written; absent: all in this thread. */
  worker?: { port: IngestWorkerPort; minBytes: number };
  /** Seconds the core spent preparing one document (for the prepare-duration histogram). */
  onPrepared?: (seconds: number) => void;
  now?: () => number;
  /** Sidecar of tracker-server.wasm: where events that did not come from its journal are announced. */
  inbound?: InboundSink;
}

/** host/journal/inbound-writer.ts: DATA_DIR/inbound/, which the server applies to its state index. */
export interface InboundSink {
  /** Inside the store's transaction, with the seqs of the events it stored. */
  record(eventSeqs: readonly number[]): void;
  /** After the commit, before the caller answers or acks (read-your-writes through the server). Never throws. */
  flush(): void;
}

export interface IngestItem {
  batch: PreparedBatch;
  stamp: CaptureStamp;
  /** One per accepted event, in order, instead of `stamp` (events joined from several origins). */
  eventStamps?: readonly CaptureStamp[];
}

export interface IngestRequest {
  items: IngestItem[];
  mode: WriteRequest['mode'];
  /** Written in the same transaction as the events (POST /capture). */
  job?: CaptureJobDraft;
  /** Runs in the same transaction, after the events and the job (the journal tail's position). */
  beforeCommit?: (outcomes: StoreOutcome[]) => void;
}

export class IngestPipeline {
  private readonly now: () => number;
  private readonly state: StateUpdate;
  /** Stores between their start and the end of their state update (and inbound flush). */
  private inFlight = 0;
  private readonly drained: Array<() => void> = [];
  /** Set while settled() waits for the stores in flight: new stores wait for it. */
  private barrier: Promise<void> | null = null;

  constructor(private readonly deps: IngestPipelineDeps) {
    this.now = deps.now ?? Date.now;
    this.state = new StateUpdate(deps.core, deps.trackState);
  }

  /** Prepares a document in this thread, on the owning core (which keeps the batch pending). */
  prepareHere(body: Buffer): LocalBatch {
    const started = process.hrtime.bigint();
    const result = this.deps.core.prepare(body);
    this.deps.onPrepared?.(Number(process.hrtime.bigint() - started) / 1e9);
    const instance = this.deps.core.instances;
    return { kind: 'local', summary: summarise(result), body, result, stateBy: 'commit', instance };
  }

  /**
   * Prepares a document where its size says: here, or on the ingest worker when it is large. A
   * large body moves to the worker (IngestWorker.prepare): the caller must not read it afterwards.
   */
  async prepare(body: Buffer): Promise<PreparedBatch> {
    const worker = this.deps.worker;
    if (worker === undefined || body.length < worker.minBytes) return this.prepareHere(body);
    const reply = await worker.port.prepare(body);
    this.deps.onPrepared?.(reply.prepareSeconds);
    return { kind: 'worker', summary: reply.summary, handle: reply.handle };
  }

  /**
   * A document another core instance already prepared (the standalone core's journal): stored like
   * any other, its events replayed into the state index after the commit.
   */
  fromJournal(body: Buffer, result: CaptureResult): LocalBatch {
    return {
      kind: 'local',
      summary: summarise(result),
      body,
      result: { ...result, batchId: 0 },
      stateBy: 'replay',
      instance: 0,
    };
  }

  /** Drops a batch that will not be stored. */
  release(batch: PreparedBatch): void {
    if (batch.kind === 'worker') this.deps.worker?.port.release(batch.handle);
    else if (this.state.isPending(batch)) this.deps.core.discard(batch.result.batchId);
  }

  /**
   * Stores the items in one write request and, once committed, applies them to the state index.
   * Resolves with each item's outcomes; on failure every item is released and the store's error
   * (DuplicateEventError, StoreUnavailableError, StoreClosedError, …) is rethrown.
   */
  async store(request: IngestRequest): Promise<StoreOutcome[][]> {
    while (this.barrier !== null) await this.barrier;
    this.inFlight++;
    try {
      return await this.storeNow(request);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.drained.splice(0)) wake();
    }
  }

  /**
   * Runs `work` at an instant when every store that committed has also reached the state index
   * and announced its inbound records, holding new stores back meanwhile (they wait, they are not
   * refused). A state snapshot needs such an instant: its seqs must not claim events its index
   * copy lacks, and between a commit and the end of its (sliced) state update they would. The
   * wait is one store's apply at most; `work` must be synchronous so that nothing slips in.
   */
  async settled<T>(work: () => T): Promise<T> {
    while (this.barrier !== null) await this.barrier;
    let open!: () => void;
    this.barrier = new Promise((resolve) => (open = resolve));
    try {
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
      return work();
    } finally {
      this.barrier = null;
      open();
    }
  }

  private async storeNow(request: IngestRequest): Promise<StoreOutcome[][]> {
    const [first, ...rest] = request.items;
    if (first?.batch.kind === 'worker' && rest.length === 0) {
      return [await this.storeInWorker(first.batch, first.stamp, request)];
    }
    const local = request.items.map(({ batch, stamp, eventStamps }) => {
      if (batch.kind === 'worker')
        throw new RangeError('a batch prepared by the ingest worker is stored alone');
      return { batch, rows: withEventStamps(eventsToStore(batch.body, batch.result, stamp), eventStamps) };
    });
    const events = local.flatMap((item) => item.rows);
    const { job } = request;
    const inbound = this.inboundFor(request);
    let outcomes: StoreOutcome[];
    try {
      outcomes = await this.deps.committer.submit({
        events,
        mode: request.mode,
        beforeCommit: (written) => {
          if (job !== undefined) {
            writeFinishedJob(
              this.deps.jobs,
              job,
              events.map((e) => e.eventId),
              written,
              this.now(),
            );
          }
          request.beforeCommit?.(written);
          inbound?.record(storedSeqs(written));
        },
      });
    } catch (error) {
      for (const item of local) this.release(item.batch);
      throw error;
    }
    let at = 0;
    const perItem = local.map((item) => outcomes.slice(at, (at += item.rows.length)));
    try {
      for (const item of local) await this.state.apply(item.batch);
    } finally {
      // After this core's index holds them: a snapshot taken from it never lags the inbound records.
      inbound?.flush();
    }
    return perItem;
  }

  /** The journal tail's records are the server's own events: they are not sent back to it. */
  private inboundFor(request: IngestRequest): InboundSink | undefined {
    const fromJournal = request.items.some(
      ({ batch }) => batch.kind === 'local' && batch.stateBy === 'replay',
    );
    return fromJournal ? undefined : this.deps.inbound;
  }

  private async storeInWorker(
    batch: WorkerBatch,
    stamp: CaptureStamp,
    request: IngestRequest,
  ): Promise<StoreOutcome[]> {
    const { port } = this.deps.worker!;
    let reply: WriteReply;
    try {
      reply = await this.deps.committer.runExclusive(async () => {
        const written = await port.write(batch.handle, {
          stamp,
          mode: request.mode,
          job: request.job ?? null,
          withStateEvents: this.deps.trackState,
        });
        return { value: written, info: written.info };
      });
    } finally {
      // Written or failed, the worker has no further use for the batch: it may take the next document.
      port.release(batch.handle);
    }
    try {
      if (reply.stateSlices !== null) await this.state.applyEncoded(reply.stateSlices);
    } finally {
      // The worker numbered its events for the inbound segments in its transaction (inboundRecorder).
      this.deps.inbound?.flush();
    }
    return reply.outcomes;
  }
}

function storedSeqs(outcomes: readonly StoreOutcome[]): number[] {
  return outcomes.flatMap((outcome) => (outcome.kind === 'duplicate' ? [] : [outcome.seq]));
}
