// A real ingest pipeline for the ingest tests: the real tracker.wasm core (which can be made to trap
// once), a SQLite file, the group committer, and optionally the ingest worker from the build (a
// worker thread runs JavaScript only, so it is started from dist/, as the service runs it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Database } from 'better-sqlite3';
import { TrackerCore } from '../../../../host/core/gateway.js';
import { instantiateTracker, type TrackerExports } from '../../../../host/core/wasm-instance.js';
import { IngestPipeline } from '../../../../host/ingest/ingest-pipeline.js';
import { IngestWorker } from '../../../../host/ingest/ingest-worker-client.js';
import { createMetrics, type Metrics } from '../../../../host/metrics/metrics.js';
import { rebuildStateNow } from '../../../../host/state/rebuild-state.js';
import { CaptureJobs } from '../../../../host/store/capture-jobs.js';
import { EventReader } from '../../../../host/store/event-reader.js';
import { EventWriter } from '../../../../host/store/event-writer.js';
import { GroupCommitter } from '../../../../host/store/group-committer.js';
import { openDatabase } from '../../../../host/store/open-database.js';
import { REPO_ROOT } from '../../../helpers/service-process.js';

const BUILT_WORKER = join(REPO_ROOT, 'dist/host/ingest/ingest-worker.js');

export interface IngestFixture {
  db: Database;
  core: TrackerCore;
  committer: GroupCommitter;
  jobs: CaptureJobs;
  ingest: IngestPipeline;
  metrics: Metrics;
  databaseFile: string;
  /** The next state-index update (commit or applyStored) traps like an AssemblyScript abort. */
  trapNextStateUpdate(): void;
  count(table: string): number;
  close(): Promise<void>;
}

export interface IngestFixtureOptions {
  /** Send documents of at least this many bytes to the ingest worker (built from dist/). */
  workerMinBytes?: number;
}

export async function ingestFixture(options: IngestFixtureOptions = {}): Promise<IngestFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-ingest-'));
  const databaseFile = join(dir, 'site.db');
  const db = openDatabase({ path: databaseFile, synchronous: 'NORMAL' });
  const reader = new EventReader(db);
  const metrics = createMetrics();
  let armed = false;
  const instantiate = (module: WebAssembly.Module): TrackerExports => {
    const real = instantiateTracker(module);
    const trapping =
      <A extends unknown[]>(call: (...args: A) => number) =>
      (...args: A): number => {
        if (armed) {
          armed = false;
          throw new WebAssembly.RuntimeError('unreachable');
        }
        return call(...args);
      };
    return { ...real, commit: trapping(real.commit), applyEvents: trapping(real.applyEvents) };
  };
  // As the service wires it (build-service.ts): the owner of the core counts every trap and rebuilds.
  const core = await TrackerCore.load({
    instantiate,
    onInstanceReplaced: (fresh) => {
      metrics.core.traps.inc();
      rebuildStateNow(fresh, reader);
    },
  });
  const committer = new GroupCommitter(db, new EventWriter(db), { maxBatchEvents: 10_000 });
  const jobs = new CaptureJobs(db);
  let worker: IngestWorker | null = null;
  if (options.workerMinBytes !== undefined) {
    if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing: run npm run build:host`);
    worker = new IngestWorker(
      { databaseFile, synchronous: 'NORMAL', limits: core.limits },
      pathToFileURL(BUILT_WORKER),
    );
  }
  const ingest = new IngestPipeline({
    core,
    committer,
    jobs,
    trackState: true,
    worker: worker === null ? undefined : { port: worker, minBytes: options.workerMinBytes! },
  });
  return {
    db,
    core,
    committer,
    jobs,
    ingest,
    metrics,
    databaseFile,
    trapNextStateUpdate: () => (armed = true),
    count: (table) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    async close() {
      await committer.close();
      await worker?.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
