// Section 4: POST /capture of 1000-event documents into tracker-server's journal with 1, 4 and 16
// concurrent clients: durable events per second (the 202 leaves after the turn's fd_datasync). Each
// run starts a fresh server on an empty data directory, so every run appends to an equal journal;
// two unrecorded documents first. The disk's fdatasync cost is in every figure (the data
// directories are under BENCH_WASMEDGE_DIR, named in the results' notes).
import type { BenchRow } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import type { BenchContext, SectionResult } from '../bench-context.js';
import { EVENTS_PER_DOCUMENT } from '../dataset.js';
import type { CaptureResult } from '../load/capture-clients.js';
import { startTrackerServer } from '../servers.js';

const CLIENTS = [1, 4, 16] as const;
const WARMUP_DOCUMENTS = 2;

export async function batchCaptureSection(ctx: BenchContext): Promise<SectionResult> {
  const { captureDocuments, runs } = ctx.settings;
  const rows: BenchRow[] = [];
  const notes: Record<string, unknown> = {};
  for (const clients of CLIENTS) {
    console.error(`POST /capture, 1000-event documents, ${clients} client(s)`);
    const results: CaptureResult[] = [];
    for (let r = 0; r < runs; r++) {
      const server = await startTrackerServer(
        ctx.artifacts.serverGenericAot,
        ctx.freshDir('capture'),
        ctx.logDir,
      );
      try {
        results.push(
          await ctx.capture({
            origin: server.origin,
            kind: 'movement',
            first: ctx.serials((captureDocuments + WARMUP_DOCUMENTS) * EVENTS_PER_DOCUMENT),
            documents: captureDocuments,
            warmupDocuments: WARMUP_DOCUMENTS,
            concurrency: clients,
          }),
        );
      } finally {
        await server.stop();
      }
    }
    notes[`clients${clients}`] = results;
    rows.push({
      metric: `POST /capture into the journal, 1000-event documents, ${clients} client${clients === 1 ? '' : 's'}: durable events/s`,
      value: median(results.map((r) => r.documentsPerS * EVENTS_PER_DOCUMENT)),
      unit: 'events/s',
      goal: '≥ 40,000 events/s',
    });
  }
  notes['documentBytes'] = (notes['clients1'] as CaptureResult[])[0]?.documentBytes;
  return { rows, notes };
}
