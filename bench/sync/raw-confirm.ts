// The ceiling the relay is compared with: bare amqplib on a confirm channel, publishing persistent
// messages of the relay's size into the same topology the service declares (host/sync/topology.ts:
// durable topic exchange → the hub's quorum queue) on the same broker, with nothing else to do (no
// SQLite, no outbox). A sliding window keeps
// `window` messages unconfirmed; the best window of those tried is the ceiling. Nothing consumes, and
// the queue is not purged between windows: it grows as the hub queue does while a relay drains a
// backlog with the hub away, so both are measured against a queue of similar depth. Runs as a process of
// its own: reads a RawConfirmInput from argv[2], prints one RawConfirmResult as JSON on stdout.
import amqplib from 'amqplib';
import type { OutboxEntry } from '../../host/store/outbox.js';
import { encodeEventMessage } from '../../host/sync/event-message.js';
import { declareTopology, syncNames } from '../../host/sync/topology.js';
import { singleEvent } from '../service/payloads.js';
import { publishWindowed } from './windowed-publish.js';

export interface RawConfirmInput {
  amqpUrl: string;
  /** Exchange and queue names start with this; all are deleted afterwards. */
  namespace: string;
  messages: number;
  windows: number[];
  /** Messages of each window size sent first and not timed. */
  warmup: number;
}

export interface RawWindowResult {
  window: number;
  messages: number;
  seconds: number;
  messagesPerS: number;
}

export interface RawConfirmResult {
  messageBytes: number;
  runs: RawWindowResult[];
  best: RawWindowResult;
  cpuSeconds: number;
}

const input = JSON.parse(process.argv[2]!) as RawConfirmInput;
const connection = await amqplib.connect(input.amqpUrl);
const channel = await connection.createConfirmChannel();
const names = syncNames(input.namespace);
await declareTopology(channel, names, []);
const exchange = names.exchange;
const queue = names.hubQueue;

// The very messages the relay sends for the bench's events: its own encoder, fed outbox entries of
// the bench data shape, so body, properties and headers weigh what the relay's do.
const messages = Array.from({ length: 64 }, (_, i) => {
  const event = JSON.parse(singleEvent(i)) as Record<string, unknown>;
  const context = JSON.stringify(event['@context']);
  delete event['@context'];
  const entry: OutboxEntry = {
    seq: i + 1,
    enqueuedMs: Date.now(),
    eventId: `ni:///sha-256;${i.toString(16).padStart(64, '0')}?ver=CBV2.0`,
    hashId: `ni:///sha-256;${i.toString(16).padStart(64, '0')}?ver=CBV2.0`,
    eventType: 'ObjectEvent',
    isDeclaration: false,
    declarationTimeMs: null,
    recordTimeMs: Date.now(),
    originSite: 'bench-site',
    bizLocation: null,
    destinations: [],
    contextJson: context,
    body: JSON.stringify(event),
  };
  return encodeEventMessage(entry, []);
});
const messageAt = (n: number) => messages[n % messages.length]!;

const runs: RawWindowResult[] = [];
let offset = 0;
for (const window of input.windows) {
  await publishWindowed(channel, exchange, input.warmup, window, (i) => messageAt(offset + i));
  offset += input.warmup;
  const started = performance.now();
  await publishWindowed(channel, exchange, input.messages, window, (i) => messageAt(offset + i));
  const seconds = (performance.now() - started) / 1000;
  offset += input.messages;
  runs.push({ window, messages: input.messages, seconds, messagesPerS: input.messages / seconds });
}
await channel.deleteQueue(queue);
await channel.deleteQueue(names.deadLetterQueue);
await channel.deleteExchange(exchange);
await channel.deleteExchange(names.deadLetterExchange);
await connection.close();
const cpu = process.cpuUsage();
const best = runs.reduce((a, b) => (b.messagesPerS > a.messagesPerS ? b : a));
const result: RawConfirmResult = {
  messageBytes: messages[0]!.content.length,
  runs,
  best,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
};
console.log(JSON.stringify(result));
