// POST /capture natively, as host/capture/capture-service.ts captureDocument and
// host/http/routes/capture-routes.ts answer it: the core's prepare path (no second parser or
// validator), the same refusals, then each accepted event not already held is appended to the
// journal and applied to the state index, and the finished job is answered with 202 + Location.
// The answer leaves only after the event loop's fd_datasync of this turn (connection.ts holds it).
import { captureLimitProblem } from '../capture/capture-limit-headers';
import { applyToState } from '../../capture/apply-to-state';
import { prepareDocument } from '../../capture/prepare-document';
import { Utf8Writer } from '../../json/utf8-writer';
import { realtimeMs } from '../../platform/wasi-sockets';
import { formatUtcMillis } from '../../time/date-time';
import {
  journalUnavailable,
  writeDuplicateProblem,
  writeIssueProblem,
  writeRejection,
} from '../capture/capture-problems';
import { newCaptureId } from '../capture/capture-id';
import { duplicateKeyOf, storedEventId, writeJournalRecord } from '../capture/journal-record';
import {
  captureLimits,
  jobs,
  journal,
  rememberJob,
  stateIndex,
  storedEventKeys,
} from '../capture/server-store';
import { HttpRequest } from '../http-request';
import { Problem } from '../problem';
import { JSON_TYPE, PROBLEM_TYPE, Reply } from '../response-writer';

export const CAPTURE_PATH = '/capture';
const record = new Utf8Writer(4096);
const errors = new Utf8Writer(1024);

/** GS1-Capture-Error-Behaviour as capture-routes.ts reads it; null when it is neither value. */
export function behaviourOf(req: HttpRequest): string | null {
  const raw = req.captureErrorBehaviour;
  if (raw === null) return 'rollback';
  const value = raw.trim().toLowerCase();
  return value == 'rollback' || value == 'proceed' ? value : null;
}

/** Answers POST /capture into `reply`/`body`, or returns the problem to answer with. */
export function answerCapture(req: HttpRequest, reply: Reply, body: Utf8Writer): Problem | null {
  const behaviour = behaviourOf(req);
  if (behaviour === null)
    return new Problem(400, 'ValidationException', 'GS1-Capture-Error-Behaviour must be rollback or proceed');
  const doc = req.body.ptr;
  const batch = prepareDocument(doc, req.body.length, captureLimits);
  const issues = batch.issues.items;
  const overLimit = captureLimitProblem(batch, reply);
  if (overLimit !== null) return overLimit;
  // CaptureService's order: nothing acceptable, then the document kind, then rollback's all-or-nothing.
  const rejected = batch.accepted.length == 0 && issues.length > 0;
  if (!rejected && batch.documentKind == 'Event') {
    batch.digests.release();
    return new Problem(
      400,
      'ValidationException',
      'POST /capture takes an EPCISDocument or EPCISQueryDocument; send a single event to POST /events',
    );
  }
  if (rejected || (behaviour == 'rollback' && issues.length > 0)) {
    batch.digests.release();
    reply.status = 400;
    reply.contentType = PROBLEM_TYPE;
    body.reset();
    writeRejection(body, issues, batch.issues.truncated);
    return null;
  }
  const captureId = newCaptureId();
  const createdMs = realtimeMs();
  const accepted = batch.accepted;
  errors.reset();
  let errorCount = 0;
  for (let i = 0, n = issues.length; i < n; i++) {
    if (errorCount++ > 0) errors.byte(0x2c);
    writeIssueProblem(errors, unchecked(issues[i]));
  }
  // Duplicates by event ID: rollback stores nothing and lists them; proceed stores the rest.
  const seen = new Set<string>();
  let duplicates = 0;
  const fresh = new Array<bool>(accepted.length);
  for (let i = 0, n = accepted.length; i < n; i++) {
    const e = unchecked(accepted[i]);
    const key = duplicateKeyOf(e);
    const known = storedEventKeys.has(key) || seen.has(key);
    seen.add(key);
    unchecked((fresh[i] = !known));
    if (!known) continue;
    duplicates++;
    if (errorCount++ > 0) errors.byte(0x2c);
    writeDuplicateProblem(errors, storedEventId(e));
  }
  const storeAny = behaviour == 'proceed' || duplicates == 0;
  if (storeAny) {
    const startSize = journal.size;
    const startSeq = journal.lastSeq;
    for (let i = 0, n = accepted.length; i < n; i++) {
      if (!unchecked(fresh[i])) continue;
      const e = unchecked(accepted[i]);
      writeJournalRecord(record, doc, batch, e, captureId, createdMs);
      if (!journal.append(record.ptr, record.length)) {
        journal.cutTo(startSize, startSeq);
        batch.digests.release();
        return journalUnavailable();
      }
    }
    for (let i = 0, n = accepted.length; i < n; i++) {
      if (unchecked(fresh[i])) storedEventKeys.add(duplicateKeyOf(unchecked(accepted[i])));
    }
    applyToState(batch, stateIndex);
  }
  batch.digests.release();
  body.reset();
  body.ascii('{"captureID":');
  body.jsonString(captureId);
  body.ascii(',"createdAt":');
  body.jsonString(formatUtcMillis(createdMs));
  body.ascii(',"running":false,"success":');
  body.ascii(errorCount == 0 ? 'true' : 'false');
  body.ascii(',"captureErrorBehaviour":');
  body.jsonString(behaviour);
  body.ascii(',"errors":[');
  body.raw(errors.ptr, errors.length);
  body.ascii('],"finishedAt":');
  body.jsonString(formatUtcMillis(realtimeMs()));
  body.byte(0x7d);
  rememberJob(captureId, String.UTF8.decodeUnsafe(body.ptr, <usize>body.length));
  reply.status = 202;
  reply.contentType = JSON_TYPE;
  reply.location = CAPTURE_PATH + '/' + captureId;
  return null;
}

/** GET /capture/{id} for a job this process answered; null when it is not one of them. */
export function answerJob(id: string, reply: Reply, body: Utf8Writer): bool {
  if (!jobs.has(id)) return false;
  reply.status = 200;
  reply.contentType = JSON_TYPE;
  body.reset();
  body.utf8(jobs.get(id));
  return true;
}
