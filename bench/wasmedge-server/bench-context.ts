// What every section of bench:wasmedge shares: the settings, the built artifacts, fresh folders
// under the work folder, the generator processes (each a process of its own, so none shares the
// orchestrator's event loop) and serial numbers, so no two runs send the same event.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../lib/report.js';
import type { Artifacts } from './artifacts.js';
import type { WasmEdgeBenchSettings } from './bench-settings.js';
import type { CaptureInput, CaptureResult } from './load/capture-clients.js';
import type { OpenLoopInput, OpenLoopResult } from './load/open-loop.js';
import { runGenerator } from './processes.js';

export interface SectionResult {
  rows: BenchRow[];
  notes: Record<string, unknown>;
}

export class BenchContext {
  readonly logDir: string;
  private nextSerial = 0;

  constructor(
    readonly settings: Readonly<WasmEdgeBenchSettings>,
    readonly artifacts: Artifacts,
  ) {
    this.logDir = join(settings.workDir, 'logs');
    mkdirSync(this.logDir, { recursive: true });
  }

  /** An empty folder `name` under the work folder (emptied if a previous run left it). */
  freshDir(name: string): string {
    const dir = join(this.settings.workDir, 'data', name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The first of `count` event serials no other run uses. */
  serials(count: number): number {
    const first = this.nextSerial;
    this.nextSerial += count;
    return first;
  }

  capture(input: CaptureInput): Promise<CaptureResult> {
    return generator<CaptureResult>('capture-clients', input, 1_800_000).then((result) => {
      if (result.firstFailure !== null) throw new Error(`POST /capture failed: ${result.firstFailure}`);
      return result;
    });
  }

  openLoop(input: OpenLoopInput): Promise<OpenLoopResult> {
    return generator<OpenLoopResult>('open-loop', input, (input.durationS + input.warmupS + 120) * 1000);
  }
}

function generator<T>(script: string, input: object, timeoutMs: number): Promise<T> {
  return runGenerator<T>(fileURLToPath(new URL(`./load/${script}.js`, import.meta.url)), input, timeoutMs);
}
