// The inbound consumer of the hub against a real broker: every event stored once whatever the
// delivery order and however often it is published, error declarations stored beside their event,
// and messages that can never be applied moved to the dead-letter queue with their reason while
// the consumer goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASON_HEADER } from '../../../host/sync/dead-letter.js';
import { syncNames } from '../../../host/sync/topology.js';
import { eventually, TestBroker, uniqueNamespace } from '../../helpers/rabbitmq.js';
import { get, type ServiceApp } from '../../helpers/service-app.js';
import { startSyncApp } from './support/sync-app.js';
import { eventIdOf, observedEvent, type WireMessage, wireMessage } from './support/sync-events.js';

interface StoredRow {
  event_id: string;
  is_declaration: number;
  origin_site: string;
  record_time_ms: number;
  capture_id: string | null;
}

const RECORD_TIME_MS = Date.UTC(2026, 0, 2, 8, 0, 0);

describe('inbound consumer (hub)', () => {
  const namespace = uniqueNamespace('consumer');
  const names = syncNames(namespace);
  let broker: TestBroker;
  let hub: ServiceApp;

  const rows = (eventId: string): StoredRow[] =>
    hub.db
      .prepare(
        'SELECT event_id, is_declaration, origin_site, record_time_ms, capture_id FROM events WHERE event_id = ? ORDER BY seq',
      )
      .all(eventId) as StoredRow[];
  const inbound = async (outcome: string) => {
    const match = new RegExp(
      `^edgetrace_sync_inbound_events_total\\{outcome="${outcome}"\\} (\\d+)$`,
      'm',
    ).exec((await get(hub.app, '/metrics')).body);
    return match === null ? 0 : Number(match[1]);
  };
  const publish = (messages: WireMessage[]) => broker.publish(names.exchange, messages);

  beforeAll(async () => {
    broker = await TestBroker.connect();
    hub = await startSyncApp(namespace, { role: 'hub', siteId: 'hub' });
    await eventually('the hub to connect', async () =>
      (await get(hub.app, '/health/sync')).statusCode === 200 ? true : undefined,
    );
  });
  afterAll(async () => {
    await hub?.close();
    await broker.deleteNamespace(namespace, []);
    await broker.close();
  });

  it('stores each event once, with its origin site and record time, even when it is published twice and out of order', async () => {
    const origin = { site: 'site-x', recordTimeMs: RECORD_TIME_MS };
    const [e1, e2, e3] = [1, 2, 3].map((n) => wireMessage(observedEvent('x', n), origin));
    await publish([e3!, e1!, e2!, e1!, e3!]);
    await eventually('five deliveries handled', async () =>
      (await inbound('applied')) + (await inbound('duplicate')) >= 5 ? true : undefined,
    );
    for (const n of [1, 2, 3]) {
      expect(rows(eventIdOf('x', n))).toEqual([
        {
          event_id: eventIdOf('x', n),
          is_declaration: 0,
          origin_site: 'site-x',
          record_time_ms: RECORD_TIME_MS,
          capture_id: null,
        },
      ]);
    }
    expect(await inbound('applied')).toBe(3);
    expect(await inbound('duplicate')).toBe(2);
    // Inbound events are not published again by the hub.
    expect((hub.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(0);
    expect((await get(hub.app, `/events/${encodeURIComponent(eventIdOf('x', 2))}`)).statusCode).toBe(200);
  });

  it('stores an error declaration beside the event it corrects, even when it arrives first, and only once', async () => {
    const event = observedEvent('x', 10);
    const declarationTime = '2026-01-03T00:00:00.000Z';
    const declaration = { ...event, errorDeclaration: { declarationTime, reason: 'incorrect_data' } };
    const origin = { site: 'site-y', recordTimeMs: RECORD_TIME_MS };
    const declared = wireMessage(declaration, { ...origin, declarationTimeMs: Date.parse(declarationTime) });
    await publish([declared, declared]);
    await eventually('the declaration stored', () =>
      rows(eventIdOf('x', 10)).length === 1 ? true : undefined,
    );
    await publish([wireMessage(event, origin)]);
    await eventually('the corrected event stored', () =>
      rows(eventIdOf('x', 10)).length === 2 ? true : undefined,
    );
    expect(rows(eventIdOf('x', 10)).map((r) => r.is_declaration)).toEqual([1, 0]);
    const view = await get(hub.app, `/events/${encodeURIComponent(eventIdOf('x', 10))}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('incorrect_data');
  });

  it('moves a message that can never be applied to the dead-letter queue with its reason, and goes on', async () => {
    const origin = { site: 'site-z', recordTimeMs: RECORD_TIME_MS };
    const valid = wireMessage(observedEvent('z', 1), origin);
    const broken: WireMessage = { ...valid, content: Buffer.from('{"type":"EPCISDocument", oops') };
    const invalidEvent = wireMessage({ ...observedEvent('z', 2), eventTimeZoneOffset: undefined }, origin);
    const headerless: WireMessage = { ...valid, options: { ...valid.options, headers: {} } };
    await publish([broken, invalidEvent, headerless, valid]);

    await eventually('the valid event stored', () =>
      rows(eventIdOf('z', 1)).length === 1 ? true : undefined,
    );
    await eventually('three dead letters', async () =>
      (await broker.depth(names.deadLetterQueue)) >= 3 ? true : undefined,
    );
    const dead = await broker.take(names.deadLetterQueue);
    const reasons = dead.map((m) => String(m.properties.headers![REASON_HEADER]));
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toMatch(/^invalid EPCIS: /);
    expect(reasons[1]).toMatch(/^invalid EPCIS: .*eventTimeZoneOffset/);
    expect(reasons[2]).toBe('missing header x-event-id');
    expect(dead[0]!.content.toString('utf8')).toBe(broken.content.toString('utf8'));
    expect(dead[0]!.properties.headers).toMatchObject({ 'x-edgetrace-dead-letter-queue': names.hubQueue });
    expect(rows(eventIdOf('z', 2))).toEqual([]);
    expect(await inbound('dead_lettered')).toBe(3);
    expect(await broker.depth(names.hubQueue)).toBe(0);
  });
});
