// Messages exactly as a site's relay would publish them, made without a site process: the real core
// prepares the documents, the real EventWriter stores them in a memory database with outbox rows,
// and the relay's own encoder turns the outbox entries into messages. A test then publishes them to
// the broker itself, as often and in whatever order it likes (duplicates, reordering).
import amqplib, { type Options } from 'amqplib';
import { eventsToStore } from '../../../../host/capture/stored-events.js';
import type { TrackerCore } from '../../../../host/core/gateway.js';
import { EventWriter } from '../../../../host/store/event-writer.js';
import { openDatabase } from '../../../../host/store/open-database.js';
import { Outbox } from '../../../../host/store/outbox.js';
import { encodeEventMessage } from '../../../../host/sync/event-message.js';
import { SiteRoutes } from '../../../../host/sync/site-routes.js';
import { syncNames } from '../../../../host/sync/topology.js';

export interface GhostMessage {
  eventId: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/** The messages `originSite` would publish for `documents`, in capture order. */
export function ghostMessages(
  core: TrackerCore,
  originSite: string,
  documents: readonly string[],
  routes: Record<string, string>,
): GhostMessage[] {
  const db = openDatabase({ path: ':memory:', synchronous: 'NORMAL' });
  try {
    const writer = new EventWriter(db);
    const siteRoutes = SiteRoutes.fromObject(routes, core, 'test routes');
    for (const text of documents) {
      const body = Buffer.from(text);
      const result = core.prepare(body);
      core.discard(result.batchId);
      if (result.issues.length > 0)
        throw new Error(`ghost document refused: ${JSON.stringify(result.issues[0])}`);
      const rows = eventsToStore(body, result, {
        recordTimeMs: Date.now(),
        captureId: null,
        originSite,
        enqueueForSync: true,
      });
      db.transaction(() => rows.forEach((row) => writer.write(row)))();
    }
    const outbox = new Outbox(db);
    return outbox.unsent(1_000_000).map((entry) => {
      const message = encodeEventMessage(entry, siteRoutes.sitesFor(entry));
      return { eventId: entry.eventId, ...message };
    });
  } finally {
    db.close();
  }
}

/** Publishes `messages` in the given order on a confirm channel and waits for every confirm. */
export async function publishDirectly(
  brokerUrl: string,
  namespace: string,
  messages: readonly GhostMessage[],
): Promise<void> {
  const connection = await amqplib.connect(brokerUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const exchange = syncNames(namespace).exchange;
    for (const message of messages)
      channel.publish(exchange, message.routingKey, message.content, message.options);
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

/** Messages waiting in a queue and its consumers, seen from a connection of the test's own. */
export async function queueState(
  brokerUrl: string,
  queue: string,
): Promise<{ messageCount: number; consumerCount: number }> {
  const connection = await amqplib.connect(brokerUrl);
  try {
    const channel = await connection.createChannel();
    const { messageCount, consumerCount } = await channel.checkQueue(queue);
    return { messageCount, consumerCount };
  } finally {
    await connection.close();
  }
}
