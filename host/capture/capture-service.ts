// The capture path: the core prepares the document (parse, validate, normalise, hash), the store
// commits the events, their index rows, the outbox rows and the capture job in one group-committed
// transaction, and only then does the core apply them to the state index. Nothing reaches the
// index that is not durable, and a failed write leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { CoreTrapError } from '../core/errors.js';
import type { TrackerCore } from '../core/gateway.js';
import { CoreStatus } from '../core/status.js';
import type { CaptureResult } from '../core/types.js';
import { type Problem, problem } from '../http/problem.js';
import type { Metrics } from '../metrics/metrics.js';
import type {
  CaptureErrorBehaviour,
  CaptureJobRecord,
  CaptureJobs,
  ProblemDetails,
} from '../store/capture-jobs.js';
import { DuplicateEventError, StoreUnavailableError } from '../store/errors.js';
import type { StoreOutcome } from '../store/event-writer.js';
import type { GroupCommitter } from '../store/group-committer.js';
import { isStorageFailure, sqliteCode } from '../store/storage-failure.js';
import { issueProblem, rejectionProblem } from './issue-problems.js';
import { eventsToStore } from './stored-events.js';

export interface CaptureServiceDeps {
  core: TrackerCore;
  committer: GroupCommitter;
  jobs: CaptureJobs;
  metrics: Metrics;
  siteId: string;
  /** TRACKING_ENABLED: apply stored events to the core's state index. */
  trackState: boolean;
  now?: () => number;
  newCaptureId?: () => string;
}

export type CaptureOutcome =
  { kind: 'job'; job: CaptureJobRecord } | { kind: 'refused'; problem: Problem; status?: number };

export type SingleEventOutcome =
  { kind: 'created'; eventId: string } | { kind: 'refused'; problem: Problem; status?: number };

const duplicateProblem = (eventId: string): Problem =>
  problem('ResourceAlreadyExistsException', `an event with eventID ${eventId} is already stored`, {
    eventID: eventId,
  });

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
  private refusal(result: CaptureResult): Problem | null {
    if (result.status === CoreStatus.TooLarge || result.status === CoreStatus.TooManyEvents) {
      this.deps.metrics.capture.rejected.inc({ reason: 'limit' });
      return problem('CaptureLimitExceededException', result.issues[0]?.message ?? 'capture limit exceeded');
    }
    const accepted = result.events.filter((e) => e.accepted).length;
    if (accepted === 0 && result.issues.length > 0) {
      this.deps.metrics.capture.rejected.inc({ reason: 'validation' }, Math.max(1, result.events.length));
      return rejectionProblem(result.issues, result.issuesTruncated);
    }
    return null;
  }

  /** POST /capture: a whole EPCISDocument or EPCISQueryDocument. */
  async captureDocument(body: Buffer, behaviour: CaptureErrorBehaviour): Promise<CaptureOutcome> {
    const { core, metrics } = this.deps;
    const started = process.hrtime.bigint();
    const result = core.prepare(body);
    metrics.core.prepareDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    const refused = this.refusal(result);
    if (refused !== null) {
      core.discard(result.batchId);
      return { kind: 'refused', problem: refused };
    }
    if (result.documentKind === 'Event') {
      core.discard(result.batchId);
      return {
        kind: 'refused',
        problem: problem(
          'ValidationException',
          'POST /capture takes an EPCISDocument or EPCISQueryDocument; send a single event to POST /events',
        ),
      };
    }
    if (behaviour === 'rollback' && result.issues.length > 0) {
      core.discard(result.batchId);
      metrics.capture.rejected.inc({ reason: 'validation' }, result.events.length);
      return { kind: 'refused', problem: rejectionProblem(result.issues, result.issuesTruncated) };
    }
    metrics.capture.rejected.inc({ reason: 'validation' }, result.events.filter((e) => !e.accepted).length);
    return this.store(body, result, behaviour);
  }

  private async store(
    body: Buffer,
    result: CaptureResult,
    behaviour: CaptureErrorBehaviour,
  ): Promise<CaptureOutcome> {
    const { core, committer, jobs, metrics } = this.deps;
    const captureId = this.newCaptureId();
    const createdMs = this.now();
    const events = eventsToStore(body, result, {
      recordTimeMs: createdMs,
      captureId,
      originSite: this.deps.siteId,
      enqueueForSync: true,
    });
    const validationErrors: ProblemDetails[] = result.issues.map(issueProblem);
    const finish = (outcomes: StoreOutcome[]) => {
      const duplicates = outcomes.flatMap((o, i) =>
        o.kind === 'duplicate' ? [duplicateProblem(events[i]!.eventId)] : [],
      );
      const errors = [...validationErrors, ...duplicates];
      jobs.create({ captureId, createdMs, errorBehaviour: behaviour, eventCount: result.events.length });
      jobs.update(captureId, {
        running: false,
        success: errors.length === 0,
        finishedMs: this.now(),
        storedCount: outcomes.length - duplicates.length,
        errors,
      });
    };
    try {
      const outcomes = await committer.submit({
        events,
        mode: behaviour === 'rollback' ? 'all-or-nothing' : 'each',
        beforeCommit: finish,
      });
      this.applyToState(result.batchId);
      this.count(outcomes);
      metrics.capture.jobs.inc({
        outcome:
          validationErrors.length === 0 && outcomes.every((o) => o.kind !== 'duplicate')
            ? 'success'
            : 'partial',
      });
    } catch (error) {
      core.discard(result.batchId);
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
        this.recordFailedJob(captureId, createdMs, behaviour, result.events.length, errors);
      } catch (recordError) {
        // A store that cannot write (disk full) cannot write the failed job either: answer with the
        // store's failure itself rather than an unexplained 500.
        if (!isStorageFailure(recordError)) throw recordError;
        return { kind: 'refused', problem: storeFailure(sqliteCode(recordError)) };
      }
    }
    return { kind: 'job', job: jobs.get(captureId)! };
  }

  /** A failed capture still gets its job, written in a transaction of its own. */
  private recordFailedJob(
    captureId: string,
    createdMs: number,
    behaviour: CaptureErrorBehaviour,
    eventCount: number,
    errors: ProblemDetails[],
  ): void {
    const { jobs } = this.deps;
    jobs.create({ captureId, createdMs, errorBehaviour: behaviour, eventCount });
    jobs.update(captureId, {
      running: false,
      success: false,
      finishedMs: this.now(),
      storedCount: 0,
      errors,
    });
  }

  /** POST /events: one bare event, stored synchronously. */
  async captureEvent(body: Buffer): Promise<SingleEventOutcome> {
    const { core, committer } = this.deps;
    const result = core.prepare(body);
    const refused = this.refusal(result);
    if (refused !== null) {
      core.discard(result.batchId);
      return { kind: 'refused', problem: refused };
    }
    if (result.documentKind !== 'Event' || result.issues.length > 0) {
      core.discard(result.batchId);
      const detail =
        result.documentKind === 'Event'
          ? null
          : 'POST /events takes a single event with its @context; send documents to POST /capture';
      return {
        kind: 'refused',
        problem:
          detail === null
            ? rejectionProblem(result.issues, result.issuesTruncated)
            : problem('ValidationException', detail),
      };
    }
    const events = eventsToStore(body, result, {
      recordTimeMs: this.now(),
      captureId: null,
      originSite: this.deps.siteId,
      enqueueForSync: true,
    });
    const eventId = events[0]!.eventId;
    try {
      const outcomes = await committer.submit({ events, mode: 'all-or-nothing' });
      this.applyToState(result.batchId);
      this.count(outcomes);
      return { kind: 'created', eventId };
    } catch (error) {
      core.discard(result.batchId);
      if (error instanceof DuplicateEventError) {
        this.deps.metrics.capture.rejected.inc({ reason: 'duplicate' });
        return { kind: 'refused', problem: duplicateProblem(eventId) };
      }
      if (error instanceof StoreUnavailableError)
        return { kind: 'refused', problem: storeFailure(error.sqliteCode) };
      throw error;
    }
  }

  private applyToState(batchId: number): void {
    if (!this.deps.trackState) {
      this.deps.core.discard(batchId);
      return;
    }
    try {
      this.deps.core.commit(batchId);
    } catch (error) {
      // The events are durable; the trap replaced the instance and its owner rebuilt the state from
      // the store, which already holds them.
      if (!(error instanceof CoreTrapError)) throw error;
      this.deps.metrics.core.traps.inc();
    }
  }

  private count(outcomes: readonly StoreOutcome[]): void {
    const duplicates = outcomes.filter((o) => o.kind === 'duplicate').length;
    this.deps.metrics.capture.events.inc(outcomes.length - duplicates);
    if (duplicates > 0) this.deps.metrics.capture.duplicates.inc(duplicates);
  }
}
