// Live-feed subscriber process: `subscribers` node:http clients each hold GET /events/stream open
// (no Last-Event-ID: the feed starts at the head, before the first benchmark event is captured).
// Each SSE frame carries the event's benchmark number and the generator's send time (extension
// fields bench:n and bench:sentAt, process.hrtime ms); delivery latency is the arrival of the chunk
// holding the frame minus that send time, on the same monotonic clock. Every subscriber must get
// every stored event exactly once, in increasing id order: misses, repeats and reorders are
// counted. Protocol (IPC): sends {ready} once all streams answered 200; 'start' marks the CPU
// window; {finish: stored} (all events sent; `stored` of them were stored, a request that timed
// out may not have been) waits until every subscriber has `stored` distinct events, or `drainMs`
// without progress, then sends one SubscribersResult and exits.
import http from 'node:http';
import { percentile } from '../../lib/stats.js';

export interface SubscribersInput {
  origin: string;
  subscribers: number;
  /** Events the generator sends, warm-up included: bench:n runs 0 … expected - 1. */
  sent: number;
  /** Latency is recorded for bench:n ≥ measuredFrom (after the generator's warm-up). */
  measuredFrom: number;
  drainMs: number;
}

export interface SubscribersResult {
  subscribers: number;
  /** Events the service stored (edgetrace_captured_events_total): what each subscriber must get. */
  storedPerSubscriber: number;
  delivered: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  /** Subscribers that got every event exactly once. */
  complete: number;
  latencySamples: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Cores this process used between 'start' and the end of the drain. */
  subscriberCores: number;
  drainedMs: number;
}

const input = JSON.parse(process.argv[2]!) as SubscribersInput;
const send = (message: unknown) => process.send!(message);
const perSubscriber = input.sent - input.measuredFrom;
const latencies = new Float64Array(input.subscribers * Math.max(0, perSubscriber));
const seen = new Uint8Array(input.subscribers * input.sent);
const distinct = new Uint32Array(input.subscribers);
let latencyCount = 0;
let delivered = 0;
let duplicates = 0;
let outOfOrder = 0;
const streams: http.ClientRequest[] = [];
const N_FIELD = /"bench:n":(\d+)/;
const SENT_FIELD = /"bench:sentAt":([0-9.e+-]+)/;
const ID_LINE = /^id: *(\d+)$/m;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function onFrame(subscriber: number, frame: string, arrivedMs: number, lastId: { seq: number }): void {
  const n = N_FIELD.exec(frame);
  if (n === null) return; // a ": ping" comment or an event another run sent
  const k = Number(n[1]);
  const id = ID_LINE.exec(frame);
  if (id !== null) {
    const seq = Number(id[1]);
    if (seq <= lastId.seq) outOfOrder++;
    lastId.seq = seq;
  }
  if (k >= input.sent) return;
  const slot = subscriber * input.sent + k;
  if (seen[slot]! > 0) {
    duplicates++;
    return;
  }
  seen[slot] = 1;
  distinct[subscriber]!++;
  delivered++;
  const sent = SENT_FIELD.exec(frame);
  if (k >= input.measuredFrom && sent !== null) latencies[latencyCount++] = arrivedMs - Number(sent[1]);
}

function subscribe(subscriber: number): Promise<void> {
  const url = new URL(input.origin);
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: url.hostname,
        port: url.port,
        path: '/events/stream',
        agent: false,
        headers: { accept: 'text/event-stream' },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET /events/stream answered ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        let buffer = '';
        const lastId = { seq: 0 };
        response.on('data', (chunk: string) => {
          const arrivedMs = nowMs();
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            onFrame(subscriber, buffer.slice(0, end), arrivedMs, lastId);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
          }
        });
        resolve();
      },
    );
    request.on('error', reject);
    streams.push(request);
  });
}

async function drain(stored: number): Promise<number> {
  const started = nowMs();
  const target = input.subscribers * stored;
  let last = delivered;
  let lastProgress = started;
  while (delivered < target) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (delivered !== last) {
      last = delivered;
      lastProgress = nowMs();
    } else if (nowMs() - lastProgress > input.drainMs) break;
  }
  return nowMs() - started;
}

let cpuAtStart = process.cpuUsage();
let startedMs = nowMs();
process.on('message', (message: 'start' | { finish: number }) => {
  if (message === 'start') {
    cpuAtStart = process.cpuUsage();
    startedMs = nowMs();
  } else {
    const stored = message.finish;
    void drain(stored).then((drainedMs) => {
      const cpu = process.cpuUsage(cpuAtStart);
      const cores = (cpu.user + cpu.system) / 1e3 / (nowMs() - startedMs);
      for (const stream of streams) stream.destroy();
      // Each subscriber can only have got stored events, so `stored` distinct ones are all of them.
      const complete = distinct.filter((count) => count === stored).length;
      const samples = Array.from(latencies.subarray(0, latencyCount));
      const result: SubscribersResult = {
        subscribers: input.subscribers,
        storedPerSubscriber: stored,
        delivered,
        missing: input.subscribers * stored - delivered,
        duplicates,
        outOfOrder,
        complete,
        latencySamples: latencyCount,
        p50Ms: samples.length > 0 ? percentile(samples, 50) : NaN,
        p99Ms: samples.length > 0 ? percentile(samples, 99) : NaN,
        p999Ms: samples.length > 0 ? percentile(samples, 99.9) : NaN,
        maxMs: samples.length > 0 ? percentile(samples, 100) : NaN,
        subscriberCores: cores,
        drainedMs,
      };
      send(result);
      process.disconnect();
    });
  }
});

await Promise.all(Array.from({ length: input.subscribers }, (_, s) => subscribe(s))).then(
  () => send({ ready: true }),
  (error: unknown) => send({ error: String(error) }),
);
