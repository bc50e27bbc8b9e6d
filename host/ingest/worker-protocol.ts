// The messages between IngestWorker (this thread) and ingest-worker.ts (its thread). Errors cross
// the thread boundary as data and are turned back into the store's typed errors on arrival.
import type { CoreLimits } from '../core/types.js';
import type { CaptureStamp } from '../capture/stored-events.js';
import { DuplicateEventError, StoreClosedError, StoreUnavailableError } from '../store/errors.js';
import type { StoreOutcome } from '../store/event-writer.js';
import type { CommitInfo, WriteRequest } from '../store/group-committer.js';
import type { CaptureJobDraft } from './capture-job-draft.js';
import type { BatchSummary } from './prepared-batch.js';

export interface WorkerSetup {
  databaseFile: string;
  synchronous: 'NORMAL' | 'FULL';
  /** openDatabase's walAutocheckpointPages: WAL_BACKSTOP_PAGES when a WalCheckpointer runs. */
  walAutocheckpointPages?: number;
  limits: CoreLimits;
  /** Sidecar (JOURNAL_TAIL): number stored events for DATA_DIR/inbound/ in the write's transaction. */
  recordInbound?: boolean;
}

export type WorkerRequest =
  | { op: 'prepare'; body: Uint8Array }
  | {
      op: 'write';
      handle: number;
      stamp: CaptureStamp;
      mode: WriteRequest['mode'];
      job: CaptureJobDraft | null;
      /** Send the stored events back for the owning core's state index (TRACKING_ENABLED). */
      withStateEvents: boolean;
    }
  | { op: 'release'; handle: number };

export interface PrepareReply {
  handle: number;
  summary: BatchSummary;
  prepareSeconds: number;
}

/**
 * The write's outcomes and, when asked for, the batch's accepted events for the owning core's state
 * index: sent with the write rather than fetched slice by slice afterwards, so the worker is free
 * for the next document as soon as its transaction committed (the owning thread still applies them
 * a slice per turn).
 */
export interface WriteReply {
  outcomes: StoreOutcome[];
  info: CommitInfo;
  /** The accepted events as JSON slices (state-slices.ts encodeStateSlices), when asked for. */
  stateSlices: string[] | null;
}

export type WorkerError =
  | { kind: 'duplicate'; eventIds: string[] }
  | { kind: 'unavailable'; sqliteCode: string | null; message: string }
  | { kind: 'closed' }
  | { kind: 'other'; message: string };

export type WorkerReply = { id: number } & ({ ok: true; value: unknown } | { ok: false; error: WorkerError });

export function encodeError(error: unknown): WorkerError {
  if (error instanceof DuplicateEventError) return { kind: 'duplicate', eventIds: [...error.eventIds] };
  if (error instanceof StoreUnavailableError)
    return { kind: 'unavailable', sqliteCode: error.sqliteCode, message: error.message };
  if (error instanceof StoreClosedError) return { kind: 'closed' };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

export function decodeError(error: WorkerError): Error {
  switch (error.kind) {
    case 'duplicate':
      return new DuplicateEventError(error.eventIds);
    case 'unavailable':
      return new StoreUnavailableError(error.sqliteCode, error.message, { cause: null });
    case 'closed':
      return new StoreClosedError();
    case 'other':
      return new Error(`ingest worker: ${error.message}`);
  }
}
