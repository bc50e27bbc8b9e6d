// Section 1: cold start, exec → first "HTTP/1.1 200" on GET /health, timed by the C prober
// (prober/cold-start-probe.c), which also reports the server's own CPU time to that answer (the
// figure that depends least on what else the shared machine runs). Rows: tracker-server.wasm
// (generic AOT, LLVM-free runtime) with an empty journal, with journalEvents journaled events, and
// from a snapshot of `epcs` EPCs; the floors: the WASI hello server under the LLVM-free runtime and
// under Debian's (AOT each), and the native C server (probing: cold-start-probes.ts).
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { DEBIAN_WASMEDGE, LLVM_FREE_WASMEDGE } from '../artifacts.js';
import type { BenchContext, SectionResult } from '../bench-context.js';
import { journalDir, snapshotDir } from '../setup/cold-start-data.js';
import { probeAll, type StartConfig, trackerServer } from './cold-start-probes.js';

export async function coldStartSection(ctx: BenchContext): Promise<SectionResult> {
  const s = ctx.settings;
  const { artifacts } = ctx;
  const events = s.journalEvents.toLocaleString('en-US');
  const epcs = s.epcs.toLocaleString('en-US');
  console.error(
    `cold start: a journal of ${events} events, then a snapshot of ${epcs} EPCs (via the sidecar)`,
  );
  const journal = await journalDir(ctx, s.journalEvents);
  const snapshot = await snapshotDir(ctx, s.epcs);
  const empty = ctx.freshDir('cold-empty');
  const hello = (runtime: string, module: string) => (port: number) => [
    runtime,
    module,
    '--port',
    String(port),
  ];
  const configs: StartConfig[] = [
    {
      label: 'tracker-server, LLVM-free runtime, empty journal',
      goal: '≤ 8 ms',
      command: trackerServer(ctx, empty),
    },
    {
      label: `tracker-server, LLVM-free runtime, ${events} journaled events`,
      goal: '≤ 50 ms',
      command: trackerServer(ctx, journal.dir),
    },
    ...('dir' in snapshot
      ? [
          {
            label: `tracker-server, LLVM-free runtime, snapshot of ${epcs} EPCs`,
            goal: '≤ 300 ms',
            command: trackerServer(ctx, snapshot.dir),
          },
        ]
      : []),
    {
      label: 'floor: WASI hello server, LLVM-free runtime (AOT)',
      command: hello(LLVM_FREE_WASMEDGE, artifacts.helloGenericAot),
    },
    {
      label: "floor: WASI hello server, Debian's WasmEdge (AOT)",
      command: hello(DEBIAN_WASMEDGE, artifacts.helloNativeAot),
    },
    {
      label: 'floor: native C server (epoll)',
      command: (port) => [artifacts.helloNative, '--port', String(port)],
    },
  ];
  const results = await probeAll(ctx, configs, s.coldRuns);
  const native = results[configs.length - 1]!;
  const rows: BenchRow[] = [];
  for (const [c, config] of configs.entries()) {
    const { samplesMs, cpuMs, firstFailure } = results[c]!;
    if (samplesMs.length === 0)
      throw new Error(`cold start of ${config.label} never answered: ${firstFailure}`);
    const goal = config.goal === undefined ? {} : { goal: `${config.goal} median` };
    const vsNative = (value: number, of: number[]) => ({
      ratio: value / median(of),
      baseline: 'of native C',
    });
    rows.push(
      {
        metric: `cold start: ${config.label}: median of ${samplesMs.length}`,
        value: median(samplesMs),
        unit: 'ms',
        ...vsNative(median(samplesMs), native.samplesMs),
        ...goal,
      },
      { metric: `cold start: ${config.label}: min`, value: Math.min(...samplesMs), unit: 'ms' },
      {
        metric: `cold start: ${config.label}: its CPU to the answer, median`,
        value: median(cpuMs),
        unit: 'ms',
        ...vsNative(median(cpuMs), native.cpuMs),
      },
    );
  }
  if ('gap' in snapshot) {
    rows.splice(6, 0, {
      metric: `cold start: tracker-server, snapshot of ${epcs} EPCs: not measured: ${snapshot.gap}`,
      value: NaN,
      unit: 'ms',
      goal: '≤ 300 ms median',
    });
  }
  return {
    rows,
    notes: {
      prober:
        'C (prober/cold-start-probe.c): posix_spawn, connect + GET /health retried every 50 µs, first 12 bytes compared; CPU from wait4 rusage',
      journal: { events: s.journalEvents, bytes: journal.bytes },
      snapshot,
      starts: Object.fromEntries(configs.map((config, c) => [config.label, results[c]])),
    },
  };
}
