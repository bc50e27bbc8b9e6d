// One cold start of the wasm image under crun, timed as a kubelet's startup probe would see it:
// `crun run` spawned → first `200` to GET /health, on a fresh bundle and an empty data volume. Also
// what the container process has mapped: the AOT code (an anonymous r-xp mapping) and whether
// libLLVM came with the libwasmedge.so.0 crun loaded.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CrunContainer, type CrunOptions } from '../../scripts/crun/crun-container.js';
import { msToFirstHealth } from '../../scripts/crun/first-health.js';
import { CONTAINER_UID, type WasmImage, writeBundle } from '../../scripts/crun/wasm-image-bundle.js';
import { freePort } from '../lib/child-process.js';

export interface StartSample {
  ms: number;
  aotMapped: boolean;
  libLlvmMapped: boolean;
  /** The libwasmedge.so file the container process mapped. */
  libwasmedge: string;
}

function mappings(pid: number): { aotMapped: boolean; libLlvmMapped: boolean; libwasmedge: string } {
  const lines = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  const fields = lines.map((line) => line.trim().split(/\s+/));
  return {
    aotMapped: fields.some((f) => f.length === 5 && f[1]?.[2] === 'x'),
    libLlvmMapped: lines.some((line) => /libLLVM/.test(line)),
    libwasmedge: fields.find((f) => /libwasmedge\.so/.test(f[5] ?? ''))?.[5] ?? 'none',
  };
}

/** Starts, times, inspects and removes one container; `dir` is this run's scratch directory. */
export async function timedStart(
  image: WasmImage,
  options: CrunOptions,
  dir: string,
  id: string,
): Promise<StartSample> {
  const [port, sidecarPort] = [await freePort(), await freePort()];
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  chownSync(dataDir, CONTAINER_UID, CONTAINER_UID);
  writeBundle(image, join(dir, 'bundle'), {
    dataDir,
    args: ['--port', String(port), '--data-dir', '/data', '--sidecar-port', String(sidecarPort)],
  });
  const container = new CrunContainer(options, id, join(dir, 'bundle'));
  try {
    const ms = await msToFirstHealth(port, container.startedAt, 60_000, () => !container.running);
    if (ms === null) throw new Error(`${id} did not answer GET /health within 60 s: ${container.output}`);
    const pid = container.pid();
    if (pid === null) throw new Error(`crun state knows no process of ${id}`);
    return { ms, ...mappings(pid) };
  } finally {
    container.remove();
    await container.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from spawning `file argv` to its exit (it must exit 0). */
export function timedCommand(file: string, argv: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`${file} ${argv.join(' ')} exited ${result.status ?? result.signal}`);
  return ms;
}
