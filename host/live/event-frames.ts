// Server-Sent Events frames for stored events: "id: <seq>", "event: epcis-event" and the event's
// JSON exactly as GET /events renders it (eventForOutput). Every subscriber of one query receives
// the same row objects (and catch-ups share recent rows, recent-rows.ts), so an event is rendered
// once per row and format and reused by all of them, WebSocket subscriptions included.
import type { EpcFormat } from '../http/epc-format.js';
import { eventForOutput } from '../http/query-document.js';
import type { StoredEventRow } from '../query/event-query.js';

export const EVENT_NAME = 'epcis-event';

export type OutputFormat = Exclude<EpcFormat, 'Always_EPC_URN'>;

// Only Always_GS1_Digital_Link rewrites identifiers; the other formats render the stored JSON alike.
const translated = new WeakMap<StoredEventRow, string>();
const asCaptured = new WeakMap<StoredEventRow, string>();
const translatedFrames = new WeakMap<StoredEventRow, string>();
const asCapturedFrames = new WeakMap<StoredEventRow, string>();
const translatedBatches = new WeakMap<readonly StoredEventRow[], Buffer>();
const asCapturedBatches = new WeakMap<readonly StoredEventRow[], Buffer>();

/** The event's JSON as GET /events renders it (memoised per row object: rendering is the costly part). */
export function eventJson(row: StoredEventRow, format: OutputFormat, toDl: (id: string) => string): string {
  const cache = format === 'Always_GS1_Digital_Link' ? translated : asCaptured;
  let json = cache.get(row);
  if (json === undefined) {
    json = JSON.stringify(eventForOutput(row, format, toDl));
    cache.set(row, json);
  }
  return json;
}

export function eventFrame(row: StoredEventRow, format: OutputFormat, toDl: (id: string) => string): string {
  const cache = format === 'Always_GS1_Digital_Link' ? translatedFrames : asCapturedFrames;
  let frame = cache.get(row);
  if (frame === undefined) {
    frame = `id: ${row.seq}\nevent: ${EVENT_NAME}\ndata: ${eventJson(row, format, toDl)}\n\n`;
    cache.set(row, frame);
  }
  return frame;
}

/**
 * The frames of a batch, concatenated and encoded as UTF-8 (memoised too: a group hands one array
 * to all its members). Every subscriber's socket takes the same bytes; a text would be encoded again
 * for each of them.
 */
export function eventFrames(
  rows: readonly StoredEventRow[],
  format: OutputFormat,
  toDl: (id: string) => string,
): Buffer {
  const cache = format === 'Always_GS1_Digital_Link' ? translatedBatches : asCapturedBatches;
  let bytes = cache.get(rows);
  if (bytes === undefined) {
    bytes = Buffer.from(rows.map((row) => eventFrame(row, format, toDl)).join(''));
    cache.set(rows, bytes);
  }
  return bytes;
}
