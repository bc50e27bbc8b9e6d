// The data directories of the cold-start rows, written the way production writes them: a journal
// of `events` events captured through tracker-server itself, and a state snapshot of `epcs` EPCs
// written by the Node sidecar (JOURNAL_TAIL; it writes DATA_DIR/snapshot/ at shutdown when it
// stored records since its last one) after it stored every journaled record.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../lib/child-process.js';
import type { BenchContext } from '../bench-context.js';
import { EVENTS_PER_DOCUMENT, SEED_EPCS_PER_EVENT } from '../dataset.js';
import { startNodeService, startTrackerServer } from '../servers.js';

/** Bytes of every file under `dir` (the journal is one file or a folder of segments, by version). */
export function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? bytesUnder(path) : statSync(path).size);
  }, 0);
}

/** A journal of `events` movement events, written by the server itself (POST /capture, 4 clients). */
export async function journalDir(ctx: BenchContext, events: number): Promise<{ dir: string; bytes: number }> {
  const dir = ctx.freshDir('cold-journal');
  const server = await startTrackerServer(ctx.artifacts.serverGenericAot, dir, ctx.logDir);
  try {
    await ctx.capture({
      origin: server.origin,
      kind: 'movement',
      first: ctx.serials(events),
      documents: events / EVENTS_PER_DOCUMENT,
      warmupDocuments: 0,
      concurrency: 4,
    });
  } finally {
    await server.stop();
  }
  return { dir, bytes: bytesUnder(dir) };
}

const storedSeq = (dir: string) => {
  const path = join(dir, 'journal-stored-seq');
  return existsSync(path) ? Number(readFileSync(path, 'utf8').trim()) || 0 : 0;
};

export type SnapshotDir = { dir: string; snapshotBytes: number; sidecarStoreS: number } | { gap: string };

/** `epcs` EPCs captured through the server with its sidecar running; the snapshot it left at stop. */
export async function snapshotDir(ctx: BenchContext, epcs: number): Promise<SnapshotDir> {
  const dir = ctx.freshDir('cold-snapshot');
  const sidecarPort = await freePort();
  const server = await startTrackerServer(ctx.artifacts.serverGenericAot, dir, ctx.logDir, sidecarPort);
  const records = epcs / SEED_EPCS_PER_EVENT;
  let sidecarStoreS = NaN;
  try {
    const sidecar = await startNodeService(dir, ctx.logDir, ctx.settings.logLevel, { port: sidecarPort });
    try {
      const started = performance.now();
      const documents = records / EVENTS_PER_DOCUMENT;
      await ctx.capture({
        origin: server.origin,
        kind: 'seed',
        first: 0,
        documents,
        warmupDocuments: 0,
        concurrency: 2,
      });
      // Bounded: the sidecar stores ~10,000 events/s here; 30 minutes is far beyond any healthy run.
      while (storedSeq(dir) < records && performance.now() - started < 1_800_000) {
        await new Promise((done) => setTimeout(done, 500));
      }
      sidecarStoreS = (performance.now() - started) / 1000;
      if (storedSeq(dir) < records)
        return { gap: `the sidecar stored ${storedSeq(dir)} of ${records} records in 30 min` };
    } finally {
      await sidecar.stop();
    }
  } finally {
    await server.stop();
  }
  const snapshots = existsSync(join(dir, 'snapshot')) ? readdirSync(join(dir, 'snapshot')) : [];
  if (snapshots.length === 0)
    return { gap: 'the sidecar wrote no snapshot at shutdown (DATA_DIR/snapshot/ empty)' };
  return { dir, snapshotBytes: bytesUnder(join(dir, 'snapshot')), sidecarStoreS };
}
