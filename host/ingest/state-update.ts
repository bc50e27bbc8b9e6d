// The last step of the ingest lifecycle: once a batch is durable, its events reach the owning
// core's state index, by committing the batch the core holds pending or, when the core does not
// hold it, by applying its events as stored events in slices (yielding between them).
import { CoreTrapError } from '../core/errors.js';
import type { TrackerCore } from '../core/gateway.js';
import type { StoredStateEvent } from '../core/types.js';
import { acceptedEvents } from '../capture/stored-events.js';
import { type LocalBatch, toStateEvent } from './prepared-batch.js';
import { stateSlice } from './state-slices.js';

// Between two slices this thread sleeps a little rather than just yielding: a thread that sleeps
// now and then is woken promptly by the kernel when a request arrives, while one that stays
// runnable for seconds waits its turn behind every other busy process on a shared machine.
const PAUSE_BETWEEN_SLICES_MS = 2;
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, PAUSE_BETWEEN_SLICES_MS));

export class StateUpdate {
  constructor(
    private readonly core: TrackerCore,
    /** TRACKING_ENABLED: apply stored events to the core's state index. */
    private readonly trackState: boolean,
  ) {}

  /**
   * Whether the owning core still holds the batch. A trap since it was prepared replaced the
   * instance, which starts numbering batches afresh: the old id may now name another caller's batch.
   */
  isPending(batch: LocalBatch): boolean {
    return batch.stateBy === 'commit' && batch.result.batchId !== 0 && batch.instance === this.core.instances;
  }

  /** Applies a committed batch prepared in this thread. */
  async apply(batch: LocalBatch): Promise<void> {
    if (this.isPending(batch)) {
      if (!this.trackState) return this.core.discard(batch.result.batchId);
      try {
        this.core.commit(batch.result.batchId);
      } catch (error) {
        // The events are durable; the trap replaced the instance and its owner (which also counts
        // the trap, once, whatever the caller) rebuilt the state from the store, which holds them.
        if (!(error instanceof CoreTrapError)) throw error;
      }
      return;
    }
    // Prepared elsewhere, or on an instance a trap has replaced since: that rebuild may have read
    // the store before these events were in it, so they are applied as stored events (again, at
    // worst: the state is a function of the set of events).
    if (!this.trackState) return;
    await this.applyStored(acceptedEvents(batch.result).map(toStateEvent));
  }

  /** Applies committed events the core does not hold pending, in slices. */
  private async applyStored(events: readonly StoredStateEvent[]): Promise<void> {
    for (let from: number | null = 0; from !== null;) {
      const slice = stateSlice(events, from);
      if (!this.applySlice(slice.events)) return;
      from = slice.next;
      if (from !== null) await pause();
    }
  }

  /** Applies the ingest worker's committed events, sent as slices of JSON (encodeStateSlices). */
  async applyEncoded(slices: readonly string[]): Promise<void> {
    if (!this.trackState) return;
    for (let i = 0; i < slices.length; i++) {
      if (i > 0) await pause();
      if (!this.applySlice(JSON.parse(slices[i]!) as StoredStateEvent[])) return;
    }
  }

  /** False after a trap: the rebuilt state already holds the rest (it is in the store). */
  private applySlice(events: readonly StoredStateEvent[]): boolean {
    try {
      this.core.applyStored(events);
      return true;
    } catch (error) {
      if (!(error instanceof CoreTrapError)) throw error;
      return false;
    }
  }
}
