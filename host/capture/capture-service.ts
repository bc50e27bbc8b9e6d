// The capture path: POST /capture and POST /events. The ingest pipeline runs the batch lifecycle
// (core prepare → events, index rows, outbox rows and the capture job in one group-committed
// transaction → state index only after the commit); this service decides what a client may store
// (limits, document kind, error behaviour), counts it and says what happened. Nothing reaches the
// index that is not durable, and a failed write leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { type Problem, problem } from '../http/problem.js';
import { type CaptureJobDraft, duplicateProblem } from '../ingest/capture-job-draft.js';
import type { IngestPipeline } from '../ingest/ingest-pipeline.js';
import type { BatchSummary, PreparedBatch } from '../ingest/prepared-batch.js';
import { CoreStatus } from '../core/status.js';
import type { Metrics } from '../metrics/metrics.js';
import type { CaptureErrorBehaviour, CaptureJobRecord, CaptureJobs } from '../store/capture-jobs.js';
import { DuplicateEventError, StoreUnavailableError } from '../store/errors.js';
import type { EventToStore, StoreOutcome } from '../store/event-writer.js';
import type { WriteQueue } from '../store/write-queue.js';
import { issueProblem, rejectionProblem } from './issue-problems.js';
import { eventsToStore } from './stored-events.js';

export interface CaptureServiceDeps {
  ingest: IngestPipeline;
  jobs: CaptureJobs;
  /** Where a failed capture's job is written (the group committer), never straight on the connection. */
  writes: WriteQueue;
  metrics: Metrics;
  siteId: string;
  now?: () => number;
  newCaptureId?: () => string;
}

export type CaptureOutcome =
  { kind: 'job'; job: CaptureJobRecord } | { kind: 'refused'; problem: Problem; status?: number };

export type SingleEventOutcome =
  | { kind: 'created'; eventId: string; event: EventToStore }
  | { kind: 'refused'; problem: Problem; status?: number };

// 503, not 500: the request was fine and may succeed once the store can write again (disk freed).
function storeFailure(code: string | null): Problem {
  return problem(
    'ServiceUnavailableException',
    `the event store cannot write right now (${code ?? 'storage error'}); nothing was stored, retry later`,
  );
}

export class CaptureService {
  private readonly now: () => number;
  private readonly newCaptureId: () => string;

  constructor(private readonly deps: CaptureServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.newCaptureId = deps.newCaptureId ?? randomUUID;
  }

  /** Problems that refuse a document before any job exists: limits and document-level errors. */
  private refusal(summary: BatchSummary): Problem | null {
    if (summary.status === CoreStatus.TooLarge || summary.status === CoreStatus.TooManyEvents) {
      this.deps.metrics.capture.rejected.inc({ reason: 'limit' });
      return problem('CaptureLimitExceededException', summary.issues[0]?.message ?? 'capture limit exceeded');
    }
    if (summary.acceptedCount === 0 && summary.issues.length > 0) {
      this.deps.metrics.capture.rejected.inc({ reason: 'validation' }, Math.max(1, summary.eventCount));
      return rejectionProblem(summary.issues, summary.issuesTruncated);
    }
    return null;
  }

  /** POST /capture: a whole EPCISDocument or EPCISQueryDocument. */
  async captureDocument(body: Buffer, behaviour: CaptureErrorBehaviour): Promise<CaptureOutcome> {
    const { ingest, metrics } = this.deps;
    const batch = await ingest.prepare(body);
    const { summary } = batch;
    const refused = this.refusal(summary);
    if (refused !== null) {
      ingest.release(batch);
      return { kind: 'refused', problem: refused };
    }
    if (summary.documentKind === 'Event') {
      ingest.release(batch);
      return {
        kind: 'refused',
        problem: problem(
          'ValidationException',
          'POST /capture takes an EPCISDocument or EPCISQueryDocument; send a single event to POST /events',
        ),
      };
    }
    if (behaviour === 'rollback' && summary.issues.length > 0) {
      ingest.release(batch);
      metrics.capture.rejected.inc({ reason: 'validation' }, summary.eventCount);
      return { kind: 'refused', problem: rejectionProblem(summary.issues, summary.issuesTruncated) };
    }
    metrics.capture.rejected.inc({ reason: 'validation' }, summary.eventCount - summary.acceptedCount);
    return this.store(batch, behaviour);
  }

  private async store(batch: PreparedBatch, behaviour: CaptureErrorBehaviour): Promise<CaptureOutcome> {
    const { ingest, jobs, metrics } = this.deps;
    const job: CaptureJobDraft = {
      captureId: this.newCaptureId(),
      createdMs: this.now(),
      errorBehaviour: behaviour,
      eventCount: batch.summary.eventCount,
      validationErrors: batch.summary.issues.map(issueProblem),
    };
    try {
      const [outcomes = []] = await ingest.store({
        items: [{ batch, stamp: this.stamp(job.createdMs, job.captureId) }],
        mode: behaviour === 'rollback' ? 'all-or-nothing' : 'each',
        job,
      });
      this.count(outcomes);
      metrics.capture.jobs.inc({
        outcome:
          job.validationErrors.length === 0 && outcomes.every((o) => o.kind !== 'duplicate')
            ? 'success'
            : 'partial',
      });
    } catch (error) {
      const errors =
        error instanceof DuplicateEventError
          ? error.eventIds.map(duplicateProblem)
          : error instanceof StoreUnavailableError
            ? [storeFailure(error.sqliteCode)]
            : null;
      if (errors === null) throw error;
      if (error instanceof DuplicateEventError)
        metrics.capture.rejected.inc({ reason: 'duplicate' }, error.eventIds.length);
      metrics.capture.jobs.inc({ outcome: 'failed' });
      try {
        await this.recordFailedJob(job, errors);
      } catch (recordError) {
        // A store that cannot write (disk full) cannot write the failed job either: answer with the
        // store's failure itself rather than an unexplained 500.
        if (!(recordError instanceof StoreUnavailableError)) throw recordError;
        return { kind: 'refused', problem: storeFailure(recordError.sqliteCode) };
      }
    }
    return { kind: 'job', job: jobs.get(job.captureId)! };
  }

  /**
   * A failed capture still gets its job, in a commit of its own: through the write queue, because a
   * large capture on the ingest worker may hold SQLite's write lock right now.
   */
  private recordFailedJob(job: CaptureJobDraft, errors: Problem[]): Promise<void> {
    const { jobs, writes } = this.deps;
    const { captureId, createdMs, errorBehaviour, eventCount } = job;
    const finishedMs = this.now();
    return writes.write(() => {
      jobs.create({ captureId, createdMs, errorBehaviour, eventCount });
      jobs.update(captureId, { running: false, success: false, finishedMs, storedCount: 0, errors });
    });
  }

  /** POST /events: one bare event, stored synchronously. */
  async captureEvent(body: Buffer): Promise<SingleEventOutcome> {
    const { ingest } = this.deps;
    // One event is small: always prepared here, where its stored row is built for the answer.
    const batch = ingest.prepareHere(body);
    const { summary } = batch;
    const refused = this.refusal(summary);
    if (refused !== null) {
      ingest.release(batch);
      return { kind: 'refused', problem: refused };
    }
    if (summary.documentKind !== 'Event' || summary.issues.length > 0) {
      ingest.release(batch);
      const detail =
        summary.documentKind === 'Event'
          ? null
          : 'POST /events takes a single event with its @context; send documents to POST /capture';
      return {
        kind: 'refused',
        problem:
          detail === null
            ? rejectionProblem(summary.issues, summary.issuesTruncated)
            : problem('ValidationException', detail),
      };
    }
    const stamp = this.stamp(this.now(), null);
    const event = eventsToStore(batch.body, batch.result, stamp)[0]!;
    try {
      const [outcomes = []] = await ingest.store({ items: [{ batch, stamp }], mode: 'all-or-nothing' });
      this.count(outcomes);
      return { kind: 'created', eventId: event.eventId, event };
    } catch (error) {
      if (error instanceof DuplicateEventError) {
        this.deps.metrics.capture.rejected.inc({ reason: 'duplicate' });
        return { kind: 'refused', problem: duplicateProblem(event.eventId) };
      }
      if (error instanceof StoreUnavailableError)
        return { kind: 'refused', problem: storeFailure(error.sqliteCode) };
      throw error;
    }
  }

  private stamp(recordTimeMs: number, captureId: string | null) {
    return { recordTimeMs, captureId, originSite: this.deps.siteId, enqueueForSync: true };
  }

  private count(outcomes: readonly StoreOutcome[]): void {
    const duplicates = outcomes.filter((o) => o.kind === 'duplicate').length;
    this.deps.metrics.capture.events.inc(outcomes.length - duplicates);
    if (duplicates > 0) this.deps.metrics.capture.duplicates.inc(duplicates);
  }
}
