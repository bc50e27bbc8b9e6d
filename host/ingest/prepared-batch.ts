// A document the core has prepared (parsed, validated, normalised, hashed) and that waits for the
// store: the one value every ingest caller hands to IngestPipeline.store(). Where it was prepared
// decides how its events later reach the owning core's state index.
import type { CoreStatus } from '../core/status.js';
import type { AcceptedEvent, CaptureIssue, CaptureResult, StoredStateEvent } from '../core/types.js';

/** What callers decide on (refuse, reject, store), whatever thread prepared the document. */
export interface BatchSummary {
  status: CoreStatus;
  documentKind: CaptureResult['documentKind'];
  eventCount: number;
  acceptedCount: number;
  /** The stored eventID of the first accepted event (the client's, or its hash ID), if any. */
  firstEventId: string | null;
  issues: CaptureIssue[];
  issuesTruncated: boolean;
}

/**
 * Prepared in this thread. `stateBy: 'commit'`: prepared by the owning core, whose instance number
 * `instance` holds the batch pending under result.batchId. `'replay'`: prepared by another core
 * instance (a journal written by the standalone WasmEdge core), so its accepted events are applied
 * to the state index as stored events after the commit, like the start-up rebuild does.
 */
export interface LocalBatch {
  kind: 'local';
  summary: BatchSummary;
  body: Buffer;
  result: CaptureResult;
  stateBy: 'commit' | 'replay';
  instance: number;
}

/** Prepared and held by the ingest worker (a large document); `handle` names it there. */
export interface WorkerBatch {
  kind: 'worker';
  summary: BatchSummary;
  handle: number;
}

export type PreparedBatch = LocalBatch | WorkerBatch;

export function summarise(result: CaptureResult): BatchSummary {
  const first = result.events.find((event): event is AcceptedEvent => event.accepted);
  return {
    status: result.status,
    documentKind: result.documentKind,
    eventCount: result.events.length,
    acceptedCount: result.events.reduce((n, event) => (event.accepted ? n + 1 : n), 0),
    firstEventId: first === undefined ? null : (first.eventId ?? first.hashId),
    issues: result.issues,
    issuesTruncated: result.issuesTruncated,
  };
}

/** An accepted event as the state index replays it (TrackerCore.applyStored). */
export function toStateEvent(event: AcceptedEvent): StoredStateEvent {
  return {
    type: event.type,
    action: event.action,
    eventTimeMs: event.eventTimeMs,
    hashId: event.hashId,
    eventId: event.eventId ?? event.hashId,
    bizStep: event.bizStep,
    disposition: event.disposition,
    readPoint: event.readPoint,
    bizLocation: event.bizLocation,
    isDeclaration: event.errorDeclaration !== null,
    epcs: event.epcs,
  };
}
