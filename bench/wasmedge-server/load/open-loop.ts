// Open-loop POST /events generator, a process of its own: event i is due at start + i / rate
// whatever the server does, and its latency runs from that due time to the end of the answer, so a
// stall is charged to every request it delayed (no coordinated omission). Raw keep-alive sockets
// with requests encoded before the clock starts and a minimal answer parser, not node:http: on a
// shared 2-core machine node:http's per-request cost (~100 µs) let the generator fall seconds
// behind at 2,000/s. A 1 ms timer sends what is due; the bare WASI server measured with this same
// generator in the same run shows its share (send lag is reported too).
// Reads an OpenLoopInput from argv[2], prints one OpenLoopResult as JSON on stdout.
import { connect, type Socket } from 'node:net';
import { percentile } from '../../lib/stats.js';
import { singleEvent } from '../dataset.js';

export interface OpenLoopInput {
  origin: string;
  /** Serial of the first event; every request carries a new one. */
  first: number;
  ratePerS: number;
  durationS: number;
  /** Sent at the same rate first and not recorded: opens connections, warms the JIT. */
  warmupS: number;
  expectStatus: number;
  timeoutMs: number;
}

export interface OpenLoopResult {
  sent: number;
  expected: number;
  other: Record<string, number>;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  sendLagP99Ms: number;
  generatorCores: number;
}

const input = JSON.parse(process.argv[2]!) as OpenLoopInput;
const url = new URL(input.origin);
const MAX_CONNECTIONS = 256;
const warmup = Math.round(input.warmupS * input.ratePerS);
const total = warmup + Math.round(input.durationS * input.ratePerS);
const latencies = new Float64Array(total - warmup);
const lags = new Float64Array(total - warmup);
const other: Record<string, number> = {};
let expected = 0;
let errors = 0;
let finished = 0;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const requests = Array.from({ length: total }, (_, i) => {
  const body = Buffer.from(singleEvent(input.first + i));
  const head =
    `POST /events HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/ld+json\r\n` +
    `accept: application/ld+json\r\ncontent-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
});

interface Connection {
  socket: Socket;
  buffer: Buffer;
  /** The request in flight (one at a time, no pipelining) and its due time, or -1. */
  current: number;
  dueMs: number;
}

const idle: Connection[] = [];
const waiting: { i: number; dueMs: number }[] = [];
let open = 0;
let resolveAll: () => void = () => {};

function settle(i: number, dueMs: number, status: number | null): void {
  if (i >= warmup) {
    latencies[i - warmup] = status === null ? input.timeoutMs : nowMs() - dueMs;
    if (status === null) errors++;
    else if (status === input.expectStatus) expected++;
    else other[String(status)] = (other[String(status)] ?? 0) + 1;
  }
  if (++finished === total) resolveAll();
}

/** The length of the first complete answer in `b` and its status, or null while incomplete. */
function answer(b: Buffer): [number, number] | null {
  const headEnd = b.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const head = b.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = b.indexOf('\r\n0\r\n\r\n', headEnd);
    return end < 0 ? null : [end + 7, status];
  }
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
  return b.length >= headEnd + 4 + length ? [headEnd + 4 + length, status] : null;
}

function send(c: Connection, i: number, dueMs: number): void {
  c.current = i;
  c.dueMs = dueMs;
  if (i >= warmup) lags[i - warmup] = nowMs() - dueMs;
  c.socket.write(requests[i]!);
}

function release(c: Connection): void {
  c.current = -1;
  const next = waiting.shift();
  if (next === undefined) idle.push(c);
  else send(c, next.i, next.dueMs);
}

function openConnection(): Connection {
  open++;
  const c: Connection = {
    socket: connect(Number(url.port), url.hostname),
    buffer: Buffer.alloc(0),
    current: -1,
    dueMs: 0,
  };
  c.socket.setNoDelay(true);
  c.socket.setTimeout(input.timeoutMs, () => c.socket.destroy());
  c.socket.on('data', (chunk: Buffer) => {
    c.buffer = c.buffer.length === 0 ? chunk : Buffer.concat([c.buffer, chunk]);
    const done = answer(c.buffer);
    if (done === null || c.current < 0) return;
    c.buffer = c.buffer.subarray(done[0]);
    settle(c.current, c.dueMs, done[1]);
    release(c);
  });
  c.socket.on('error', () => {});
  c.socket.on('close', () => {
    open--;
    const index = idle.indexOf(c);
    if (index >= 0) idle.splice(index, 1);
    if (c.current >= 0) settle(c.current, c.dueMs, null);
    c.current = -1;
  });
  return c;
}

function dispatch(i: number, dueMs: number): void {
  const c = idle.pop() ?? (open < MAX_CONNECTIONS ? openConnection() : undefined);
  if (c === undefined) waiting.push({ i, dueMs });
  else send(c, i, dueMs);
}

const cpuBefore = process.cpuUsage();
const startMs = nowMs();
await new Promise<void>((resolve) => {
  resolveAll = resolve;
  let i = 0;
  const timer = setInterval(() => {
    const now = nowMs();
    while (i < total && startMs + (i * 1000) / input.ratePerS <= now) {
      dispatch(i, startMs + (i * 1000) / input.ratePerS);
      i++;
    }
    if (i === total) clearInterval(timer);
  }, 1);
});
const cpu = process.cpuUsage(cpuBefore);
for (const c of idle) c.socket.destroy();
const samples = Array.from(latencies);
const output: OpenLoopResult = {
  sent: samples.length,
  expected,
  other,
  errors,
  p50Ms: percentile(samples, 50),
  p99Ms: percentile(samples, 99),
  p999Ms: percentile(samples, 99.9),
  maxMs: percentile(samples, 100),
  sendLagP99Ms: percentile(Array.from(lags), 99),
  generatorCores: (cpu.user + cpu.system) / 1e6 / ((nowMs() - startMs) / 1000),
};
console.log(JSON.stringify(output));
