// The capture pipeline for one request document: parse → validate → resolve @context →
// normalise + extract keys → pre-hash → batch SHA-256. It changes no state: the host commits the
// accepted events to SQLite first and only then applies them to the state index (commit.ts).
import { Status } from '../abi/status';
import { DOCUMENT_LEVEL, Issue, IssueList } from '../diagnostics/issue';
import { buildPrehash } from '../hash/prehash';
import { parseJson, ParseLimits } from '../json/parser';
import { Utf8Writer } from '../json/utf8-writer';
import { JsonValue } from '../json/value';
import { JsonLdContext, resolveContext } from '../jsonld/context';
import { DocumentKind, validateDocument } from '../validate/document';
import { EventDigests, hashEvents } from './event-hashes';
import { extractKeys } from './extract-keys';
import { CaptureLimits } from './limits';
import { NormalisedEvent } from './normalised-event';

const DOCUMENT_KIND_NAMES: string[] = ['EPCISDocument', 'EPCISQueryDocument', 'Event'];

export class PreparedBatch {
  status: Status = Status.Rejected;
  documentKind: string | null = null;
  /** Every event of the document, accepted or not, in document order. */
  events: Array<NormalisedEvent> = new Array<NormalisedEvent>();
  /** The accepted events, in document order; digests are aligned with this list. */
  accepted: Array<NormalisedEvent> = new Array<NormalisedEvent>();
  digests: EventDigests = new EventDigests();
  issues: IssueList;
  /** Byte range of the document's root @context value, or -1/-1 when it has none. */
  contextStart: i32 = -1;
  contextEnd: i32 = -1;

  constructor(maxIssues: i32) {
    this.issues = new IssueList(maxIssues);
  }
}

// The accepted events' pre-hash bytes, back to back: the input of the batch hasher. Reused by every
// document; one that grew it past KEPT_PREHASH_BYTES gets a fresh, small one afterwards.
let prehashBytes = new Utf8Writer(1 << 16);
const KEPT_PREHASH_BYTES = 4 << 20;

function refuse(batch: PreparedBatch, status: Status, message: string): PreparedBatch {
  batch.status = status;
  // Pushed past the cap on purpose: the reason for refusing must always reach the client.
  batch.issues.items.push(new Issue(DOCUMENT_LEVEL, '', message));
  return batch;
}

/** Event `index`'s position in the pointer of its issues; -1 for a bare event (pointer ""). */
function pointerIndexOf(kind: DocumentKind, index: i32): i32 {
  return kind == DocumentKind.BareEvent ? -1 : index;
}

function eventPointer(base: string, pointerIndex: i32): string {
  return pointerIndex < 0 ? '' : base + '/' + pointerIndex.toString();
}

/** `keepPrehash`: also keep each accepted event's pre-hash string (NormalisedEvent.prehash). */
export function prepareDocument(
  ptr: usize,
  len: i32,
  limits: CaptureLimits,
  keepPrehash: bool = false,
): PreparedBatch {
  const batch = new PreparedBatch(limits.maxIssues);
  if (len > limits.maxDocumentBytes) {
    return refuse(
      batch,
      Status.TooLarge,
      'the document is ' +
        len.toString() +
        ' bytes; the limit is ' +
        limits.maxDocumentBytes.toString() +
        ' bytes',
    );
  }
  const parseLimits = new ParseLimits();
  parseLimits.maxDepth = limits.maxDepth;
  const parsed = parseJson(ptr, len, parseLimits);
  const root = parsed.value;
  if (root === null) return refuse(batch, Status.Rejected, 'the body is not valid JSON: ' + parsed.error);

  const issues = batch.issues;
  const outline = validateDocument(root, issues);
  const rootContext = outline.context;
  if (rootContext !== null && outline.kind != DocumentKind.BareEvent) {
    batch.contextStart = rootContext.start;
    batch.contextEnd = rootContext.end;
  }
  batch.documentKind = DOCUMENT_KIND_NAMES[outline.kind];
  const eventValues = outline.events;
  if (eventValues.length > limits.maxEvents) {
    return refuse(
      batch,
      Status.TooManyEvents,
      'the document holds ' +
        eventValues.length.toString() +
        ' events; the capture limit is ' +
        limits.maxEvents.toString(),
    );
  }
  // A document whose own fields or @context are unusable is rejected as a whole: none of its
  // events can be interpreted reliably (a redefined protected term changes every CURIE).
  const documentContext = resolveContext(outline.context, null, issues, DOCUMENT_LEVEL, '/@context');
  if (issues.countFor(DOCUMENT_LEVEL) > 0) {
    batch.status = Status.Rejected;
    return batch;
  }
  // Validation stops at the issue cap, so events after that point were never fully checked.
  if (issues.truncated) {
    return refuse(
      batch,
      Status.Rejected,
      'the document has more than ' +
        limits.maxIssues.toString() +
        ' problems; fix the ones listed and send it again',
    );
  }
  prehashBytes.reset();
  for (let i = 0, n = eventValues.length; i < n; i++) {
    const value = unchecked(eventValues[i]);
    const event = new NormalisedEvent();
    event.index = i;
    event.start = value.start;
    event.end = value.end;
    batch.events.push(event);
    const object = value.asObject();
    if (object === null || issues.countFor(i) > 0) continue;
    // The event's pointer is built only when an issue needs it (3 allocations per event otherwise).
    const pointerIndex = pointerIndexOf(outline.kind, i);
    let context: JsonLdContext = documentContext;
    const ownContext: JsonValue | null = object.get('@context');
    if (ownContext !== null && outline.kind != DocumentKind.BareEvent) {
      const pointer = eventPointer(outline.eventsPointer, pointerIndex) + '/@context';
      context = resolveContext(outline.context, ownContext, issues, i, pointer);
    }
    if (!extractKeys(object, outline.eventsPointer, pointerIndex, issues, event) || issues.countFor(i) > 0)
      continue;
    event.prehashStart = prehashBytes.length;
    event.prehash = buildPrehash(object, context, prehashBytes, keepPrehash);
    event.prehashLength = prehashBytes.length - event.prehashStart;
    event.accepted = true;
    batch.accepted.push(event);
  }
  hashEvents(batch.accepted, prehashBytes, batch.digests);
  if (prehashBytes.length > KEPT_PREHASH_BYTES) prehashBytes = new Utf8Writer(1 << 16);
  else prehashBytes.reset();

  const acceptedCount = batch.accepted.length;
  if (acceptedCount == eventValues.length && issues.length == 0) batch.status = Status.Ok;
  else if (acceptedCount > 0) batch.status = Status.Partial;
  else batch.status = eventValues.length == 0 && issues.length == 0 ? Status.Ok : Status.Rejected;
  return batch;
}
