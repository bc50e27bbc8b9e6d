// Batch-capture generator, a process of its own: `concurrency` keep-alive clients post 1000-event
// documents to POST /capture back to back. tracker-server.wasm answers 202 only after the turn's
// fd_datasync (group commit), so answered events per second are durable events per second. Also
// seeds the state lookups (tracker-server and the Node service take the same documents). Documents
// are built before the clock starts. Reads a CaptureInput from argv[2], prints a CaptureResult.
import http from 'node:http';
import { movementDocument, seedDocument } from '../dataset.js';

export interface CaptureInput {
  origin: string;
  /** movement: documents of bench events from serial `first`; seed: seeding documents from index `first`. */
  kind: 'movement' | 'seed';
  first: number;
  documents: number;
  warmupDocuments: number;
  concurrency: number;
}

export interface CaptureResult {
  documents: number;
  seconds: number;
  documentsPerS: number;
  documentBytes: number;
  /** Status → count over the timed documents ('202-failed': a job that reports success false). */
  statuses: Record<string, number>;
  firstFailure: string | null;
}

const input = JSON.parse(process.argv[2]!) as CaptureInput;
const url = new URL(input.origin);
const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });
const documents = Array.from({ length: input.warmupDocuments + input.documents }, (_, d) =>
  input.kind === 'seed' ? seedDocument(input.first + d) : movementDocument(input.first + d * 1000),
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
        headers: { 'content-type': 'application/ld+json', 'content-length': body.length },
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
  let next = 0;
  let failure: string | null = null;
  const client = async () => {
    while (next < docs.length) {
      const [status, text] = await post(docs[next++]!);
      const failed = status === 202 && (JSON.parse(text) as { success?: boolean }).success !== true;
      const outcome = failed ? '202-failed' : String(status);
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
const output: CaptureResult = {
  documents: input.documents,
  seconds,
  documentsPerS: (statuses['202'] ?? 0) / seconds,
  documentBytes: documents[0]!.length,
  statuses,
  firstFailure,
};
console.log(JSON.stringify(output));
