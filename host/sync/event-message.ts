// The wire format of one synced event. The body is an EPCISDocument holding the @context the event
// was captured under and the event's JSON text exactly as stored, so the receiver runs it through
// the same core (parse, validate, hash, index keys) and stores byte-identical text. Headers carry
// what routing and dedupe need without parsing the body.
//
//   messageId           eventID, or "<eventID>#declaration@<declarationTime ms>" for an error
//                       declaration (it repeats the eventID of the event it corrects)
//   x-event-id          the stored eventID (client's eventID or CBV 2.0 hash ID)
//   x-origin-site       the site that captured it
//   x-event-type        ObjectEvent, AggregationEvent, …
//   x-record-time       record time at the origin, ms since the epoch (the receiver keeps it)
//   x-declaration-time  error declarations only, ms since the epoch
import type { ConsumeMessage, Options } from 'amqplib';
import type { OutboxEntry } from '../store/outbox.js';
import { originRoutingKey, siteAddress } from './topology.js';

export const EVENT_CONTENT_TYPE = 'application/ld+json';
const DEFAULT_CONTEXT = '["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]';

export interface OutgoingMessage {
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

export function messageIdOf(eventId: string, declarationTimeMs: number | null): string {
  return declarationTimeMs === null ? eventId : `${eventId}#declaration@${declarationTimeMs}`;
}

/** The message for an outbox entry, CC'd to `addressedSites` (never the origin itself). */
export function encodeEventMessage(entry: OutboxEntry, addressedSites: readonly string[]): OutgoingMessage {
  const declarationTimeMs = entry.isDeclaration ? entry.declarationTimeMs : null;
  const headers: Record<string, string | number> = {
    'x-event-id': entry.eventId,
    'x-origin-site': entry.originSite,
    'x-event-type': entry.eventType,
    'x-record-time': entry.recordTimeMs,
  };
  if (declarationTimeMs !== null) headers['x-declaration-time'] = declarationTimeMs;
  const creationDate = new Date(entry.recordTimeMs).toISOString();
  const content = Buffer.from(
    `{"@context":${entry.contextJson ?? DEFAULT_CONTEXT},"type":"EPCISDocument","schemaVersion":"2.0",` +
      `"creationDate":"${creationDate}","epcisBody":{"eventList":[${entry.body}]}}`,
    'utf8',
  );
  const options: Options.Publish = {
    persistent: true,
    contentType: EVENT_CONTENT_TYPE,
    messageId: messageIdOf(entry.eventId, declarationTimeMs),
    timestamp: Math.floor(entry.recordTimeMs / 1000),
    type: entry.eventType,
    headers,
  };
  if (addressedSites.length > 0) options.CC = addressedSites.map(siteAddress);
  return { routingKey: originRoutingKey(entry.originSite, entry.eventType), content, options };
}

export interface IncomingEvent {
  messageId: string;
  eventId: string;
  originSite: string;
  recordTimeMs: number;
  declarationTimeMs: number | null;
  content: Buffer;
}

export type DecodedMessage = { ok: true; event: IncomingEvent } | { ok: false; reason: string };

const SITE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function numberHeader(value: unknown): number | null {
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** Checks the headers; the body is checked by the core when the consumer prepares it. */
export function decodeEventMessage(message: ConsumeMessage): DecodedMessage {
  const headers = message.properties.headers ?? {};
  const eventId: unknown = headers['x-event-id'];
  const originSite: unknown = headers['x-origin-site'];
  const recordTimeMs = numberHeader(headers['x-record-time']);
  const rawDeclarationTime: unknown = headers['x-declaration-time'];
  const declarationTimeMs = rawDeclarationTime === undefined ? null : numberHeader(rawDeclarationTime);
  if (typeof eventId !== 'string' || eventId === '')
    return { ok: false, reason: 'missing header x-event-id' };
  if (typeof originSite !== 'string' || !SITE_ID.test(originSite)) {
    return { ok: false, reason: 'missing or malformed header x-origin-site' };
  }
  if (recordTimeMs === null) return { ok: false, reason: 'missing or malformed header x-record-time' };
  if (rawDeclarationTime !== undefined && declarationTimeMs === null) {
    return { ok: false, reason: 'malformed header x-declaration-time' };
  }
  const messageId =
    typeof message.properties.messageId === 'string'
      ? message.properties.messageId
      : messageIdOf(eventId, declarationTimeMs);
  return {
    ok: true,
    event: { messageId, eventId, originSite, recordTimeMs, declarationTimeMs, content: message.content },
  };
}
