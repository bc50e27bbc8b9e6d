// The servers bench:wasmedge measures: tracker-server.wasm under the LLVM-free runtime (alone, or
// with the Node service as its sidecar), the WASI hello floor under either runtime, the native C
// floor, and the Node service as `npm start` runs it. Started through the registry (processes.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LLVM_FREE_WASMEDGE } from './artifacts.js';
import { REPO_ROOT } from './bench-settings.js';
import { launch, type Running } from './processes.js';

/** tracker-server.wasm (generic AOT) under the LLVM-free runtime over `dataDir`. */
export function startTrackerServer(
  module: string,
  dataDir: string,
  logDir: string,
  sidecarPort?: number,
): Promise<Running> {
  mkdirSync(dataDir, { recursive: true });
  return launch({
    name: 'tracker-server',
    command: LLVM_FREE_WASMEDGE,
    args: (port) => [
      '--dir',
      `${dataDir}:${dataDir}`,
      module,
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      ...(sidecarPort === undefined ? [] : ['--sidecar-port', String(sidecarPort)]),
    ],
    readyPath: '/health',
    logDir,
    // Replaying a long journal comes before the port opens.
    readyTimeoutMs: 300_000,
  });
}

/** A hello floor: `runtime` null runs `program` natively, otherwise the AOT module under `runtime`. */
export function startHello(
  name: string,
  runtime: string | null,
  program: string,
  bodyBytes: number,
  logDir: string,
) {
  return launch({
    name,
    command: runtime ?? program,
    args: (port) => [
      ...(runtime === null ? [] : [program]),
      '--port',
      String(port),
      '--body-bytes',
      String(bodyBytes),
    ],
    readyPath: '/health',
    logDir,
    readyTimeoutMs: 10_000,
  });
}

/**
 * The Node service as `npm start` runs it (node dist/host/main.js, defaults: TRACKING on, SQLite
 * FULL), on 127.0.0.1; as tracker-server's sidecar with `journalTail` (same DATA_DIR, fixed port).
 */
export function startNodeService(
  dataDir: string,
  logDir: string,
  logLevel: string,
  sidecar?: { port: number },
): Promise<Running> {
  mkdirSync(dataDir, { recursive: true });
  return launch({
    name: sidecar === undefined ? 'node-service' : 'sidecar',
    command: process.execPath,
    args: () => [join(REPO_ROOT, 'dist/host/main.js')],
    env: (port) => ({
      PATH: process.env['PATH'] ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: logLevel,
      ...(sidecar === undefined ? {} : { JOURNAL_TAIL: 'true' }),
    }),
    readyPath: '/ready',
    logDir,
    readyTimeoutMs: 600_000,
    ...(sidecar === undefined ? {} : { port: sidecar.port }),
  });
}
