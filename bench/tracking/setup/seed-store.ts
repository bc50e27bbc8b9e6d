// Seeds the store the tracking benchmark reads, through the service's own HTTP capture path: a
// fresh service on an empty folder takes POST /capture documents of 1000-EPC ObjectEvents (two
// clients at once), then the recall scenario's documents, and must then track every EPC. How long
// that took is kept with the store, which later runs reuse while its shape matches (unless
// BENCH_FRESH_STORE=1).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchContext, scrapeMetrics } from '../../service/bench-context.js';
import { JSON_LD } from '../../service/load/request-source.js';
import { post } from '../http-client.js';
import { commissioningDocuments, traceDocuments, traceNodes } from '../dataset.js';
import type { TrackingSettings } from '../tracking-settings.js';

/** Bump when bench/tracking/dataset.ts changes shape, so older stores are not reused. */
const STORE_VERSION = 1;
const CLIENTS = 2;

export interface SeededStore {
  dataDir: string;
  epcs: number;
  traceItems: number;
  /** EPCs the service's state index tracked after seeding (edgetrace_state_index_epcs). */
  trackedEpcs: number;
  /** Seconds to capture the 1000-EPC commissioning documents over HTTP (null: store reused). */
  seedSeconds: number | null;
  /** Seconds to capture the recall scenario's documents (null: store reused). */
  traceSeedSeconds: number | null;
  documents: number;
  documentBytes: number;
}

async function capture(origin: string, body: Buffer): Promise<void> {
  const answer = await post(origin, '/capture', JSON_LD, body);
  if (answer.status !== 202 || (JSON.parse(answer.body) as { success?: boolean }).success !== true) {
    throw new Error(`seeding: POST /capture answered ${answer.status} ${answer.body.slice(0, 300)}`);
  }
}

async function captureAll(origin: string, documents: Iterator<Buffer>): Promise<[number, number]> {
  let count = 0;
  let bytes = 0;
  const client = async () => {
    for (let next = documents.next(); next.done !== true; next = documents.next()) {
      await capture(origin, next.value);
      count++;
      bytes = Math.max(bytes, next.value.length);
      if (count % 20 === 0) console.error(`  seeding: ${count} documents`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return [count, bytes];
}

export async function seededStore(ctx: BenchContext, settings: TrackingSettings): Promise<SeededStore> {
  const dataDir = join(ctx.settings.workDir, `tracking-store-${settings.epcs}-${settings.traceItems}`);
  const markerPath = join(dataDir, 'bench-store.json');
  if (!ctx.settings.freshStore && existsSync(markerPath)) {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as SeededStore & { version: number };
    if (marker.version === STORE_VERSION)
      return { ...marker, dataDir, seedSeconds: null, traceSeedSeconds: null };
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const service = await ctx.service('tracking-seed', dataDir, 'FULL');
  try {
    console.error(`seeding ${settings.epcs.toLocaleString('en-US')} EPCs through POST /capture`);
    let started = performance.now();
    const [documents, documentBytes] = await captureAll(
      service.origin,
      commissioningDocuments(settings.epcs, settings.seedEventsPerDocument),
    );
    const seedSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    for (const document of traceDocuments(settings.traceItems)) await capture(service.origin, document);
    const traceSeedSeconds = (performance.now() - started) / 1000;
    const trackedEpcs = (await scrapeMetrics(service.origin)).get('edgetrace_state_index_epcs') ?? 0;
    const { items, cases, pallets } = traceNodes(settings.traceItems);
    if (trackedEpcs < settings.epcs + items + cases + pallets) {
      throw new Error(`seeding: the state index tracks ${trackedEpcs} EPCs, fewer than were captured`);
    }
    const store: SeededStore = {
      dataDir,
      epcs: settings.epcs,
      traceItems: settings.traceItems,
      trackedEpcs,
      seedSeconds,
      traceSeedSeconds,
      documents,
      documentBytes,
    };
    writeFileSync(markerPath, JSON.stringify({ ...store, version: STORE_VERSION }));
    return store;
  } finally {
    await service.stop();
  }
}
