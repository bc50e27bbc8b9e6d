// What the sections of the service benchmark share: the settings, folders for databases, logs and
// profiles, a source of event serials and query offsets no earlier run used (a repeated event is a
// duplicate, a repeated query may be a cache hit), and reading the service's own metrics.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSettings } from './bench-settings.js';
import { type Running, startService } from './processes.js';

export class BenchContext {
  private nextSerial = 0;
  private readonly queryOffsets = new Map<string, number>();

  constructor(readonly settings: Readonly<BenchSettings>) {
    mkdirSync(join(settings.workDir, 'logs'), { recursive: true });
  }

  /** The first of a million event serials no other run in this process uses. */
  serialBlock(): number {
    const first = this.nextSerial;
    this.nextSerial += 1_000_000;
    return first;
  }

  /** Where the next run of this query kind starts; `advance` after the run with what it used. */
  queryOffset(kind: string): number {
    return this.queryOffsets.get(kind) ?? 0;
  }

  advanceQueryOffset(kind: string, used: number): void {
    this.queryOffsets.set(kind, this.queryOffset(kind) + used);
  }

  emptyDataDir(name: string): string {
    const dir = join(this.settings.workDir, 'runs', name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  service(
    name: string,
    dataDir: string,
    synchronous: 'FULL' | 'NORMAL',
    env: Readonly<Record<string, string>> = {},
  ): Promise<Running> {
    const profiles = join(this.settings.workDir, 'profiles', name);
    if (this.settings.cpuProfile) mkdirSync(profiles, { recursive: true });
    return startService({
      dataDir,
      synchronous,
      logLevel: this.settings.logLevel,
      logFile: join(this.settings.workDir, 'logs', `${name}.log`),
      // A large store is replayed into the state index before /ready answers 200.
      readyTimeoutMs: 600_000,
      env,
      ...(this.settings.cpuProfile ? { cpuProfileDir: profiles } : {}),
    });
  }
}

/** The service's Prometheus samples, keyed by name with labels as written (`name{a="b"}`). */
export async function scrapeMetrics(origin: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** Mean events per group commit and mean commit duration (ms) since the service started. */
export function commitSummary(samples: Map<string, number>): { eventsPerCommit: number; commitMs: number } {
  const commits = samples.get('edgetrace_sqlite_commit_events_count') ?? 0;
  return {
    eventsPerCommit: (samples.get('edgetrace_sqlite_commit_events_sum') ?? 0) / Math.max(1, commits),
    commitMs:
      ((samples.get('edgetrace_sqlite_commit_duration_seconds_sum') ?? 0) * 1000) / Math.max(1, commits),
  };
}
