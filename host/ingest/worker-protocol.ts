// The messages between IngestWorker (this thread) and ingest-worker.ts (its thread). Errors cross
// the thread boundary as data and are turned back into the store's typed errors on arrival.
import type { CoreLimits, StoredStateEvent } from '../core/types.js';
import type { CaptureStamp } from '../capture/stored-events.js';
import { DuplicateEventError, StoreClosedError, StoreUnavailableError } from '../store/errors.js';
import type { StoreOutcome } from '../store/event-writer.js';
import type { CommitInfo, WriteRequest } from '../store/group-committer.js';
import type { CaptureJobDraft } from './capture-job-draft.js';
import type { BatchSummary } from './prepared-batch.js';

export interface WorkerSetup {
  databaseFile: string;
  synchronous: 'NORMAL' | 'FULL';
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
    }
  | { op: 'state'; handle: number; from: number }
  | { op: 'release'; handle: number };

export interface PrepareReply {
  handle: number;
  summary: BatchSummary;
  prepareSeconds: number;
}

export interface WriteReply {
  outcomes: StoreOutcome[];
  info: CommitInfo;
}

/** A slice of the batch's accepted events for the state index; `next` is null after the last. */
export interface StateReply {
  events: StoredStateEvent[];
  next: number | null;
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
