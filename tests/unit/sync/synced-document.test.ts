// Joining synced messages into one document for one core call: only bodies of the relay's own shape
// are joined, and a joined document counts only when the core reads exactly one accepted event at
// exactly each message's bytes, so a crafted body can never lend its events to another message.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { encodeEventMessage } from '../../../host/sync/event-message.js';
import { checkJoined, joinSynced, syncedParts } from '../../../host/sync/synced-document.js';
import { loadCore } from '../../helpers/core.js';
import { EPCIS_CONTEXT, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import type { OutboxEntry } from '../../../host/store/outbox.js';
import { outboxEntry } from './helpers/outbox-entry.js';

// The event without an eventID: each joined event is hashed by the core.
const entry = (
  n: number,
  body: string = JSON.stringify(objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(n)])),
) => outboxEntry(n, { body });

const messageBody = (e: OutboxEntry): Buffer => encodeEventMessage(e, []).content;

describe('joining synced messages', () => {
  let core: TrackerCore;
  beforeAll(async () => {
    core = await loadCore();
  });

  it('reads each joined message as its own event, with the same event ID it has alone', () => {
    const bodies = [1, 2, 3].map((n) => messageBody(entry(n)));
    const parts = bodies.map((body) => syncedParts(body)!);
    expect(new Set(parts.map((p) => p.context)).size).toBe(1);
    const joined = joinSynced(parts);
    const result = core.prepare(joined.body);
    core.discard(result.batchId);
    expect(checkJoined(result, joined.ranges)).toBe(true);
    const alone = bodies.map((body) => {
      const single = core.prepare(body);
      core.discard(single.batchId);
      const event = single.events[0]!;
      return event.accepted ? event.hashId : null;
    });
    expect(result.events.map((event) => (event.accepted ? event.hashId : null))).toEqual(alone);
    parts.forEach((part, i) => {
      const [start, end] = joined.ranges[i]!;
      expect(
        joined.body.subarray(start, end).equals(part.body.subarray(part.eventStart, part.eventEnd)),
      ).toBe(true);
    });
  });

  it('does not join a body of another shape', () => {
    expect(syncedParts(Buffer.from(JSON.stringify({ type: 'EPCISDocument' })))).toBeNull();
    const withHeader = Buffer.from(
      `{"@context":["${EPCIS_CONTEXT}"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z","epcisHeader":{},"epcisBody":{"eventList":[{}]}}`,
    );
    expect(syncedParts(withHeader)).toBeNull();
  });

  it('does not join a body whose creationDate hides more document keys', () => {
    const smuggled = Buffer.from(
      `{"@context":["${EPCIS_CONTEXT}"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"x","schemaVersion":"9","epcisBody":{"eventList":[{}]}}`,
    );
    expect(syncedParts(smuggled)).toBeNull();
  });

  it('refuses a joined document where one message carries two events', () => {
    const one = JSON.stringify(objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(7)]));
    const two = `${one},${JSON.stringify(objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(8)]))}`;
    const parts = [messageBody(entry(1)), messageBody(entry(2, two))].map((body) => syncedParts(body)!);
    const joined = joinSynced(parts);
    const result = core.prepare(joined.body);
    core.discard(result.batchId);
    expect(result.events).toHaveLength(3);
    expect(checkJoined(result, joined.ranges)).toBe(false);
  });

  it('refuses a joined document where one message closes the event list early', () => {
    const one = JSON.stringify(objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(7)]));
    const parts = [messageBody(entry(1, `${one}],"x":[0`)), messageBody(entry(2)), messageBody(entry(3))].map(
      (body) => syncedParts(body)!,
    );
    const joined = joinSynced(parts);
    const result = core.prepare(joined.body);
    core.discard(result.batchId);
    expect(checkJoined(result, joined.ranges)).toBe(false);
  });
});
