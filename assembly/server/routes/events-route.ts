// POST /events natively, as host/capture/capture-service.ts captureEvent and
// host/http/routes/capture-routes.ts answer it: GS1-EPC-Format negotiated first (a 406 never follows
// a capture), the core's prepare path (no second parser or validator), the same refusals, 409 for
// an event ID already held, then the event is journalled exactly as a capture of one event (no
// capture job: captureId null, as the Node service stores it) and applied to the state index, and
// the answer is 201 + Location with the event as GET /events/{id} shows it (render/). It leaves only
// after the event loop's fd_datasync of this turn (connection.ts holds it).
import { applyToState } from '../../capture/apply-to-state';
import { prepareDocument } from '../../capture/prepare-document';
import { parseJson, ParseLimits } from '../../json/parser';
import { JsonObject } from '../../json/value';
import { Utf8Writer } from '../../json/utf8-writer';
import { realtimeMs } from '../../platform/wasi-sockets';
import { captureLimitProblem } from '../capture/capture-limit-headers';
import { journalUnavailable, writeDuplicateProblem, writeRejection } from '../capture/capture-problems';
import { duplicateKeyOf, storedEventId, writeJournalRecord } from '../capture/journal-record';
import { captureLimits, journal, stateIndex, storedEventKeys } from '../capture/server-store';
import { HttpRequest } from '../http-request';
import { Problem } from '../problem';
import { PROBLEM_TYPE, Reply } from '../response-writer';
import { writeEventForOutput } from '../render/event-output';
import { epcFormatProblem } from './state-route';

export const EVENTS_PATH = '/events';
/** What fastify sends for `.type('application/ld+json')` with a JSON body: it adds the charset. */
export const LD_JSON_TYPE = 'application/ld+json; charset=utf-8';
const record = new Utf8Writer(4096);
const renderLimits = new ParseLimits();
renderLimits.maxDepth = captureLimits.maxDepth;

/** Answers POST /events into `reply`/`body`, or returns the problem to answer with. */
export function answerEvent(req: HttpRequest, reply: Reply, body: Utf8Writer): Problem | null {
  const formatProblem = epcFormatProblem(req.epcFormat);
  if (formatProblem !== null) return formatProblem;
  const raw = req.epcFormat;
  const format = raw === null ? 'Always_GS1_Digital_Link' : raw.trim();
  const doc = req.body.ptr;
  const batch = prepareDocument(doc, req.body.length, captureLimits);
  const issues = batch.issues.items;
  const overLimit = captureLimitProblem(batch, reply);
  if (overLimit !== null) return overLimit;
  // CaptureService's order: nothing acceptable, then the document kind, then any issue at all.
  const rejected = batch.accepted.length == 0 && issues.length > 0;
  if (!rejected && batch.documentKind != 'Event') {
    batch.digests.release();
    return new Problem(
      400,
      'ValidationException',
      'POST /events takes a single event with its @context; send documents to POST /capture',
    );
  }
  if (rejected || issues.length > 0 || batch.accepted.length != 1) {
    batch.digests.release();
    reply.status = 400;
    reply.contentType = PROBLEM_TYPE;
    body.reset();
    writeRejection(body, issues, batch.issues.truncated);
    return null;
  }
  const e = unchecked(batch.accepted[0]);
  const eventId = storedEventId(e);
  const key = duplicateKeyOf(e);
  if (storedEventKeys.has(key)) {
    batch.digests.release();
    reply.status = 409;
    reply.contentType = PROBLEM_TYPE;
    body.reset();
    writeDuplicateProblem(body, eventId);
    return null;
  }
  // Rendered before anything is stored: the answer cannot fail after the event is journalled.
  const parsed = parseJson(doc + <usize>e.start, e.end - e.start, renderLimits).value;
  const event: JsonObject | null = parsed === null ? null : parsed.asObject();
  if (event === null) {
    // Unreachable (the same bytes parsed a moment ago under the same limits); a value, not a trap.
    batch.digests.release();
    return new Problem(500, 'ImplementationException', 'the captured event could not be read back');
  }
  const recordTimeMs = realtimeMs();
  body.reset();
  writeEventForOutput(body, event, eventId, recordTimeMs, format == 'Always_GS1_Digital_Link');
  writeJournalRecord(record, doc, batch, e, null, recordTimeMs);
  const startSize = journal.size;
  const startSeq = journal.lastSeq;
  if (!journal.append(record.ptr, record.length)) {
    journal.cutTo(startSize, startSeq);
    batch.digests.release();
    return journalUnavailable();
  }
  storedEventKeys.add(key);
  applyToState(batch, stateIndex);
  batch.digests.release();
  reply.status = 201;
  reply.contentType = LD_JSON_TYPE;
  // The event ID came through the JSON parser, which refuses lone surrogates: encoding cannot fail.
  reply.location = EVENTS_PATH + '/' + encodeURIComponent(eventId);
  reply.epcFormat = format;
  return null;
}
