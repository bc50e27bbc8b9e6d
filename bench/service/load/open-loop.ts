// Open-loop load generator process: request i is due at start + i / rate whatever the server does,
// and its latency runs from that due time to the end of the answer, so a stalled server is charged
// for every request it held up (no coordinated omission). A 1 ms timer sends whatever is due, so the
// generator adds up to ~1 ms of send lag; the bare node:http run with the same generator shows that
// floor. Reads an OpenLoopInput from argv[2] and prints one OpenLoopResult as JSON on stdout.
import http from 'node:http';
import { percentile } from '../../lib/stats.js';
import { JSON_LD, type RequestStream, requestSource } from './request-source.js';
import type { GeneratorCpu } from './run-load.js';

export interface OpenLoopInput {
  origin: string;
  stream: RequestStream;
  ratePerS: number;
  durationS: number;
  /** Sent at the same rate first, not recorded: opens connections and warms the JIT. */
  warmupS: number;
  expectStatus: number;
  timeoutMs: number;
}

export interface OpenLoopResult extends GeneratorCpu {
  sent: number;
  expected: number;
  other: Record<string, number>;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** How late the generator sent requests after their due time (its own share of the latency). */
  sendLagP50Ms: number;
  sendLagP99Ms: number;
  achievedRps: number;
  generatorCores: number;
}

const input = JSON.parse(process.argv[2]!) as OpenLoopInput;
const next = requestSource(input.stream);
const url = new URL(input.origin);
// Enough sockets that a stall of a few hundred ms queues at the server, not in this agent.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const warmupCount = Math.round(input.warmupS * input.ratePerS);
const total = warmupCount + Math.round(input.durationS * input.ratePerS);
const latencies = new Float64Array(total - warmupCount);
const lags = new Float64Array(total - warmupCount);
const other: Record<string, number> = {};
let expected = 0;
let errors = 0;
let finished = 0;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function send(i: number, dueMs: number, done: () => void): void {
  const { method, path, body } = next(i);
  const headers: Record<string, string | number> = { accept: JSON_LD };
  if (body !== undefined) {
    headers['content-type'] = JSON_LD;
    headers['content-length'] = Buffer.byteLength(body);
  }
  const recorded = i >= warmupCount;
  if (recorded) lags[i - warmupCount] = nowMs() - dueMs;
  let settled = false;
  const settle = (status: number | null) => {
    if (settled) return;
    settled = true;
    if (recorded) {
      latencies[i - warmupCount] = status === null ? input.timeoutMs : nowMs() - dueMs;
      if (status === null) errors++;
      else if (status === input.expectStatus) expected++;
      else other[String(status)] = (other[String(status)] ?? 0) + 1;
    }
    done();
  };
  const request = http.request(
    { host: url.hostname, port: url.port, method, path, headers, agent, timeout: input.timeoutMs },
    (response) => {
      response.resume();
      response.on('end', () => settle(response.statusCode ?? 0));
      response.on('error', () => settle(null));
    },
  );
  request.on('timeout', () => request.destroy(new Error('timeout')));
  request.on('error', () => settle(null));
  request.end(body);
}

const cpuBefore = process.cpuUsage();
const startMs = nowMs();
let measuredStartMs = 0;
await new Promise<void>((resolve) => {
  const done = () => {
    if (++finished === total) resolve();
  };
  let i = 0;
  const timer = setInterval(() => {
    const now = nowMs();
    while (i < total && startMs + (i * 1000) / input.ratePerS <= now) {
      if (i === warmupCount) measuredStartMs = nowMs();
      send(i, startMs + (i * 1000) / input.ratePerS, done);
      i++;
    }
    if (i === total) clearInterval(timer);
  }, 1);
});
const elapsedS = (nowMs() - measuredStartMs) / 1000;
const cpu = process.cpuUsage(cpuBefore);
agent.destroy();
const samples = Array.from(latencies);
const lagSamples = Array.from(lags);
const lifetimeCpu = process.cpuUsage();
const output: OpenLoopResult = {
  cpuSeconds: (lifetimeCpu.user + lifetimeCpu.system) / 1e6,
  sent: samples.length,
  expected,
  other,
  errors,
  p50Ms: percentile(samples, 50),
  p99Ms: percentile(samples, 99),
  p999Ms: percentile(samples, 99.9),
  maxMs: percentile(samples, 100),
  sendLagP50Ms: percentile(lagSamples, 50),
  sendLagP99Ms: percentile(lagSamples, 99),
  achievedRps: expected / elapsedS,
  generatorCores: (cpu.user + cpu.system) / 1e6 / ((nowMs() - startMs) / 1000),
};
console.log(JSON.stringify(output));
