// Events and broker messages for sync tests: captured documents with known eventIDs, and messages
// in the wire format another site's relay would publish.
import type { FastifyInstance } from 'fastify';
import type { Options } from 'amqplib';
import { encodeEventMessage } from '../../../../host/sync/event-message.js';
import {
  EPCIS_CONTEXT,
  epcisDocument,
  type EpcisEvent,
  objectEvent,
  sgtin,
} from '../../../helpers/epcis-builders.js';
import { post } from '../../../helpers/service-app.js';

export const eventIdOf = (label: string, n: number): string =>
  `urn:uuid:00000000-0000-4000-8000-${label.padStart(4, '0').slice(-4)}${String(n).padStart(8, '0')}`;

/** An ObjectEvent with an explicit eventID, so tests know its identity before it is stored. */
export function observedEvent(label: string, n: number, extra: EpcisEvent = {}): EpcisEvent {
  const time = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  return {
    ...objectEvent(time, 'OBSERVE', [sgtin(`${label}${n}`)], { bizStep: 'shipping' }),
    eventID: eventIdOf(label, n),
    ...extra,
  };
}

/** POSTs one EPCISDocument and fails loudly unless it was stored. */
export async function captureEvents(app: FastifyInstance, events: EpcisEvent[]): Promise<void> {
  const response = await post(app, '/capture', epcisDocument(events));
  if (response.statusCode !== 202)
    throw new Error(`capture answered ${response.statusCode}: ${response.body}`);
}

export interface WireMessage {
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** The message a site's relay publishes for `event`. */
export function wireMessage(
  event: EpcisEvent,
  origin: { site: string; recordTimeMs: number; declarationTimeMs?: number },
): WireMessage {
  return encodeEventMessage(
    {
      seq: 0,
      enqueuedMs: origin.recordTimeMs,
      eventId: String(event['eventID']),
      hashId: '',
      eventType: String(event['type']),
      isDeclaration: origin.declarationTimeMs !== undefined,
      declarationTimeMs: origin.declarationTimeMs ?? null,
      recordTimeMs: origin.recordTimeMs,
      originSite: origin.site,
      bizLocation: null,
      destinations: [],
      contextJson: JSON.stringify([EPCIS_CONTEXT]),
      body: JSON.stringify(event),
    },
    [],
  );
}

/** A 13-digit GLN: the 12 given digits and their GS1 check digit. */
export function glnOf(twelveDigits: string): string {
  const sum = [...twelveDigits]
    .reverse()
    .reduce((total, digit, i) => total + Number(digit) * (i % 2 === 0 ? 3 : 1), 0);
  return `${twelveDigits}${(10 - (sum % 10)) % 10}`;
}
