// The ingest worker thread: prepares large documents on a tracker.wasm instance of its own and
// writes them through its own SQLite connection, running the very same IngestPipeline as the main
// thread (with no state index: the owning core on the main thread applies the events each write
// sends back, in slices). One request at a time, in the order they arrive; IngestWorkerPool runs
// several of these so that one prepares while another writes.
import { parentPort, workerData } from 'node:worker_threads';
import { TrackerCore } from '../core/gateway.js';
import { acceptedEvents } from '../capture/stored-events.js';
import { CaptureJobs } from '../store/capture-jobs.js';
import { EventWriter } from '../store/event-writer.js';
import { type CommitInfo, GroupCommitter } from '../store/group-committer.js';
import { openDatabase } from '../store/open-database.js';
import { inboundRecorder } from '../journal/inbound-writer.js';
import { IngestPipeline } from './ingest-pipeline.js';
import { type LocalBatch, toStateEvent } from './prepared-batch.js';
import { encodeStateSlices } from './state-slices.js';
import { encodeError, type WorkerRequest, type WorkerSetup } from './worker-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
// No onInstanceReplaced: this instance never holds state, so a fresh one needs no rebuild.
const core = await TrackerCore.load({ limits: setup.limits });
const db = openDatabase({
  path: setup.databaseFile,
  synchronous: setup.synchronous,
  walAutocheckpointPages: setup.walAutocheckpointPages,
});
let lastCommit: CommitInfo | null = null;
const committer = new GroupCommitter(db, new EventWriter(db), {
  maxBatchEvents: Number.MAX_SAFE_INTEGER,
  onCommit: (info) => (lastCommit = info),
});
const pipeline = new IngestPipeline({
  core,
  committer,
  jobs: new CaptureJobs(db),
  trackState: false,
  inbound: setup.recordInbound === true ? inboundRecorder(db) : undefined,
});
const held = new Map<number, LocalBatch>();
let nextHandle = 1;

function batch(handle: number): LocalBatch {
  const found = held.get(handle);
  if (found === undefined) throw new Error(`no prepared batch ${handle}`);
  return found;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'prepare': {
      const started = process.hrtime.bigint();
      const prepared = pipeline.prepareHere(
        Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength),
      );
      const prepareSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const handle = nextHandle++;
      held.set(handle, prepared);
      return { handle, summary: prepared.summary, prepareSeconds };
    }
    case 'write': {
      const { stamp, mode, job, withStateEvents } = request;
      const prepared = batch(request.handle);
      lastCommit = null;
      const [outcomes] = await pipeline.store({
        items: [{ batch: prepared, stamp }],
        mode,
        job: job ?? undefined,
      });
      const stateSlices = withStateEvents
        ? encodeStateSlices(acceptedEvents(prepared.result).map(toStateEvent))
        : null;
      return { outcomes, info: lastCommit, stateSlices };
    }
    case 'release': {
      const released = held.get(request.handle);
      held.delete(request.handle);
      if (released !== undefined) pipeline.release(released);
      return null;
    }
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', ({ id, ...request }: { id: number } & WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      port.postMessage({ id, ok: true, value: await handle(request) });
    } catch (error) {
      port.postMessage({ id, ok: false, error: encodeError(error) });
    }
  });
});
