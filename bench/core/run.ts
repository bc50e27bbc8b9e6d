// npm run bench:core — throughput and footprint of tracker.wasm, with the floors measured in the
// same run: JSON.parse of the same bytes, Node's native SHA-256 over the same pre-hash strings,
// the same with OpenSSL's portable code where the CPU has SHA instructions (Wasm has none), and V8
// vs WasmEdge AOT on the same document. Prints a table, writes bench/results/core.{json,md}.
import { execFileSync, spawnSync } from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TrackerCore } from '../../host/core/gateway.js';
import { locateTrackerWasm } from '../../host/core/wasm-module.js';
import { instantiateTracker } from '../../host/core/wasm-instance.js';
import { median, timeRuns } from '../lib/stats.js';
import { type BenchRow, report } from '../lib/report.js';
import { document } from './documents.js';

const RUNS = 7;
const rows: BenchRow[] = [];
const notes: Record<string, unknown> = {};
const core = await TrackerCore.load();

function eventsPerSecond(docs: Uint8Array[], eventsPerDoc: number, body: (doc: Uint8Array) => void): number {
  const samples = timeRuns(RUNS, 2, () => {
    core.resetState();
    for (const doc of docs) body(doc);
  });
  return (docs.length * eventsPerDoc) / (median(samples) / 1000);
}

// --- capture throughput in Node (prepare + commit = parse, validate, normalise, hash, index) ---
const large = Array.from({ length: 20 }, (_, d) => document(d * 1000, 1000, 4));
const small = Array.from({ length: 5000 }, (_, d) => document(d, 1, 4));
notes['documents'] = {
  large: `${large.length} docs x 1000 ObjectEvents x 4 EPCs, ${large[0]!.length} bytes each`,
  small: `${small.length} docs x 1 ObjectEvent x 4 EPCs, ${small[0]!.length} bytes each`,
};
const capture = (doc: Uint8Array) => {
  core.commit(core.prepare(doc).batchId);
};
const largeCapture = eventsPerSecond(large, 1000, capture);
const jsonParseFloor = eventsPerSecond(large, 1000, (doc) => JSON.parse(Buffer.from(doc).toString('utf8')));
rows.push({
  metric: 'capture, 1000-event documents (Node)',
  value: largeCapture,
  unit: 'events/s',
  ratio: largeCapture / jsonParseFloor,
  baseline: 'of JSON.parse alone',
  goal: '≥ 100,000 events/s',
});
rows.push({ metric: 'JSON.parse floor, same bytes', value: jsonParseFloor, unit: 'events/s' });
const smallCapture = eventsPerSecond(small, 1, capture);
const smallParse = eventsPerSecond(small, 1, (doc) => JSON.parse(Buffer.from(doc).toString('utf8')));
rows.push({
  metric: 'capture, 1-event documents (Node)',
  value: smallCapture,
  unit: 'events/s',
  ratio: smallCapture / smallParse,
  baseline: 'of JSON.parse alone',
});
// The same work WasmEdge's command entry does: prepare and serialise the result, without the host's
// JSON.parse of it, so V8 and WasmEdge AOT are compared like for like.
const prepareOnly = eventsPerSecond(large, 1000, (doc) => {
  core.prepareRaw(doc);
});
rows.push({
  metric: 'prepare only, 1000-event documents (V8, result not parsed)',
  value: prepareOnly,
  unit: 'events/s',
});

// --- SHA-256: the core's batch hasher vs Node's native one-shot hash on the same pre-hash strings ---
const withPrehash = core.prepare(large[0]!, { withPrehash: true });
core.discard(withPrehash.batchId);
const prehashes = (withPrehash.prehashes ?? []).map((p) => new TextEncoder().encode(p));
const prehashBytes = prehashes.reduce((sum, p) => sum + p.length, 0);
const coreHash = median(timeRuns(RUNS * 3, 3, () => core.sha256Hex(prehashes)));
const nativeHashFn = (nodeCrypto as unknown as { hash?: (alg: string, data: Uint8Array) => string }).hash;
const nativeHash = median(
  timeRuns(RUNS * 3, 3, () => {
    for (const p of prehashes) {
      if (nativeHashFn !== undefined) nativeHashFn('sha256', p);
      else nodeCrypto.createHash('sha256').update(p).digest('hex');
    }
  }),
);
rows.push({
  metric: 'SHA-256 over 1000 pre-hash strings (core, incl. copy-in)',
  value: prehashBytes / 1e6 / (coreHash / 1000),
  unit: 'MB/s',
  ratio: nativeHash / coreHash,
  baseline: 'of native crypto.hash',
  goal: '≥ 0.8× native',
});
rows.push({
  metric: 'SHA-256 native crypto.hash, same strings',
  value: prehashBytes / 1e6 / (nativeHash / 1000),
  unit: 'MB/s',
});
notes['prehashBytesAverage'] = Math.round(prehashBytes / prehashes.length);
// The native figure above uses this CPU's SHA extensions when it has them (x86 sha_ni), which Wasm
// cannot: the same hashing with OpenSSL's portable code shows how much of the gap that is.
const cpuHasShaExtensions = /\bsha_ni\b/.test(
  existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '',
);
notes['cpuHasShaExtensions'] = cpuHasShaExtensions;
if (cpuHasShaExtensions) {
  const prehashFile = join(mkdtempSync(join(tmpdir(), 'edgetrace-bench-core-')), 'prehashes.json');
  writeFileSync(prehashFile, JSON.stringify(withPrehash.prehashes ?? []));
  const nativeSha = (ia32cap: string | undefined): number => {
    const script = new URL('./native-sha.js', import.meta.url).pathname;
    const env = { ...process.env, ...(ia32cap === undefined ? {} : { OPENSSL_ia32cap: ia32cap }) };
    const output = execFileSync(process.execPath, [script, prehashFile], { env, encoding: 'utf8' });
    return (JSON.parse(output.trim().split('\n').pop()!) as { mbPerSecond: number }).mbPerSecond;
  };
  // The second word of OPENSSL_ia32cap is CPUID leaf 7's EBX; bit 29 is the SHA extensions.
  const portable = nativeSha(':~0x20000000');
  notes['nativeShaChildProcess'] = { withShaExtensions: nativeSha(undefined), portable };
  rmSync(dirname(prehashFile), { recursive: true, force: true });
  const coreMbPerSecond = prehashBytes / 1e6 / (coreHash / 1000);
  rows.push({
    metric: "SHA-256 native crypto.hash without the CPU's SHA extensions (OPENSSL_ia32cap), same strings",
    value: portable,
    unit: 'MB/s',
  });
  rows.push({
    metric: "SHA-256 core, same run, against native without the CPU's SHA extensions",
    value: coreMbPerSecond,
    unit: 'MB/s',
    ratio: coreMbPerSecond / portable,
    baseline: 'of native portable code',
  });
}

// --- instantiate time with a cached (compiled) module ---
const module = new WebAssembly.Module(readFileSync(locateTrackerWasm()));
const instantiate = median(timeRuns(200, 20, () => instantiateTracker(module)));
rows.push({ metric: 'instantiate (cached module)', value: instantiate * 1000, unit: 'µs', goal: '< 1 ms' });

// --- memory per tracked EPC with 1,000,000 EPCs ---
core.resetState();
for (let d = 0; d < 1000; d++) {
  core.capture(document(d * 1000, 1, 1000));
}
const stats = core.stats();
rows.push({
  metric: 'index bytes per tracked EPC (1,000,000 EPCs)',
  value: stats.indexBytes / stats.epcs,
  unit: 'B/EPC',
  goal: '≤ 200',
});
rows.push({
  metric: 'Wasm memory per tracked EPC (1,000,000 EPCs)',
  value: stats.memoryBytes / stats.epcs,
  unit: 'B/EPC',
  goal: '≤ 200',
});
notes['stateStats'] = stats;
core.resetState();

// --- WasmEdge AOT: same document, per-document cost without process start, and cold start ---
const wasmedge = join(process.cwd(), '.tools/wasmedge/bin/wasmedge');
if (!existsSync(wasmedge)) execFileSync('bash', ['scripts/install-wasmedge.sh'], { stdio: 'inherit' });
const wasmPath = locateTrackerWasm();
const aotPath = wasmPath.replace(/\.wasm$/, '.aot.wasm');
if (!existsSync(aotPath) || statSync(aotPath).mtimeMs < statSync(wasmPath).mtimeMs) {
  execFileSync(wasmedge, ['compile', wasmPath, aotPath], { stdio: 'pipe' });
}
const dir = mkdtempSync(join(tmpdir(), 'edgetrace-bench-'));
const largePath = join(dir, 'large.json');
const smallPath = join(dir, 'small.json');
writeFileSync(largePath, large[0]!);
writeFileSync(smallPath, small[0]!);

function wallMs(modulePath: string, inputPath: string, args: string[] = []): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(wasmedge, [modulePath, ...args], {
    input: readFileSync(inputPath),
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`wasmedge failed: ${result.stderr.toString()}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const repeat = 21;
const perDocAot = median(
  Array.from(
    { length: 5 },
    () =>
      (wallMs(aotPath, largePath, ['--repeat', String(repeat)]) - wallMs(aotPath, largePath)) / (repeat - 1),
  ),
);
const aotEventsPerSecond = 1000 / (perDocAot / 1000);
rows.push({
  metric: 'prepare, 1000-event documents (WasmEdge AOT)',
  value: aotEventsPerSecond,
  unit: 'events/s',
  ratio: prepareOnly / aotEventsPerSecond,
  baseline: 'V8 time / WasmEdge time (≤ 1.2 goal)',
  goal: 'within 1.2× of V8',
});
const coldAot = median(Array.from({ length: 15 }, () => wallMs(aotPath, smallPath)));
rows.push({
  metric: 'WasmEdge AOT process start to first result (1 event)',
  value: coldAot,
  unit: 'ms',
  goal: '< 10 ms',
});
const coldInterpreter = median(Array.from({ length: 5 }, () => wallMs(wasmPath, smallPath)));
rows.push({
  metric: 'WasmEdge interpreter process start to first result (1 event)',
  value: coldInterpreter,
  unit: 'ms',
});
const trueStart = median(
  Array.from({ length: 15 }, () => {
    const start = process.hrtime.bigint();
    spawnSync('/bin/true');
    return Number(process.hrtime.bigint() - start) / 1e6;
  }),
);
rows.push({ metric: 'spawn of /bin/true (process floor)', value: trueStart, unit: 'ms' });

report('core', rows, notes);
