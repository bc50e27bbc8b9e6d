// npm run bench:xml — what EPCIS XML costs next to JSON, measured in the same run:
// - POST /capture of 1000-event documents through the whole service (in process: fastify, the XML
//   reader, tracker.wasm, SQLite on disk, the ingest worker), the same events as JSON-LD and as XML,
//   each format into a service and store of its own, rounds alternating (goal: XML ≥ 0.5× JSON);
// - the XML reader alone (XmlDocumentReader: UTF-8 decoding, saxes, the event → JSON conversion)
//   against saxes' own parse of the same bytes with handlers that do nothing, the floor any
//   saxes-based reader sits on.
// Medians of RUNS runs. Prints a table, writes bench/results/xml.{json,md}.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SaxesParser } from 'saxes';
import { buildService, type Service } from '../../host/app/build-service.js';
import { loadConfig } from '../../host/config/load-config.js';
import { XmlDocumentReader } from '../../host/xml/xml-document-reader.js';
import { type BenchRow, report } from '../lib/report.js';
import { median, timeRuns } from '../lib/stats.js';
import { type DocumentPair, documentPair } from './documents.js';

const RUNS = 5;
const EVENTS_PER_DOC = 1000;
const DOCS_PER_RUN = 5;
const EPCS_PER_EVENT = 4;
const rows: BenchRow[] = [];
const notes: Record<string, unknown> = {};

const eventsPerRun = DOCS_PER_RUN * EVENTS_PER_DOC;
/** Round `round`'s documents: new events every round, the same events in both formats. */
const roundDocs = (round: number): DocumentPair[] =>
  Array.from({ length: DOCS_PER_RUN }, (_, d) =>
    documentPair((round * DOCS_PER_RUN + d) * EVENTS_PER_DOC, EVENTS_PER_DOC, EPCS_PER_EVENT),
  );
const sample = roundDocs(0)[0]!;
notes['documents'] = {
  perRun: DOCS_PER_RUN,
  events: `${EVENTS_PER_DOC} ObjectEvents x ${EPCS_PER_EVENT} EPCs, bizStep, locations, transaction, source/destination, a user extension, ILMD on every fifth`,
  jsonBytes: sample.json.length,
  xmlBytes: sample.xml.length,
};
notes['runs'] = RUNS;

// --- POST /capture through the service -------------------------------------------------------

interface BenchService {
  service: Service;
  dataDir: string;
}

async function startService(): Promise<BenchService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'edgetrace-bench-xml-'));
  const config = Object.freeze({
    ...loadConfig({}, [], dataDir),
    dataDir,
    databaseFile: join(dataDir, 'edgetrace.db'),
    logLevel: 'silent' as const,
  });
  const service = await buildService(config, {
    logger: pino({ level: 'silent' }),
    authenticator: null,
    pageTokenSecret: randomBytes(32),
  });
  await service.rebuildState();
  return { service, dataDir };
}

/**
 * Stops a service, waiting at most 10 s: a close step that never settles (the ingest worker's did,
 * now and then, with the uncommitted worker pool of 2026-12-07) must not cost the results.
 */
async function stopService({ service, dataDir }: BenchService): Promise<void> {
  const closing = (async () => {
    for (const step of service.closeSteps) await step.close();
  })();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([closing, timeout])) === 'timeout')
    console.error('bench/xml: the service did not close within 10 s');
  rmSync(dataDir, { recursive: true, force: true });
}

// One service per format, each capturing the same new events every round, so the two stores grow alike.
const services = { json: await startService(), xml: await startService() };
let stored = 0;

/** Seconds to capture one round's documents in `format`. */
async function captureRound(format: 'json' | 'xml', docs: readonly DocumentPair[]): Promise<number> {
  const { service } = services[format];
  const contentType = format === 'json' ? 'application/ld+json' : 'application/xml';
  const started = process.hrtime.bigint();
  for (const doc of docs) {
    const response = await service.app.inject({
      method: 'POST',
      url: '/capture',
      headers: { 'content-type': contentType },
      payload: doc[format],
    });
    const job = response.json<{ success?: boolean }>();
    if (response.statusCode !== 202 || job.success !== true)
      throw new Error(`${format} capture failed: ${response.statusCode} ${response.body.slice(0, 500)}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const count = service.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()!.n;
  if (count !== stored + eventsPerRun)
    throw new Error(`${format}: ${count} events stored, expected ${stored + eventsPerRun}`);
  return seconds;
}

const captureSeconds: Record<'json' | 'xml', number[]> = { json: [], xml: [] };
// Round 0 is not recorded: it warms both paths (JIT, the ingest worker, tracker.wasm compilation).
// The formats alternate, so a slower spell of the shared machine lands on both.
for (let round = 0; round <= RUNS; round++) {
  const docs = roundDocs(round);
  const jsonSeconds = await captureRound('json', docs);
  const xmlSeconds = await captureRound('xml', docs);
  stored += eventsPerRun;
  if (round === 0) continue;
  captureSeconds.json.push(jsonSeconds);
  captureSeconds.xml.push(xmlSeconds);
}
const jsonCapture = eventsPerRun / median(captureSeconds.json);
const xmlCapture = eventsPerRun / median(captureSeconds.xml);
rows.push({
  metric: 'POST /capture, JSON-LD, 1000-event documents',
  value: jsonCapture,
  unit: 'events/s',
});
rows.push({
  metric: 'POST /capture, XML, the same events',
  value: xmlCapture,
  unit: 'events/s',
  ratio: xmlCapture / jsonCapture,
  baseline: 'of JSON capture',
  goal: '≥ 0.5× JSON',
});

// --- the XML reader against saxes' own parse -------------------------------------------------

const xml = sample.xml;
const megabytes = xml.length / 2 ** 20;

function readXml(bytes: Buffer): Buffer {
  const reader = new XmlDocumentReader({ maxDepth: 32, maxEvents: 10_000 }, bytes.length);
  // 64 KiB chunks, as a request body arrives.
  for (let at = 0; at < bytes.length; at += 65_536) reader.write(bytes.subarray(at, at + 65_536));
  return reader.end().json;
}

const ignore = () => undefined;

/**
 * saxes reading the same bytes with the reader's five handlers doing nothing: the floor of any
 * saxes-based reader. (Without handlers, in the same process as the reader's parsers, saxes took
 * 54 ms for the document against 10 ms in a process of its own: no fair floor.)
 */
function saxesParse(bytes: Buffer): void {
  const parser = new SaxesParser({ xmlns: true });
  for (const event of ['doctype', 'opentag', 'closetag', 'text', 'cdata'] as const) parser.on(event, ignore);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let at = 0; at < bytes.length; at += 65_536)
    parser.write(decoder.decode(bytes.subarray(at, at + 65_536), { stream: true }));
  parser.close();
}

// Alternating samples, as for capture above.
const readerSamples: number[] = [];
const saxesSamples: number[] = [];
for (let i = 0; i < RUNS * 3; i++) {
  readerSamples.push(...timeRuns(1, i === 0 ? 3 : 0, () => readXml(xml)));
  saxesSamples.push(...timeRuns(1, i === 0 ? 3 : 0, () => saxesParse(xml)));
}
const readerMs = median(readerSamples);
const saxesMs = median(saxesSamples);
rows.push({
  metric: 'XML reader (decode + saxes + event → JSON), 1000-event document',
  value: EVENTS_PER_DOC / (readerMs / 1000),
  unit: 'events/s',
  ratio: saxesMs / readerMs,
  baseline: "of saxes' plain parse",
});
rows.push({ metric: 'XML reader throughput', value: megabytes / (readerMs / 1000), unit: 'MiB/s of XML' });
rows.push({
  metric: "saxes' plain parse (xmlns, handlers doing nothing), same bytes",
  value: megabytes / (saxesMs / 1000),
  unit: 'MiB/s of XML',
});

const converted = readXml(xml);
notes['convertedJsonBytes'] = converted.length;
notes['medianMs'] = {
  captureJsonRun: median(captureSeconds.json) * 1000,
  captureXmlRun: median(captureSeconds.xml) * 1000,
  xmlReader: readerMs,
  saxesParse: saxesMs,
};

report('xml', rows, notes);
await stopService(services.json);
await stopService(services.xml);
