// The broker topology every instance declares at start: idempotent (a restart, a second site and
// the hub declare the very same names without error), durable, with quorum queues for the hub and
// every site and a dead-letter queue.
import { describe, expect, it } from 'vitest';
import { declareTopology, syncNames } from '../../../host/sync/topology.js';
import { eventually, uniqueNamespace } from '../../helpers/rabbitmq.js';
import { get, type ServiceApp } from '../../helpers/service-app.js';
import { brokerSuite } from './support/broker-suite.js';
import { startSyncApp } from './support/sync-app.js';

describe('sync topology', () => {
  const namespace = uniqueNamespace('topology');
  const names = syncNames(namespace);
  const routedNamespace = uniqueNamespace('routing');
  const suite = brokerSuite([
    [namespace, ['site-a', 'site-b']],
    [routedNamespace, ['site-a', 'site-b']],
  ]);

  const connected = async (app: ServiceApp) => {
    await suite.started(app);
    await eventually(`${app.config.siteId} to connect`, async () =>
      (await get(app.app, '/health/sync')).statusCode === 200 ? true : undefined,
    );
    return app;
  };

  it('is declared by a site, again by a second site, by the hub and by a restart, without error', async () => {
    const first = await connected(await startSyncApp(namespace, { siteId: 'site-a' }));
    await connected(await startSyncApp(namespace, { siteId: 'site-b' }));
    await connected(await startSyncApp(namespace, { role: 'hub', siteId: 'hub' }));
    await suite.closeNow(first);
    await connected(await startSyncApp(namespace, { siteId: 'site-a' }));
    await suite.broker.withChannel((channel) => declareTopology(channel, names, ['site-a', 'site-b']));

    for (const exchange of [names.exchange, names.deadLetterExchange]) {
      expect(await suite.broker.exchangeExists(exchange)).toBe(true);
    }
    for (const queue of [
      names.hubQueue,
      names.deadLetterQueue,
      names.siteQueue('site-a'),
      names.siteQueue('site-b'),
    ]) {
      expect(await suite.broker.queueExists(queue)).toBe(true);
    }
  });

  it('makes the hub, site and dead-letter queues quorum queues', async () => {
    const deadLettering = { 'x-dead-letter-exchange': names.deadLetterExchange };
    for (const [queue, args] of [
      [names.hubQueue, deadLettering],
      [names.siteQueue('site-a'), deadLettering],
      [names.deadLetterQueue, {}],
    ] as const) {
      // Declaring an existing queue as another type fails with PRECONDITION_FAILED naming x-queue-type.
      const asClassic = suite.broker.withChannel((channel) =>
        channel.assertQueue(queue, { durable: true, arguments: { ...args, 'x-queue-type': 'classic' } }),
      );
      await expect(asClassic).rejects.toThrow(/PRECONDITION_FAILED.*x-queue-type/);
    }
  });

  it('routes every event to the hub by its origin and to an addressed site by its CC address only', async () => {
    const routed = syncNames(routedNamespace);
    await suite.broker.withChannel((channel) => declareTopology(channel, routed, ['site-a', 'site-b']));
    const content = Buffer.from('{}');
    await suite.broker.publish(routed.exchange, [
      { routingKey: 'origin.site-a.ObjectEvent', content, options: { CC: ['site.site-b'] } },
      { routingKey: 'origin.site-b.AggregationEvent', content, options: {} },
    ]);
    await eventually('both messages in the hub queue', async () =>
      (await suite.broker.depth(routed.hubQueue)) === 2 ? true : undefined,
    );
    expect(await suite.broker.depth(routed.siteQueue('site-b'))).toBe(1);
    expect(await suite.broker.depth(routed.siteQueue('site-a'))).toBe(0);
  });
});
