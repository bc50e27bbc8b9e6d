// The real RabbitMQ broker for sync tests (127.0.0.1:5672, started or installed by
// scripts/ensure-rabbitmq.sh when missing): a unique namespace per test run so runs never share an
// exchange or queue, cleanup that deletes what a run declared, and small channel helpers.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { syncNames } from '../../host/sync/topology.js';
import { REPO_ROOT } from './service-process.js';

export const BROKER_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** A namespace (exchange and queue name prefix) no other run uses. */
export function uniqueNamespace(label: string): string {
  return `et-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

async function tryConnect(): Promise<ChannelModel | null> {
  try {
    return await amqp.connect(BROKER_URL);
  } catch {
    return null;
  }
}

/** Connects to the test broker, starting (or installing) it first when it does not answer. */
export async function connectBroker(): Promise<ChannelModel> {
  const first = await tryConnect();
  if (first !== null) return first;
  const setup = spawnSync('bash', [join(REPO_ROOT, 'scripts/ensure-rabbitmq.sh')], { encoding: 'utf8' });
  const second = await tryConnect();
  if (second !== null) return second;
  throw new Error(
    `RabbitMQ is not reachable at 127.0.0.1:5672 and scripts/ensure-rabbitmq.sh could not provide it:\n${setup.stdout}${setup.stderr}`,
  );
}

/**
 * Deletes every queue and exchange sync declares under `namespace` for these sites, so test runs
 * leave nothing growing on the shared broker. A channel per deletion: a failed one closes its channel.
 */
export async function deleteSyncObjects(
  connection: ChannelModel,
  namespace: string,
  siteIds: readonly string[],
): Promise<void> {
  const names = syncNames(namespace);
  const deleteWith = async (remove: (channel: Channel) => Promise<unknown>) => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await remove(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };
  const queues = [names.hubQueue, names.deadLetterQueue, ...siteIds.map((id) => names.siteQueue(id))];
  for (const queue of queues)
    await deleteWith((channel) => channel.deleteQueue(queue)).catch(() => undefined);
  for (const exchange of [names.exchange, names.deadLetterExchange])
    await deleteWith((channel) => channel.deleteExchange(exchange)).catch(() => undefined);
}

/** A broker connection for a test file: channel helpers and cleanup of the namespaces it used. */
export class TestBroker {
  private constructor(private readonly model: ChannelModel) {}

  static async connect(): Promise<TestBroker> {
    return new TestBroker(await connectBroker());
  }

  /** Runs `work` on a fresh channel (a failed broker operation closes only that channel). */
  async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.model.createChannel();
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Messages waiting in a queue (0 when it does not exist). */
  async depth(queue: string): Promise<number> {
    return this.withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount).catch(() => 0);
  }

  async queueExists(queue: string): Promise<boolean> {
    return this.withChannel(async (channel) => (await channel.checkQueue(queue), true)).catch(() => false);
  }

  async exchangeExists(exchange: string): Promise<boolean> {
    return this.withChannel(async (channel) => (await channel.checkExchange(exchange), true)).catch(
      () => false,
    );
  }

  /** Takes (and acks) up to `max` messages from a queue. */
  async take(queue: string, max = 10_000): Promise<GetMessage[]> {
    return this.withChannel(async (channel) => {
      const messages: GetMessage[] = [];
      while (messages.length < max) {
        const message = await channel.get(queue, { noAck: true });
        if (message === false) break;
        messages.push(message);
      }
      return messages;
    });
  }

  /** Publishes raw messages to an exchange over a confirm channel and waits for the confirms. */
  async publish(
    exchange: string,
    messages: { routingKey: string; content: Buffer; options: amqp.Options.Publish }[],
  ): Promise<void> {
    const channel = await this.model.createConfirmChannel();
    try {
      for (const m of messages) channel.publish(exchange, m.routingKey, m.content, m.options);
      await channel.waitForConfirms();
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Deletes every queue and exchange of a namespace that sync declares for these sites. */
  deleteNamespace(namespace: string, siteIds: readonly string[]): Promise<void> {
    return deleteSyncObjects(this.model, namespace, siteIds);
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }
}

/** Polls `check` until it returns a value other than undefined, or fails naming what was awaited. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
