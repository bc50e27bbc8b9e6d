// Section 2, POST /capture with 1000-event documents: durable events per second (the 202 is sent
// after the job's transaction committed) for synchronous FULL and NORMAL, against the in-process
// ceilings measured on the same documents in the same run: the core preparing them (no storage)
// and the service's EventWriter inserting the prepared rows in 1000-event transactions (no core,
// no HTTP). Also bare node:http receiving the same documents. Every run, in the service or in
// process, starts from an empty database: stores slow down as their indexes grow.
import { join } from 'node:path';
import { eventsToStore } from '../../../host/capture/stored-events.js';
import { TrackerCore } from '../../../host/core/gateway.js';
import { EventWriter, type EventToStore } from '../../../host/store/event-writer.js';
import { openDatabase } from '../../../host/store/open-database.js';
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { type BenchContext, commitSummary, scrapeMetrics } from '../bench-context.js';
import type { CaptureClientInput, CaptureClientResult } from '../load/capture-client.js';
import { cleanRun } from '../load/clean-run.js';
import { runLoad } from '../load/run-load.js';
import { captureDocument } from '../payloads.js';
import { type Running, startBareHttp } from '../processes.js';
import type { SectionResult } from './section-result.js';

const EVENTS_PER_DOCUMENT = 1000;

type OnServer = <T>(body: (server: Running) => Promise<T>) => Promise<T>;

async function postDocuments(ctx: BenchContext, onServer: OnServer): Promise<CaptureClientResult[]> {
  const results: CaptureClientResult[] = [];
  for (let run = 0; run < ctx.settings.runs; run++) {
    const result = await cleanRun(() =>
      onServer((server) => {
        const input: CaptureClientInput = {
          origin: server.origin,
          first: ctx.serialBlock(),
          documents: ctx.settings.captureDocuments,
          eventsPerDocument: EVENTS_PER_DOCUMENT,
          warmupDocuments: 2,
          concurrency: ctx.settings.captureConcurrency,
        };
        return runLoad<CaptureClientResult>('capture-client', input, 600_000, server.pid);
      }),
    );
    if (result.firstFailure !== null) throw new Error(`POST /capture failed: ${result.firstFailure}`);
    results.push(result);
  }
  return results;
}

/** Each run gets a fresh service process on an empty database, like the in-process writer runs. */
function freshService(ctx: BenchContext, level: 'FULL' | 'NORMAL', commits: unknown[]): OnServer {
  return async (body) => {
    const name = `capture-${level}`;
    const service = await ctx.service(name, ctx.emptyDataDir(name), level);
    try {
      return await body(service);
    } finally {
      commits.push(commitSummary(await scrapeMetrics(service.origin)));
      await service.stop();
    }
  };
}

/** The in-process ceilings on one run's worth of documents: [prepare events/s, rows for the writer]. */
async function prepareInProcess(ctx: BenchContext): Promise<[number, EventToStore[][]]> {
  const core = await TrackerCore.load();
  const first = ctx.serialBlock();
  const documents = Array.from({ length: ctx.settings.captureDocuments }, (_, d) =>
    captureDocument(first + d * EVENTS_PER_DOCUMENT, EVENTS_PER_DOCUMENT),
  );
  for (const document of documents.slice(0, 2)) core.discard(core.prepare(document).batchId);
  const rates: number[] = [];
  let rows: EventToStore[][] = [];
  for (let run = 0; run < ctx.settings.runs; run++) {
    const started = performance.now();
    const results = documents.map((document) => {
      const result = core.prepare(document);
      core.discard(result.batchId);
      return result;
    });
    rates.push((documents.length * EVENTS_PER_DOCUMENT) / ((performance.now() - started) / 1000));
    const stamp = {
      recordTimeMs: Date.now(),
      captureId: null,
      originSite: 'bench-site',
      enqueueForSync: true,
    };
    rows = documents.map((document, d) => eventsToStore(document, results[d]!, stamp));
  }
  return [median(rates), rows];
}

function writeInProcess(ctx: BenchContext, level: 'FULL' | 'NORMAL', batches: EventToStore[][]): number {
  const rates: number[] = [];
  for (let run = 0; run < ctx.settings.runs; run++) {
    const dir = ctx.emptyDataDir(`writer-${level}`);
    const db = openDatabase({ path: join(dir, 'edgetrace.db'), synchronous: level });
    const writer = new EventWriter(db);
    const writeBatch = db.transaction((rows: EventToStore[]) => {
      for (const row of rows) writer.write(row);
    });
    const started = performance.now();
    for (const rows of batches) writeBatch(rows);
    rates.push((batches.length * EVENTS_PER_DOCUMENT) / ((performance.now() - started) / 1000));
    db.close();
  }
  return median(rates);
}

export async function batchCaptureSection(ctx: BenchContext): Promise<SectionResult> {
  const notes: Record<string, unknown> = {};
  const [prepareRate, batches] = await prepareInProcess(ctx);
  const writer = {
    FULL: writeInProcess(ctx, 'FULL', batches),
    NORMAL: writeInProcess(ctx, 'NORMAL', batches),
  };
  const bare = await startBareHttp(0);
  const bareRuns = await postDocuments(ctx, (body) => body(bare)).finally(() => bare.stop());
  notes['bareNodeHttp'] = bareRuns;
  const rows: BenchRow[] = [];
  for (const level of ['FULL', 'NORMAL'] as const) {
    console.error(`POST /capture, synchronous=${level}`);
    const commits: unknown[] = [];
    const runs = await postDocuments(ctx, freshService(ctx, level, commits));
    notes[`service${level}`] = { runs, commits };
    const rate = median(runs.map((r) => r.eventsPerS));
    rows.push({
      metric: `POST /capture, 1000-event documents, ${level}: durable events/s`,
      value: rate,
      unit: 'events/s',
      ratio: rate / writer[level],
      baseline: 'of in-process SQLite insert',
      goal: '≥ 30,000 events/s',
    });
  }
  for (const level of ['FULL', 'NORMAL'] as const) {
    rows.push({
      metric: `in-process EventWriter insert, 1000-event transactions, ${level}`,
      value: writer[level],
      unit: 'events/s',
    });
  }
  rows.push(
    { metric: 'in-process core prepare, 1000-event documents', value: prepareRate, unit: 'events/s' },
    {
      metric: 'bare node:http receiving the same documents',
      value: median(bareRuns.map((r) => r.eventsPerS)),
      unit: 'events/s',
    },
  );
  notes['document'] = {
    events: EVENTS_PER_DOCUMENT,
    bytes: bareRuns[0]?.documentBytes,
    perRun: ctx.settings.captureDocuments,
    concurrency: ctx.settings.captureConcurrency,
  };
  return { rows, notes };
}
