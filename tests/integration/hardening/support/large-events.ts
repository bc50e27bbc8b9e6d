// Seeds a real service with large events through POST /capture, the way the memory reports of
// issue 9 built their stores (200 events of ~140 KB; 1,000s of ~0.5 KB), a document at a time
// within the capture size limit.
import { exampleDocument, objectEvent, paddedEvent, sgtin } from '../../../helpers/epcis-builders.js';

/** The eventTime of the i-th seeded event: one minute apart from T0. */
export const T0 = Date.UTC(2026, 4, 1);
export const eventTimeOf = (i: number) => new Date(T0 + i * 60_000).toISOString();

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
      paddedEvent(objectEvent(eventTimeOf(first + k), 'OBSERVE', [sgtin(10_000 + first + k)]), bytes),
    );
    const response = await fetch(`${baseUrl}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify(exampleDocument(events)),
    });
    const text = await response.text();
    if (response.status !== 202)
      throw new Error(`capture answered ${response.status}: ${text.slice(0, 500)}`);
  }
}
