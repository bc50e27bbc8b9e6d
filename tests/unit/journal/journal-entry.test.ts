import { describe, expect, it } from 'vitest';
import { decodeJournalEntry, JournalRecordError } from '../../../host/journal/journal-entry.js';

const EVENT_TEXT = '{ "type": "ObjectEvent",\n  "eventID": "urn:uuid:1" }';
const CONTEXT_TEXT =
  '["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"a":1,"context":"x"}]';

/** A payload laid out as assembly/server/capture/journal-record.ts writes it. */
function payload(context: string, event: string, end = Buffer.byteLength(event)): Buffer {
  const result = `{"index":3,"accepted":true,"start":0,"end":${end},"type":"ObjectEvent","eventId":"urn:uuid:1","hashId":"ni:///sha-256;00?ver=CBV2.0"}`;
  return Buffer.from(
    `{"eventId":"urn:uuid:1","captureId":"c-1","recordTimeMs":1767225600000,"declarationTimeMs":null,` +
      `"state":["ObjectEvent",null,0,"h","urn:uuid:1",null,null,null,null,false,[]],` +
      `"result":${result},"context":${context},"event":${event}}`,
  );
}

describe('journal record payload', () => {
  it('gives the event text and the root @context exactly as captured, whatever keys the context holds', () => {
    const entry = decodeJournalEntry(1, payload(CONTEXT_TEXT, EVENT_TEXT));
    const [event] = entry.result.events;
    expect(entry.body.toString('utf8', event!.start, event!.end)).toBe(EVENT_TEXT);
    expect(entry.body.toString('utf8', ...entry.result.contextRange!)).toBe(CONTEXT_TEXT);
    expect(entry).toMatchObject({ eventId: 'urn:uuid:1', captureId: 'c-1', recordTimeMs: 1767225600000 });
    expect(event).toMatchObject({ index: 0, accepted: true, hashId: 'ni:///sha-256;00?ver=CBV2.0' });
  });

  it('stores a bare event without a context range when the document had no @context', () => {
    const entry = decodeJournalEntry(1, payload('null', EVENT_TEXT));
    expect(entry.result.contextRange).toBeNull();
    expect(entry.body.toString()).toBe(EVENT_TEXT);
  });

  it('refuses a record whose result does not place the event text at the end of the payload', () => {
    expect(() => decodeJournalEntry(9, payload(CONTEXT_TEXT, EVENT_TEXT, 5))).toThrow(JournalRecordError);
    expect(() => decodeJournalEntry(9, Buffer.from('{"eventId":'))).toThrow(/journal record 9/);
  });
});
