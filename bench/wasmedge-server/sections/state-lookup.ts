// Section 2: GET /epcs/{epc}/state over `epcs` tracked EPCs, maximum throughput (wrk, closed loop,
// one thread) of tracker-server.wasm against the Node service (as `npm start` runs it, TRACKING on,
// seeded with the same POST /capture documents), the WASI hello floor under the same runtime and
// the native C floor, both answering the same URLs with bodies of the state answer's size. Each
// figure is the median of `runs` runs after 1 s of unrecorded warm-up; lookups walk the seeded
// items in a scattered order and continue across runs, so none repeats.
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { LLVM_FREE_WASMEDGE } from '../artifacts.js';
import type { BenchContext, SectionResult } from '../bench-context.js';
import { trackedEpc } from '../dataset.js';
import { startHello, startNodeService, startTrackerServer } from '../servers.js';
import { answerBytes, EPCS_PER_DOCUMENT, type Measured, measured, seed, throughput } from './state-runs.js';

export async function stateLookupSection(ctx: BenchContext): Promise<SectionResult> {
  const { epcs, logLevel } = ctx.settings;
  const n = epcs.toLocaleString('en-US');
  console.error(`GET /epcs/{epc}/state over ${n} EPCs: seeding tracker-server`);
  const server = await measured(
    () => startTrackerServer(ctx.artifacts.serverGenericAot, ctx.freshDir('state-server'), ctx.logDir),
    async (s) => ({
      seedS: await seed(ctx, s),
      bytes: await answerBytes(s, epcs),
      runs: await throughput(ctx, s),
    }),
  );
  console.error('GET /epcs/{epc}/state: seeding the Node service');
  const node = await measured(
    () => startNodeService(ctx.freshDir('state-node'), ctx.logDir, logLevel),
    async (s) => ({
      seedS: await seed(ctx, s),
      bytes: await answerBytes(s, epcs),
      runs: await throughput(ctx, s),
    }),
  );
  const { helloGenericAot, helloNative } = ctx.artifacts;
  const hello = await measured(
    () => startHello('hello-wasi', LLVM_FREE_WASMEDGE, helloGenericAot, server.bytes, ctx.logDir),
    (s) => throughput(ctx, s),
  );
  const native = await measured(
    () => startHello('hello-native', null, helloNative, server.bytes, ctx.logDir),
    (s) => throughput(ctx, s),
  );
  const rps = (runs: Measured[]) => median(runs.map((r) => r.rps));
  const cpuUs = (runs: Measured[]) => median(runs.map((r) => r.serverCpuUsPerRequest));
  const [serverRps, nodeRps, helloRps, nativeRps] = [server.runs, node.runs, hello, native].map(rps) as [
    number,
    number,
    number,
    number,
  ];
  const label = `GET /epcs/{epc}/state, ${n} EPCs, ${ctx.settings.connections} connections (wrk)`;
  const rows: BenchRow[] = [
    {
      metric: `${label}: tracker-server`,
      value: serverRps,
      unit: 'req/s',
      ratio: serverRps / nodeRps,
      baseline: 'of the Node service',
      goal: '≥ 3× the Node service',
    },
    {
      metric: `${label}: tracker-server vs bare WASI hello`,
      value: serverRps,
      unit: 'req/s',
      ratio: serverRps / helloRps,
      baseline: 'of bare WASI hello',
      goal: '≥ 0.7× bare WASI hello',
    },
    { metric: `${label}: Node service (npm start form, TRACKING on)`, value: nodeRps, unit: 'req/s' },
    {
      metric: `floor: bare WASI hello server, LLVM-free runtime, ${server.bytes} B answers`,
      value: helloRps,
      unit: 'req/s',
    },
    {
      metric: `floor: native C server, ${server.bytes} B answers (wrk's own ceiling)`,
      value: nativeRps,
      unit: 'req/s',
      ratio: nativeRps / serverRps,
      baseline: 'of tracker-server',
    },
    {
      metric: 'GET /epcs/{epc}/state: server CPU per answer, tracker-server',
      value: cpuUs(server.runs),
      unit: 'µs',
      ratio: cpuUs(node.runs) / cpuUs(server.runs),
      baseline: 'less than the Node service',
    },
    {
      metric: 'GET /epcs/{epc}/state: server CPU per answer, Node service',
      value: cpuUs(node.runs),
      unit: 'µs',
    },
    { metric: 'server CPU per answer, bare WASI hello', value: cpuUs(hello), unit: 'µs' },
    { metric: 'server CPU per answer, native C', value: cpuUs(native), unit: 'µs' },
    {
      metric: 'wrk CPU while driving the native floor',
      value: median(native.map((r) => r.wrkCores)),
      unit: 'cores',
    },
    {
      metric: `seeding tracker-server: ${n} EPCs via POST /capture (${epcs / EPCS_PER_DOCUMENT} × 1000-event documents)`,
      value: server.seedS,
      unit: 's',
    },
    { metric: `seeding the Node service: the same documents`, value: node.seedS, unit: 's' },
  ];
  return {
    rows,
    notes: {
      example: trackedEpc(0),
      answerBytes: { server: server.bytes, node: node.bytes },
      server,
      node,
      hello,
      native,
    },
  };
}
