// Worker thread of the query-store builder: the real core prepares each 1000-event document
// (parse, validate, normalise, hash) and the rows the capture path would store are posted to the
// writer. At most WINDOW documents are in flight, so a slow writer holds memory bounded.
import { parentPort, workerData } from 'node:worker_threads';
import { eventsToStore } from '../../../host/capture/stored-events.js';
import { TrackerCore } from '../../../host/core/gateway.js';
import { captureDocument } from '../payloads.js';

export interface PrepareWorkerData {
  events: number;
  eventsPerDocument: number;
  originSite: string;
}

const WINDOW = 4;
const { events, eventsPerDocument, originSite } = workerData as PrepareWorkerData;
const port = parentPort!;
const core = await TrackerCore.load();
let credits = WINDOW;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
});

for (let first = 0; first < events; first += eventsPerDocument) {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  const document = captureDocument(first, Math.min(eventsPerDocument, events - first));
  const result = core.prepare(document);
  core.discard(result.batchId);
  if (result.issues.length > 0) throw new Error(`event ${first}: ${JSON.stringify(result.issues[0])}`);
  const rows = eventsToStore(document, result, {
    recordTimeMs: Date.now(),
    captureId: null,
    originSite,
    enqueueForSync: true,
  });
  port.postMessage(rows);
}
port.close();
