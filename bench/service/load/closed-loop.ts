// Closed-loop load generator process (autocannon): `connections` connections each send their next
// request as soon as the previous answer arrived, so the server runs flat out. Used for maximum
// throughput only; its latencies are queueing artefacts. Reads a ClosedLoopInput as JSON from
// argv[2], warms up unrecorded, then prints one ClosedLoopResult as JSON on stdout.
import autocannon from 'autocannon';
import { JSON_LD, type RequestStream, requestSource } from './request-source.js';
import type { GeneratorCpu } from './run-load.js';

export interface ClosedLoopInput {
  origin: string;
  stream: RequestStream;
  connections: number;
  durationS: number;
  warmupS: number;
  expectStatus: number;
}

export interface ClosedLoopResult extends GeneratorCpu {
  /** Requests taken from the stream, warm-up included: the next run starts after them. */
  issued: number;
  expected: number;
  other: Record<string, number>;
  errors: number;
  durationS: number;
  /** Answers with the expected status per second. */
  rps: number;
  /** CPU the generator itself used, in cores: near 1.0 means it, not the server, was the limit. */
  generatorCores: number;
}

const input = JSON.parse(process.argv[2]!) as ClosedLoopInput;
const next = requestSource(input.stream);
let k = 0;

function run(durationS: number) {
  return autocannon({
    url: input.origin,
    connections: input.connections,
    duration: durationS,
    timeout: 30,
    headers: { 'content-type': JSON_LD, accept: JSON_LD },
    requests: [
      {
        setupRequest: (request) => {
          const { method, path, body } = next(k++);
          return body === undefined ? { ...request, method, path } : { ...request, method, path, body };
        },
      },
    ],
  });
}

await run(input.warmupS);
const cpuBefore = process.cpuUsage();
const result = await run(input.durationS);
const cpu = process.cpuUsage(cpuBefore);
const expected = result.statusCodeStats[String(input.expectStatus)]?.count ?? 0;
const other = Object.fromEntries(
  Object.entries(result.statusCodeStats)
    .filter(([status]) => status !== String(input.expectStatus))
    .map(([status, { count }]) => [status, count]),
);
const lifetimeCpu = process.cpuUsage();
const output: ClosedLoopResult = {
  cpuSeconds: (lifetimeCpu.user + lifetimeCpu.system) / 1e6,
  issued: k,
  expected,
  other,
  errors: result.errors + result.timeouts,
  durationS: result.duration,
  rps: expected / result.duration,
  generatorCores: (cpu.user + cpu.system) / 1e6 / result.duration,
};
console.log(JSON.stringify(output));
