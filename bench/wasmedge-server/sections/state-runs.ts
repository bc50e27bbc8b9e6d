// The runs behind the state-lookup section: seeding a server with the state documents, checking its
// answers, and wrk runs with the server's CPU measured over each (CPU per answer is the steadier
// figure on a shared machine). Lookups continue across runs, so none repeats.
import { median } from '../../lib/stats.js';
import type { BenchContext } from '../bench-context.js';
import { EVENTS_PER_DOCUMENT, SEED_EPCS_PER_EVENT, statePath } from '../dataset.js';
import { runWrk, type WrkResult } from '../load/wrk.js';
import { cpuSeconds, type Running } from '../processes.js';

export const EPCS_PER_DOCUMENT = EVENTS_PER_DOCUMENT * SEED_EPCS_PER_EVENT;

/** Seeds a server with the state documents (2 clients); the seconds it took. */
export async function seed(ctx: BenchContext, server: Running): Promise<number> {
  const started = performance.now();
  await ctx.capture({
    origin: server.origin,
    kind: 'seed',
    first: 0,
    documents: ctx.settings.epcs / EPCS_PER_DOCUMENT,
    warmupDocuments: 0,
    concurrency: 2,
  });
  return (performance.now() - started) / 1000;
}

/** Checks lookups at the far end of the order name their item; the answer size in bytes. */
export async function answerBytes(server: Running, epcs: number): Promise<number> {
  const sizes: number[] = [];
  for (let k = epcs - 4; k < epcs; k++) {
    const response = await fetch(`${server.origin}${statePath(k, epcs)}`, {
      headers: { accept: 'application/ld+json' },
    });
    const body = await response.text();
    const item = statePath(k, epcs).split('/')[2]!;
    if (response.status !== 200 || !body.includes(item.slice(item.lastIndexOf('.') + 1))) {
      throw new Error(`${server.name} GET ${statePath(k, epcs)}: ${response.status} ${body.slice(0, 300)}`);
    }
    sizes.push(Buffer.byteLength(body));
  }
  return Math.round(median(sizes));
}

let nextLookup = 0;

/** A wrk run and the server's CPU over it: on a shared machine, CPU per answer is the steadier figure. */
export type Measured = WrkResult & { serverCores: number; serverCpuUsPerRequest: number };

export async function throughput(ctx: BenchContext, server: Running): Promise<Measured[]> {
  const { epcs, connections, throughputS, runs, workDir } = ctx.settings;
  const run = (seconds: number) => {
    const first = nextLookup;
    nextLookup += 2_000_000;
    return runWrk(server.origin, workDir, { first, epcs }, connections, seconds);
  };
  await run(1);
  const results: Measured[] = [];
  for (let r = 0; r < runs; r++) {
    const cpuBefore = cpuSeconds(server.pid);
    const wrk = await run(throughputS);
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    const result = {
      ...wrk,
      serverCores: cpu / wrk.seconds,
      serverCpuUsPerRequest: (cpu / wrk.requests) * 1e6,
    };
    if (result.non2xx > 0 || result.socketErrors > 0) {
      throw new Error(
        `${server.name}: ${result.non2xx} answers not 2xx, ${result.socketErrors} socket errors`,
      );
    }
    results.push(result);
  }
  return results;
}

export async function measured<T>(
  start: () => Promise<Running>,
  body: (server: Running) => Promise<T>,
): Promise<T> {
  const server = await start();
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}
