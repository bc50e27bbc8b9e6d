// Builds the EPCISQueryDocument the query endpoints answer with, from stored events: each event's
// JSON as captured, with the eventID the service assigned and its recordTime, identifiers in the
// requested GS1-EPC-Format, and the @context entries the events were captured under.
import { EPCIS_CONTEXT_URL } from './epcis-context.js';
import { dropRepeatedEpcs } from './distinct-identifiers.js';
import { type EpcFormat, toDigitalLinks } from './epc-format.js';

export interface StoredEventForOutput {
  eventId: string;
  recordTimeMs: number;
  contextJson: string | null;
  body: string;
}

type Json = Record<string, unknown>;

export function eventForOutput(
  stored: StoredEventForOutput,
  format: EpcFormat,
  toDl: (id: string) => string,
): Json {
  const event = JSON.parse(stored.body) as Json;
  if (typeof event['eventID'] !== 'string') event['eventID'] = stored.eventId;
  event['recordTime'] = new Date(stored.recordTimeMs).toISOString();
  dropRepeatedEpcs(event, toDl);
  if (format === 'Always_GS1_Digital_Link') toDigitalLinks(event, toDl);
  return event;
}

/** The union of the events' capture contexts: the standard context first, then inline prefixes. */
export function mergedContext(events: readonly StoredEventForOutput[]): unknown[] {
  const seen = new Set<string>([JSON.stringify(EPCIS_CONTEXT_URL)]);
  const merged: unknown[] = [EPCIS_CONTEXT_URL];
  for (const event of events) {
    if (event.contextJson === null) continue;
    const parsed = JSON.parse(event.contextJson) as unknown;
    for (const entry of Array.isArray(parsed) ? parsed : [parsed]) {
      const key = JSON.stringify(entry);
      if (typeof entry === 'string' && entry.includes('epcis-context')) continue;
      if (!seen.has(key)) {
        seen.add(key);
        merged.push(entry);
      }
    }
  }
  return merged;
}

/**
 * A page's events as JSON text, the part of an answer worth caching (it holds no creationDate):
 * `contextJson` is the merged @context, `eventListJson` the eventList array.
 */
export interface RenderedEventList {
  contextJson: string;
  eventListJson: string;
}

/**
 * Renders the events one at a time, awaiting `pause` before each, so a page never holds the event
 * loop in one piece: 1.6 MiB of sensor-heavy events (113 KB, 1,400 sensorReports each) took 67 ms
 * to parse, translate and serialise at once, 4.5 MiB 180 ms (measured on the 2-core test machine).
 */
export async function renderEventList(
  events: readonly StoredEventForOutput[],
  format: EpcFormat,
  toDl: (id: string) => string,
  pause: () => Promise<void>,
): Promise<RenderedEventList> {
  const texts: string[] = [];
  for (const event of events) {
    await pause();
    texts.push(JSON.stringify(eventForOutput(event, format, toDl)));
  }
  return { contextJson: JSON.stringify(mergedContext(events)), eventListJson: `[${texts.join(',')}]` };
}

/** The text of queryDocument(), member for member, around an already rendered event list. */
export function queryDocumentText(queryName: string, list: RenderedEventList, creationDate: Date): string {
  return (
    `{"@context":${list.contextJson},"type":"EPCISQueryDocument","schemaVersion":"2.0",` +
    `"creationDate":${JSON.stringify(creationDate.toISOString())},"epcisBody":{"queryResults":` +
    `{"queryName":${JSON.stringify(queryName)},"resultsBody":{"eventList":${list.eventListJson}}}}}`
  );
}

export function queryDocument(
  queryName: string,
  events: readonly StoredEventForOutput[],
  format: EpcFormat,
  toDl: (id: string) => string,
): Json {
  return {
    '@context': mergedContext(events),
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      queryResults: {
        queryName,
        resultsBody: { eventList: events.map((event) => eventForOutput(event, format, toDl)) },
      },
    },
  };
}
