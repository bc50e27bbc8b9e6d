// Seeds a real service with large events through POST /capture, the way the memory reports of
// issue 9 built their stores (200 events of ~140 KB; 1,000s of ~0.5 KB), a document at a time
// within the capture size limit.
import { epcisDocument, objectEvent, sgtin, type EpcisEvent } from '../../../helpers/epcis-builders.js';

export const EXAMPLE_CONTEXT = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  { example: 'https://ns.example.com/epcis/' },
];

/** The eventTime of the i-th seeded event: one minute apart from T0. */
export const T0 = Date.UTC(2026, 4, 1);
export const eventTimeOf = (i: number) => new Date(T0 + i * 60_000).toISOString();

function paddedEvent(i: number, bytes: number): EpcisEvent {
  const event = objectEvent(eventTimeOf(i), 'OBSERVE', [sgtin(10_000 + i)]);
  // A note of `bytes` characters: the size of a sensor-heavy event, without its cost to validate.
  event['example:note'] = 'x'.repeat(bytes);
  return event;
}

/** Captures `count` events of about `bytes` each, in documents of at most `documentBytes`. */
export async function seedLargeEvents(
  baseUrl: string,
  count: number,
  bytes: number,
  documentBytes = 8 * 1024 * 1024,
): Promise<void> {
  const perDocument = Math.max(1, Math.floor(documentBytes / (bytes + 500)));
  for (let first = 0; first < count; first += perDocument) {
    const events = Array.from({ length: Math.min(perDocument, count - first) }, (_, k) =>
      paddedEvent(first + k, bytes),
    );
    const response = await fetch(`${baseUrl}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify({ ...epcisDocument(events), '@context': EXAMPLE_CONTEXT }),
    });
    const text = await response.text();
    if (response.status !== 202)
      throw new Error(`capture answered ${response.status}: ${text.slice(0, 500)}`);
  }
}
