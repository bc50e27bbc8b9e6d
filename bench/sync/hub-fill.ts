// Fills a hub queue for the hub-ingest section: reads the first `events` outbox entries of the
// backlog store, encodes them with the relay's own encoder and publishes them with bare amqplib on
// a confirm channel (windowed-publish.ts) into the topology the service declares. The time this
// takes is the section's baseline: raw confirm-channel publish of the very messages the hub then
// stores. The queue is left filled. Runs as a process of its own: reads a HubFillInput from
// argv[2], prints one HubFillResult as JSON on stdout.
import amqplib from 'amqplib';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { encodeEventMessage, type OutgoingMessage } from '../../host/sync/event-message.js';
import { declareTopology, syncNames } from '../../host/sync/topology.js';
import { Outbox } from '../../host/store/outbox.js';
import { publishWindowed } from './windowed-publish.js';

export interface HubFillInput {
  amqpUrl: string;
  namespace: string;
  /** A backlog store's data dir (backlog.ts), opened read-only. */
  backlogDir: string;
  events: number;
  window: number;
}

export interface HubFillResult {
  messages: number;
  messageBytes: number;
  /** Reading and encoding the entries, before any publish. */
  encodeSeconds: number;
  publishSeconds: number;
  messagesPerS: number;
}

const input = JSON.parse(process.argv[2]!) as HubFillInput;
const encodeStarted = performance.now();
const db = new Database(join(input.backlogDir, 'edgetrace.db'), { readonly: true, fileMustExist: true });
const outbox = new Outbox(db);
const messages: OutgoingMessage[] = [];
for (let cursor = 0; messages.length < input.events;) {
  const entries = outbox.unsentAfter(cursor, Math.min(5000, input.events - messages.length));
  if (entries.length === 0) break;
  for (const entry of entries) messages.push(encodeEventMessage(entry, []));
  cursor = entries[entries.length - 1]!.seq;
}
db.close();
if (messages.length < input.events) {
  throw new Error(`the backlog holds ${messages.length} unsent events, not ${input.events}`);
}
const encodeSeconds = (performance.now() - encodeStarted) / 1000;

const connection = await amqplib.connect(input.amqpUrl);
const channel = await connection.createConfirmChannel();
const names = syncNames(input.namespace);
await declareTopology(channel, names, []);
const started = performance.now();
await publishWindowed(channel, names.exchange, messages.length, input.window, (i) => messages[i]!);
const publishSeconds = (performance.now() - started) / 1000;
await connection.close();
const result: HubFillResult = {
  messages: messages.length,
  messageBytes: messages[0]!.content.length,
  encodeSeconds,
  publishSeconds,
  messagesPerS: messages.length / publishSeconds,
};
console.log(JSON.stringify(result));
