// Several ingest workers behind one port, so that one prepares the next large document while
// another writes its own: writes still take turns (GroupCommitter.runExclusive), prepares overlap
// them. With one worker, prepare and write of every document ran one after the other on its thread
// (bench:service, 1000-event documents: ~31 µs per event to prepare, ~45 µs to write).
//
// A worker holding a prepared batch that is not written yet takes no other document: queued behind
// another prepare on its thread, that batch's write would keep the store's turn waiting idle.
import type { IngestWorkerPort, WorkerWrite } from './ingest-worker-client.js';
import type { PrepareReply, WriteReply } from './worker-protocol.js';

/** A worker of the pool: what IngestPipeline uses of it, and how it ends. */
export interface PooledWorker extends IngestWorkerPort {
  close(): Promise<void>;
}

interface Slot {
  worker: PooledWorker;
  /** Preparing, or holding a prepared batch that is not written or released yet. */
  busy: boolean;
}

interface HeldBatch {
  slot: Slot;
  /** The batch's handle on its worker. */
  handle: number;
  /** Still keeps its worker busy (until written or released). */
  occupies: boolean;
}

export class IngestWorkerPool implements PooledWorker {
  private readonly slots: Slot[];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly batches = new Map<number, HeldBatch>();
  private nextHandle = 1;

  constructor(workers: readonly PooledWorker[]) {
    if (workers.length === 0) throw new RangeError('an ingest worker pool needs at least one worker');
    this.slots = workers.map((worker) => ({ worker, busy: false }));
  }

  /** Waits for a worker that holds no unwritten batch, then prepares the document there. */
  async prepare(body: Uint8Array): Promise<PrepareReply> {
    const slot = await this.freeSlot();
    let reply: PrepareReply;
    try {
      reply = await slot.worker.prepare(body);
    } catch (error) {
      this.vacate(slot);
      throw error;
    }
    const handle = this.nextHandle++;
    this.batches.set(handle, { slot, handle: reply.handle, occupies: true });
    return { ...reply, handle };
  }

  async write(handle: number, request: WorkerWrite): Promise<WriteReply> {
    const held = this.held(handle);
    try {
      return await held.slot.worker.write(held.handle, request);
    } finally {
      this.settle(held);
    }
  }

  release(handle: number): void {
    const held = this.batches.get(handle);
    if (held === undefined) return;
    this.batches.delete(handle);
    held.slot.worker.release(held.handle);
    this.settle(held);
  }

  /** Ends every worker; batches they held are dropped with them. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.close()));
  }

  private held(handle: number): HeldBatch {
    const held = this.batches.get(handle);
    if (held === undefined) throw new Error(`no prepared batch ${handle} in the ingest worker pool`);
    return held;
  }

  private settle(held: HeldBatch): void {
    if (!held.occupies) return;
    held.occupies = false;
    this.vacate(held.slot);
  }

  private freeSlot(): Promise<Slot> {
    const slot = this.slots.find((s) => !s.busy);
    if (slot !== undefined) {
      slot.busy = true;
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the worker to the next waiting prepare, or marks it free. */
  private vacate(slot: Slot): void {
    const next = this.waiting.shift();
    if (next === undefined) slot.busy = false;
    else next(slot);
  }
}
