// Turns one journal record's payload into what the one ingest path stores
// (IngestPipeline.fromJournal): a body holding the event's JSON text exactly as captured and the
// document's root @context exactly as sent, and the core's capture result for that body. The
// payload's layout is assembly/server/capture/journal-record.ts: `"event"` is its last member and
// the result's start/end are rebased onto it, so the event text is the `end` bytes before the
// payload's closing brace; `"context"` is the member just before it.
import type { AcceptedEvent, CaptureResult } from '../core/types.js';
import { CoreStatus } from '../core/status.js';

export interface JournalEntry {
  eventId: string;
  captureId: string | null;
  recordTimeMs: number;
  body: Buffer;
  result: CaptureResult;
}

interface Payload {
  eventId: unknown;
  captureId: unknown;
  recordTimeMs: unknown;
  result: unknown;
  context: unknown;
}

const EVENT_KEY = Buffer.from(',"event":');
const CONTEXT_KEY = Buffer.from(',"context":');

/** A record whose checksum holds but whose payload is not the server's form: a writer bug. */
export class JournalRecordError extends Error {
  constructor(
    readonly seq: number,
    reason: string,
  ) {
    super(`journal record ${seq}: ${reason}`);
    this.name = 'JournalRecordError';
  }
}

function isAccepted(value: unknown): value is AcceptedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<AcceptedEvent>;
  return (
    event.accepted === true &&
    event.start === 0 &&
    typeof event.end === 'number' &&
    typeof event.hashId === 'string' &&
    typeof event.type === 'string'
  );
}

export function decodeJournalEntry(seq: number, payload: Buffer): JournalEntry {
  let parsed: Payload;
  try {
    parsed = JSON.parse(payload.toString('utf8')) as Payload;
  } catch (error) {
    throw new JournalRecordError(seq, `the payload is not JSON (${(error as Error).message})`);
  }
  const { eventId, captureId, recordTimeMs, result } = parsed;
  if (typeof eventId !== 'string') throw new JournalRecordError(seq, 'eventId is not a string');
  if (captureId !== null && typeof captureId !== 'string') {
    throw new JournalRecordError(seq, 'captureId is neither a string nor null');
  }
  if (typeof recordTimeMs !== 'number' || !Number.isSafeInteger(recordTimeMs)) {
    throw new JournalRecordError(seq, 'recordTimeMs is not an integer');
  }
  if (!isAccepted(result)) throw new JournalRecordError(seq, 'result is not an accepted event');

  const eventEnd = payload.length - 1;
  const eventStart = eventEnd - result.end;
  const keyStart = eventStart - EVENT_KEY.length;
  if (keyStart < 0 || !payload.subarray(keyStart, eventStart).equals(EVENT_KEY)) {
    throw new JournalRecordError(seq, 'the event text is not where result.end places it');
  }
  const eventText = payload.subarray(eventStart, eventEnd);
  // The context is the raw text between `,"context":` and `,"event":`. Searched from the start:
  // what precedes it is the writer's own (inside a JSON string a quote is always escaped, so `,"`
  // cannot occur there), while the context itself may hold any key.
  let contextText: Buffer | null = null;
  if (parsed.context !== null) {
    const contextKey = payload.indexOf(CONTEXT_KEY);
    if (contextKey < 0 || contextKey >= keyStart) {
      throw new JournalRecordError(seq, 'the context member is missing');
    }
    contextText = payload.subarray(contextKey + CONTEXT_KEY.length, keyStart);
  }
  const contextBytes = contextText?.length ?? 0;
  const body = contextText === null ? eventText : Buffer.concat([contextText, eventText]);
  return {
    eventId,
    captureId,
    recordTimeMs,
    body,
    result: {
      status: CoreStatus.Ok,
      batchId: 0,
      documentKind: 'EPCISDocument',
      contextRange: contextText === null ? null : [0, contextBytes],
      events: [{ ...result, index: 0, start: contextBytes, end: contextBytes + result.end }],
      issues: [],
      issuesTruncated: false,
    },
  };
}
