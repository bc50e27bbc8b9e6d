// The real service (buildService, as host/main.ts builds it) on a data directory that outlives it,
// so a test can stop it and start another on the same store and snapshots; with its log lines and
// the oracle its state index must equal: a fresh core that replays every stored event.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildService, type Service } from '../../../../host/app/build-service.js';
import type { Config } from '../../../../host/config/config.js';
import { loadConfig } from '../../../../host/config/load-config.js';
import { storeSnapshots } from '../../../../host/journal/snapshot-files.js';
import type { RefusalReason } from '../../../../host/state-snapshot/snapshot-start.js';
import type { RebuildProgress } from '../../../../host/state/rebuild-state.js';
import { rebuildStateNow } from '../../../../host/state/rebuild-state.js';
import { EventReader } from '../../../../host/store/event-reader.js';
import { openDatabase } from '../../../../host/store/open-database.js';
import { answers } from './index-answers.js';
import { loadCore } from '../../../helpers/core.js';
import { epcisDocument, type EpcisEvent } from '../../../helpers/epcis-builders.js';

export interface RunningService {
  service: Service;
  /** What rebuildState() reported: the events replayed after the snapshot (all without one). */
  progress: RebuildProgress;
  /** The service's log lines so far, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startService(
  dataDir: string,
  overrides: Partial<Config> = {},
): Promise<RunningService> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line !== '') logs.push(JSON.parse(line) as never);
      done();
    },
  });
  const config: Readonly<Config> = Object.freeze({
    ...loadConfig({}, [], dataDir),
    dataDir,
    databaseFile: join(dataDir, 'edgetrace.db'),
    sqliteSynchronous: 'NORMAL' as const,
    ...overrides,
  });
  const service = await buildService(config, {
    logger: pino({ level: 'info' }, sink),
    authenticator: null,
    pageTokenSecret: randomBytes(32),
  });
  const progress = await service.rebuildState();
  return {
    service,
    progress,
    logs,
    async close() {
      for (const step of service.closeSteps) await step.close();
    },
  };
}

/**
 * Captures the events a few per document; what the store refuses (duplicates) is left out, the
 * rest of its document stored (proceed: a random history repeats events). Returns each document's
 * capture job.
 */
export async function captureAll(
  app: FastifyInstance,
  events: readonly EpcisEvent[],
): Promise<Record<string, unknown>[]> {
  const jobs: Record<string, unknown>[] = [];
  for (let at = 0; at < events.length; at += 7) {
    const response = await app.inject({
      method: 'POST',
      url: '/capture',
      payload: JSON.stringify(epcisDocument(events.slice(at, at + 7))),
      headers: { 'content-type': 'application/ld+json', 'GS1-Capture-Error-Behaviour': 'proceed' },
    });
    if (response.statusCode !== 202) throw new Error(`capture failed: ${response.body}`);
    jobs.push(response.json());
  }
  return jobs;
}

/** How many events the store in the data directory holds, and its highest seq. */
export function stored(dataDir: string): { count: number; maxSeq: number } {
  const db = openDatabase({ path: join(dataDir, 'edgetrace.db'), synchronous: 'NORMAL' });
  try {
    return db.prepare('SELECT count(*) AS count, coalesce(max(seq), 0) AS maxSeq FROM events').get() as never;
  } finally {
    db.close();
  }
}

/** The service's own snapshot files (DATA_DIR/state-snapshot/), newest first. */
export function snapshotFiles(dataDir: string): string[] {
  return storeSnapshots(dataDir).list();
}

/** The store seq a snapshot file covers, from its name. */
export function snapshotSeq(name: string): number {
  return Number.parseInt(name, 10);
}

/** The path of a snapshot file of the data directory. */
export function snapshotPath(dataDir: string, name: string): string {
  return join(storeSnapshots(dataDir).dir, name);
}

/** edgetrace_state_snapshots_refused_total of this service, by reason. */
export async function refusals(running: RunningService): Promise<Partial<Record<RefusalReason, number>>> {
  const { values } = await running.service.metrics.core.snapshotsRefused.get();
  return Object.fromEntries(values.map((v) => [String(v.labels['reason']), v.value]));
}

/** A fresh, empty data directory under the OS temp folder. */
export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'edgetrace-restart-'));
}

/**
 * A copy of the data directory as a crash would leave it: taken while the service runs, between
 * requests (every commit done, no snapshot being written), with SQLite's WAL as it is. A service
 * started on the copy is one restarted after a kill at that moment: no shutdown snapshot.
 */
export function crashImage(dataDir: string): string {
  const copy = freshDataDir();
  cpSync(dataDir, copy, { recursive: true });
  return copy;
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** The answers of a fresh core that replayed every event stored in the data directory. */
export async function replayedAnswers(dataDir: string, ids: readonly string[]): Promise<unknown> {
  const db = openDatabase({ path: join(dataDir, 'edgetrace.db'), synchronous: 'NORMAL' });
  try {
    const core = await loadCore();
    rebuildStateNow(core, new EventReader(db));
    return answers(core, ids);
  } finally {
    db.close();
  }
}

/** The log lines with this message. */
export function logged(logs: readonly Record<string, unknown>[], msg: string): Record<string, unknown>[] {
  return logs.filter((line) => line['msg'] === msg);
}
