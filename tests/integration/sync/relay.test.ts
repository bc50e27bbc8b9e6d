// The outbox relay against a real broker: events captured while the link is down wait in the
// outbox and are published in capture order once it is back, each once; a row is marked sent only
// after the broker confirmed it; health and metrics say where sync stands.
import type { GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncNames } from '../../../host/sync/topology.js';
import { eventually, TestBroker, uniqueNamespace } from '../../helpers/rabbitmq.js';
import { get, type ServiceApp } from '../../helpers/service-app.js';
import { BrokerSwitch } from './support/broker-switch.js';
import { startSyncApp } from './support/sync-app.js';
import { captureEvents, eventIdOf, observedEvent } from './support/sync-events.js';

const unsentRows = (site: ServiceApp) =>
  (site.db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_ms IS NULL').get() as { n: number }).n;

describe('outbox relay', () => {
  const namespace = uniqueNamespace('relay');
  const names = syncNames(namespace);
  const link = new BrokerSwitch();
  let broker: TestBroker;
  let site: ServiceApp | undefined;
  const received: GetMessage[] = [];

  beforeAll(async () => {
    broker = await TestBroker.connect();
    await link.connect();
  });
  afterAll(async () => {
    await site?.close();
    await link.disconnect();
    await broker.deleteNamespace(namespace, ['site-a']);
    await broker.close();
  });

  it('publishes what was captured while the broker was unreachable, in capture order, each event once', async () => {
    await link.disconnect();
    site = await startSyncApp(namespace, { siteId: 'site-a', amqpUrl: link.url() });
    for (let doc = 0; doc < 3; doc++) {
      await captureEvents(
        site.app,
        Array.from({ length: 10 }, (_, i) => observedEvent('a', doc * 10 + i)),
      );
    }
    expect(unsentRows(site)).toBe(30);

    await link.connect();
    await eventually('the outbox to drain', () => (unsentRows(site!) === 0 ? true : undefined), 30_000);
    await eventually('30 messages in the hub queue', async () =>
      (await broker.depth(names.hubQueue)) >= 30 ? true : undefined,
    );
    received.push(...(await broker.take(names.hubQueue)));
    expect(received.map((m) => m.properties.messageId as string)).toEqual(
      Array.from({ length: 30 }, (_, i) => eventIdOf('a', i)),
    );
  });

  it('sends each event as an EPCISDocument with its origin, type and record time in the headers', () => {
    const first = received[0]!;
    expect(first.fields.routingKey).toBe('origin.site-a.ObjectEvent');
    expect(first.properties.deliveryMode).toBe(2);
    expect(first.properties.headers).toMatchObject({
      'x-event-id': eventIdOf('a', 0),
      'x-origin-site': 'site-a',
      'x-event-type': 'ObjectEvent',
    });
    const stored = site!.db
      .prepare('SELECT record_time_ms, body FROM events WHERE event_id = ?')
      .get(eventIdOf('a', 0)) as {
      record_time_ms: number;
      body: string;
    };
    expect(Number(first.properties.headers!['x-record-time'])).toBe(stored.record_time_ms);
    const document = JSON.parse(first.content.toString('utf8')) as {
      type: string;
      epcisBody: { eventList: unknown[] };
    };
    expect(document.type).toBe('EPCISDocument');
    expect(document.epcisBody.eventList).toEqual([JSON.parse(stored.body)]);
  });

  it('marks a row sent only once the broker has confirmed it', async () => {
    link.hold();
    try {
      await captureEvents(site!.app, [observedEvent('a', 100), observedEvent('a', 101)]);
      await eventually('the broker to hold both messages', async () =>
        (await broker.depth(names.hubQueue)) >= 2 ? true : undefined,
      );
      // The broker has the messages, but its confirms are held back: nothing may be marked sent.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(unsentRows(site!)).toBe(2);
    } finally {
      link.release();
    }
    await eventually('the confirms to mark both rows sent', () =>
      unsentRows(site!) === 0 ? true : undefined,
    );
    await broker.take(names.hubQueue);
  });

  it('publishes a new capture without waiting for the idle-flush interval', async () => {
    await site!.close();
    site = await startSyncApp(namespace, {
      siteId: 'site-a',
      amqpUrl: link.url(),
      syncIntervalMs: 3_600_000,
    });
    await eventually('the site to connect', async () =>
      (await get(site!.app, '/health/sync')).statusCode === 200 ? true : undefined,
    );
    await captureEvents(site.app, [observedEvent('a', 200)]);
    const [message] = await eventually('the event in the hub queue', async () => {
      const messages = await broker.take(names.hubQueue);
      return messages.length > 0 ? messages : undefined;
    });
    expect(message!.properties.messageId).toBe(eventIdOf('a', 200));
  });

  it('reports the outbox, the links and the totals at /health/sync and /metrics', async () => {
    await eventually('a drained outbox', () => (unsentRows(site!) === 0 ? true : undefined));
    const health = await get(site!.app, '/health/sync');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'ok',
      enabled: true,
      role: 'site',
      siteId: 'site-a',
      namespace,
      queue: names.siteQueue('site-a'),
      links: { publish: { state: 'connected' }, consume: { state: 'connected' } },
      outbox: { depth: 0, oldestAgeMs: null },
      lagMs: 0,
    });
    const metrics = (await get(site!.app, '/metrics')).body;
    expect(metrics).toMatch(/^edgetrace_sync_confirmed_total 1$/m);
    expect(metrics).toMatch(/^edgetrace_sync_published_total 1$/m);
    expect(metrics).toMatch(/^edgetrace_sync_outbox_depth 0$/m);
    expect(metrics).toMatch(/^edgetrace_sync_connection_state\{link="publish",state="connected"\} 1$/m);
    expect(metrics).toMatch(/^edgetrace_sync_connection_state\{link="publish",state="disconnected"\} 0$/m);
  });

  it('reconnects after the link drops and publishes what was captured meanwhile', async () => {
    await link.disconnect();
    await eventually('the site to notice the loss', async () =>
      (await get(site!.app, '/health/sync')).statusCode === 503 ? true : undefined,
    );
    await captureEvents(site!.app, [observedEvent('a', 300), observedEvent('a', 301)]);
    const offline = (await get(site!.app, '/health/sync')).json<{
      status: string;
      outbox: { depth: number };
    }>();
    expect(offline).toMatchObject({ status: 'offline', outbox: { depth: 2 } });
    await link.connect();
    const messages = await eventually(
      'both events in the hub queue',
      async () => {
        received.length = 0;
        const taken = await broker.take(names.hubQueue);
        return taken.length > 0 ? taken : undefined;
      },
      30_000,
    );
    expect(messages.map((m) => m.properties.messageId as string)).toEqual([
      eventIdOf('a', 300),
      eventIdOf('a', 301),
    ]);
    const metrics = (await get(site!.app, '/metrics')).body;
    expect(metrics).toMatch(/^edgetrace_sync_reconnects_total\{link="publish"\} [1-9]/m);
  });
});
