// The broker topology, declared idempotently by every instance at every connect (asserting an
// existing exchange or queue with the same arguments is a no-op):
//
//   <ns>.events        durable topic exchange. Routing key origin.<site>.<EventType>; a message is
//                      also addressed to destination sites through its CC header site.<id>
//                      (sender-selected distribution), so one publish reaches the hub and them.
//   <ns>.hub           quorum queue bound to origin.# : every site's events, for the hub.
//   <ns>.site.<id>     quorum queue per site bound to site.<id>: events addressed to that site. Every
//                      publisher declares the queues of the sites it may address (SITE_ROUTES), so
//                      they are kept even while, or before, that site is online.
//   <ns>.dead-letter   fanout exchange + quorum queue for messages that can never be applied.
import type { Channel } from 'amqplib';

export interface SyncNames {
  exchange: string;
  hubQueue: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
  siteQueue(siteId: string): string;
}

export function syncNames(namespace: string): SyncNames {
  return {
    exchange: `${namespace}.events`,
    hubQueue: `${namespace}.hub`,
    deadLetterExchange: `${namespace}.dead-letter`,
    deadLetterQueue: `${namespace}.dead-letter`,
    siteQueue: (siteId) => `${namespace}.site.${siteId}`,
  };
}

/** Routing key of an event captured at `originSite`. Site ids hold no dots (parseSiteId). */
export const originRoutingKey = (originSite: string, eventType: string): string =>
  `origin.${originSite}.${eventType}`;

/** CC address that delivers a message to a site's queue. */
export const siteAddress = (siteId: string): string => `site.${siteId}`;

export const HUB_BINDING = 'origin.#';

function quorumQueueArguments(names: SyncNames): Record<string, unknown> {
  return { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': names.deadLetterExchange };
}

/** Declares the exchanges, the hub queue, the dead-letter queue and the queues of `siteIds`. */
export async function declareTopology(
  channel: Channel,
  names: SyncNames,
  siteIds: Iterable<string>,
): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  await channel.assertExchange(names.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.deadLetterQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, '');
  await channel.assertQueue(names.hubQueue, { durable: true, arguments: quorumQueueArguments(names) });
  await channel.bindQueue(names.hubQueue, names.exchange, HUB_BINDING);
  for (const siteId of new Set(siteIds)) {
    const queue = names.siteQueue(siteId);
    await channel.assertQueue(queue, { durable: true, arguments: quorumQueueArguments(names) });
    await channel.bindQueue(queue, names.exchange, siteAddress(siteId));
  }
}
