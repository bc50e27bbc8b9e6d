// Batch-capture load generator process: `concurrency` clients post 1000-event EPCISDocuments to
// POST /capture back to back. The service answers 202 only after the job's transaction committed,
// so answered events per second are durable events per second. Documents are built before the
// clock starts. Reads a CaptureClientInput from argv[2], prints one CaptureClientResult on stdout.
import http from 'node:http';
import { captureDocument } from '../payloads.js';
import { JSON_LD } from './request-source.js';
import type { GeneratorCpu } from './run-load.js';

export interface CaptureClientInput {
  origin: string;
  /** Serial of the first event; documents take consecutive serials. */
  first: number;
  documents: number;
  eventsPerDocument: number;
  warmupDocuments: number;
  concurrency: number;
}

export interface CaptureClientResult extends GeneratorCpu {
  events: number;
  seconds: number;
  eventsPerS: number;
  documentBytes: number;
  /** Status code → count over the timed documents ('202-failed': a job that did not succeed). */
  statuses: Record<string, number>;
  /** The first answer that was not 202, to tell a refused document from a slow one. */
  firstFailure: string | null;
}

const input = JSON.parse(process.argv[2]!) as CaptureClientInput;
const url = new URL(input.origin);
const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });
const documents = Array.from({ length: input.warmupDocuments + input.documents }, (_, d) =>
  captureDocument(input.first + d * input.eventsPerDocument, input.eventsPerDocument),
);

function post(body: Buffer): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/capture',
        agent,
        headers: { 'content-type': JSON_LD, 'content-length': body.length },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve([response.statusCode ?? 0, text]));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function postAll(docs: Buffer[], statuses: Record<string, number>): Promise<string | null> {
  let nextDoc = 0;
  let failure: string | null = null;
  const client = async () => {
    while (nextDoc < docs.length) {
      const [status, text] = await post(docs[nextDoc++]!);
      // A 202 job can still report success: false (e.g. duplicates rolled back): count it apart.
      const outcome =
        status === 202 && (JSON.parse(text) as { success?: boolean }).success !== true
          ? '202-failed'
          : String(status);
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      if (outcome !== '202') failure ??= `${status} ${text.slice(0, 300)}`;
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, client));
  return failure;
}

await postAll(documents.slice(0, input.warmupDocuments), {});
const statuses: Record<string, number> = {};
const started = performance.now();
const firstFailure = await postAll(documents.slice(input.warmupDocuments), statuses);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
const events = (statuses['202'] ?? 0) * input.eventsPerDocument;
const lifetimeCpu = process.cpuUsage();
const output: CaptureClientResult = {
  cpuSeconds: (lifetimeCpu.user + lifetimeCpu.system) / 1e6,
  events,
  seconds,
  eventsPerS: events / seconds,
  documentBytes: documents[0]!.length,
  statuses,
  firstFailure,
};
console.log(JSON.stringify(output));
