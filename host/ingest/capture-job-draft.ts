// The capture job a POST /capture writes in the same transaction as its events, described as plain
// data so the ingest worker can write it on its own connection exactly as this thread would.
import { type Problem, problem } from '../http/problem.js';
import type { CaptureErrorBehaviour, CaptureJobs, ProblemDetails } from '../store/capture-jobs.js';
import type { StoreOutcome } from '../store/event-writer.js';

export interface CaptureJobDraft {
  captureId: string;
  createdMs: number;
  errorBehaviour: CaptureErrorBehaviour;
  eventCount: number;
  /** The core's issues with the document (proceed stores the rest). */
  validationErrors: ProblemDetails[];
}

export const duplicateProblem = (eventId: string): Problem =>
  problem('ResourceAlreadyExistsException', `an event with eventID ${eventId} is already stored`, {
    eventID: eventId,
  });

/** Writes the finished job; runs inside the write request, so it commits or rolls back with it. */
export function writeFinishedJob(
  jobs: CaptureJobs,
  draft: CaptureJobDraft,
  eventIds: readonly string[],
  outcomes: readonly StoreOutcome[],
  finishedMs: number,
): void {
  const duplicates = outcomes.flatMap((o, i) =>
    o.kind === 'duplicate' ? [duplicateProblem(eventIds[i]!)] : [],
  );
  const errors = [...draft.validationErrors, ...duplicates];
  const { captureId, createdMs, errorBehaviour, eventCount } = draft;
  jobs.create({ captureId, createdMs, errorBehaviour, eventCount });
  jobs.update(captureId, {
    running: false,
    success: errors.length === 0,
    finishedMs,
    storedCount: outcomes.length - duplicates.length,
    errors,
  });
}
