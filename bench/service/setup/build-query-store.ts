// Builds the store GET /events is measured on, without HTTP: a worker thread prepares real events
// with the core (TrackerCore.prepare, as POST /capture does) while this thread writes them with the
// service's EventWriter in 1000-event transactions. Only loading differs from a capture: the
// database runs with synchronous=OFF and no capture-job rows are written. A finished store is
// marked, and reused by later runs unless asked for a fresh one.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventToStore } from '../../../host/store/event-writer.js';
import { EventWriter } from '../../../host/store/event-writer.js';
import { openDatabase } from '../../../host/store/open-database.js';
import type { PrepareWorkerData } from './prepare-worker.js';

/** Bump when the data shape (bench/service/payloads.ts) changes, so old stores are not reused. */
const STORE_VERSION = 1;

export interface QueryStore {
  dataDir: string;
  events: number;
  /** Null when an existing store was reused. */
  buildSeconds: number | null;
  databaseBytes: number;
}

interface Marker {
  version: number;
  events: number;
  buildSeconds: number;
  databaseBytes: number;
}

export async function queryStore(workDir: string, events: number, fresh: boolean): Promise<QueryStore> {
  const dataDir = join(workDir, `query-store-${events}`);
  const markerPath = join(dataDir, 'bench-store.json');
  if (!fresh && existsSync(markerPath)) {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as Marker;
    if (marker.version === STORE_VERSION && marker.events === events) {
      return { dataDir, events, buildSeconds: null, databaseBytes: marker.databaseBytes };
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  const started = performance.now();
  const db = openDatabase({ path: join(dataDir, 'edgetrace.db'), synchronous: 'NORMAL' });
  db.pragma('synchronous = OFF');
  const writer = new EventWriter(db);
  const writeBatch = db.transaction((rows: EventToStore[]) => {
    for (const row of rows) writer.write(row);
  });
  const data: PrepareWorkerData = { events, eventsPerDocument: 1000, originSite: 'bench-site' };
  const worker = new Worker(new URL('./prepare-worker.js', import.meta.url), { workerData: data });
  let written = 0;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (rows: EventToStore[]) => {
      writeBatch(rows);
      written += rows.length;
      worker.postMessage('more');
      if (written % 100_000 === 0) console.error(`  query store: ${written.toLocaleString('en-US')} events`);
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`prepare worker exited ${code}`)),
    );
  });
  if (written !== events) throw new Error(`query store holds ${written} events, not ${events}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const marker: Marker = {
    version: STORE_VERSION,
    events,
    buildSeconds: (performance.now() - started) / 1000,
    databaseBytes: pages * pageSize,
  };
  writeFileSync(markerPath, JSON.stringify(marker));
  return { dataDir, events, buildSeconds: marker.buildSeconds, databaseBytes: marker.databaseBytes };
}
