// npm run bench:crun — cold start of the wasm image under crun (issue 11): `crun run` → first 200 to
// GET /health, BENCH_CRUN_RUNS (20) runs each with Debian trixie's libwasmedge0 (links libLLVM) and
// with the LLVM-free libwasmedge.so.0 of `scripts/build-wasmedge-runtime.sh --shared` (crun's dlopen
// pointed at it by LD_LIBRARY_PATH; every run checks in /proc/<pid>/maps which library it got), the
// two taking turns. On a host with hybrid cgroups every crun call pays for a private mount namespace
// and a cgroup2 remount (scripts/crun/crun-container.ts); that workaround is timed on its own with a
// no-op (`true`) so it can be subtracted. Run as root. Writes bench/results/crun-cold-start-<time>.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CrunOptions,
  hasHybridCgroups,
  workaroundCommandLine,
} from '../../scripts/crun/crun-container.js';
import { ensureWasmImage } from '../../scripts/crun/ensure-wasm-image.js';
import { type BenchRow, report } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { type StartSample, timedCommand, timedStart } from './crun-start.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNS = Number(process.env['BENCH_CRUN_RUNS'] ?? 20);
const SERVER_WASM = process.env['EDGETRACE_SERVER_WASM'] ?? join(REPO_ROOT, 'build/tracker-server.wasm');

const script = (name: string, ...args: string[]): string =>
  execFileSync('bash', [join(REPO_ROOT, 'scripts', name), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();

const crun = script('ensure-crun.sh', '--print-path');
const llvmFreeLib = dirname(script('build-wasmedge-runtime.sh', '--shared', '--print-path'));
const image = ensureWasmImage(REPO_ROOT, SERVER_WASM);
const work = mkdtempSync(join(tmpdir(), 'edgetrace-bench-crun-'));
const stateDir = join(work, 'crun-state');
// Debian's library is the one crun finds without LD_LIBRARY_PATH.
const baseEnv: NodeJS.ProcessEnv = { ...process.env };
delete baseEnv['LD_LIBRARY_PATH'];
const CONFIGS: { name: string; options: CrunOptions; wantLlvm: boolean }[] = [
  { name: 'Debian libwasmedge0 (libLLVM)', options: { crun, stateDir, env: baseEnv }, wantLlvm: true },
  {
    name: 'LLVM-free libwasmedge.so',
    options: { crun, stateDir, env: { ...baseEnv, LD_LIBRARY_PATH: llvmFreeLib } },
    wantLlvm: false,
  },
];

const loadAtStart = loadavg();
console.error(
  `bench:crun: ${RUNS} runs per configuration, crun ${crun}, load ${loadAtStart.map((l) => l.toFixed(2))}`,
);
const samples = new Map<string, StartSample[]>(CONFIGS.map((c) => [c.name, []]));
const workaround: number[] = [];
const bareNoop: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    for (const config of CONFIGS) {
      const sample = await timedStart(image, config.options, join(work, `run-${run}`), `bench-crun-${run}`);
      if (!sample.aotMapped) throw new Error(`${config.name}: no AOT code mapped (the interpreter ran)`);
      if (sample.libLlvmMapped !== config.wantLlvm) {
        throw new Error(
          `${config.name}: libLLVM ${sample.libLlvmMapped ? '' : 'not '}mapped (${sample.libwasmedge})`,
        );
      }
      samples.get(config.name)!.push(sample);
    }
    const [file, argv] = workaroundCommandLine(['true']);
    workaround.push(timedCommand(file, argv));
    bareNoop.push(timedCommand('true', []));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const rows: BenchRow[] = [];
const notes: Record<string, unknown> = {
  runs: RUNS,
  crun,
  llvmFreeLib,
  serverWasm: SERVER_WASM,
  loadAtStart,
};
for (const config of CONFIGS) {
  const ms = samples.get(config.name)!.map((s) => s.ms);
  rows.push({ metric: `crun run → first 200, ${config.name}, min`, value: Math.min(...ms), unit: 'ms' });
  rows.push({ metric: `crun run → first 200, ${config.name}, median`, value: median(ms), unit: 'ms' });
  notes[config.name] = { libwasmedge: samples.get(config.name)![0]?.libwasmedge, samplesMs: ms };
}
const workaroundName = hasHybridCgroups()
  ? 'hybrid cgroups: used by every crun call'
  : 'not needed on this host';
rows.push({ metric: 'namespace workaround + no-op, min', value: Math.min(...workaround), unit: 'ms' });
rows.push({ metric: 'namespace workaround + no-op, median', value: median(workaround), unit: 'ms' });
rows.push({ metric: 'bare no-op (`true`) spawn, median', value: median(bareNoop), unit: 'ms' });
notes['workaround'] = { when: workaroundName, samplesMs: workaround, bareNoopMs: bareNoop };
notes['loadAtEnd'] = loadavg();
notes['method'] = [
  'Each run: a fresh bundle and empty data volume; crun run spawned → first "HTTP/1.1 200" on a raw socket (2 ms retry).',
  'The two libraries take turns; the container is removed (crun delete --force) after each run.',
  'The workaround row runs unshare + cgroup2 remount + `true`: subtract it (less the bare spawn) from a start.',
];
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
report(`crun-cold-start-${stamp}`, rows, notes);
console.log(
  `\nmachine: ${cpus().length} cores, load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`,
);
