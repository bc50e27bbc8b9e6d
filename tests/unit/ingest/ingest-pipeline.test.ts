// The one ingest path: POST /capture (prepared here, or on the ingest worker when large) and the
// sync consumer (many one-event documents in one write request) run the same batch lifecycle, so
// each behaviour below is checked for every caller: what is stored, what the state index shows,
// what is left pending in the core, and how often a trap is counted.
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureService } from '../../../host/capture/capture-service.js';
import type { CaptureJobDraft } from '../../../host/ingest/capture-job-draft.js';
import type { IngestItem } from '../../../host/ingest/ingest-pipeline.js';
import { DuplicateEventError, StoreUnavailableError } from '../../../host/store/errors.js';
import { openDatabase } from '../../../host/store/open-database.js';
import { epcisDocument, type EpcisEvent, objectEvent, sgln, sgtin } from '../../helpers/epcis-builders.js';
import { type IngestFixture, ingestFixture } from './helpers/ingest-fixtures.js';

const shipped = (serials: number[], location = '00777') =>
  serials.map((n) =>
    objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(n)], { bizLocation: sgln(location) }),
  );
const document = (events: EpcisEvent[]) => Buffer.from(JSON.stringify(epcisDocument(events)));
const job = (captureId: string, eventCount: number): CaptureJobDraft => ({
  captureId,
  createdMs: 1000,
  errorBehaviour: 'rollback',
  eventCount,
  validationErrors: [],
});

interface Caller {
  name: string;
  /** Documents this large or larger go to the ingest worker. */
  workerMinBytes?: number;
  store(f: IngestFixture, events: EpcisEvent[], id: string): Promise<unknown>;
}

const capture = (name: string, workerMinBytes?: number): Caller => ({
  name,
  workerMinBytes,
  async store(f, events, id) {
    const batch = await f.ingest.prepare(document(events));
    const stamp = { recordTimeMs: 1000, captureId: id, originSite: 'here', enqueueForSync: true };
    return f.ingest.store({ items: [{ batch, stamp }], mode: 'all-or-nothing', job: job(id, events.length) });
  },
});

// The consumer's shape: one document per message, all messages of a delivery in one write request.
const inbound: Caller = {
  name: 'the sync consumer',
  async store(f, events) {
    const stamp = { recordTimeMs: 1000, captureId: null, originSite: 'site-x', enqueueForSync: false };
    const items: IngestItem[] = events.map((e) => ({ batch: f.ingest.prepareHere(document([e])), stamp }));
    const outcomes = await f.ingest.store({ items, mode: 'each' });
    return outcomes.flat();
  },
};

const callers = [capture('POST /capture'), capture('POST /capture on the ingest worker', 0), inbound];

describe.each(callers)('the ingest pipeline, called by $name', (caller) => {
  let f: IngestFixture;
  const open = async () => (f = await ingestFixture({ workerMinBytes: caller.workerMinBytes }));
  afterEach(() => f.close());

  it('stores the events with their identifier rows, then shows them in the state index', async () => {
    await open();
    await caller.store(f, shipped([1, 2, 3]), 'job-1');
    expect([f.count('events'), f.count('event_epcs')]).toEqual([3, 3]);
    expect(f.core.state(sgtin(2))?.bizLocation).toMatch(/00777/);
    expect(f.core.pendingBatches).toBe(0);
    if (caller !== inbound) expect(f.jobs.get('job-1')?.job).toMatchObject({ running: false, success: true });
    // Only local captures are published; inbound events came from elsewhere.
    expect(f.count('outbox')).toBe(caller === inbound ? 0 : 3);
  });

  it('stores nothing and leaves nothing pending for a document its caller refuses', async () => {
    await open();
    const invalid = { ...shipped([4])[0]!, eventTimeZoneOffset: undefined };
    const batch = await f.ingest.prepare(document([invalid]));
    expect(batch.summary.issues[0]?.pointer).toMatch(/eventTimeZoneOffset/);
    f.ingest.release(batch);
    await caller.store(f, shipped([5]), 'job-after');
    expect(f.count('events')).toBe(1);
    expect(f.core.state(sgtin(4))).toBeNull();
    expect(f.core.pendingBatches).toBe(0);
  });

  it('keeps the stored events when the state update traps, rebuilds the state and counts the trap once', async () => {
    await open();
    f.trapNextStateUpdate();
    await caller.store(f, shipped([6, 7]), 'job-trap');
    expect(f.count('events')).toBe(2);
    expect(f.core.instances).toBe(2);
    expect(f.core.state(sgtin(7))).not.toBeNull();
    expect((await f.metrics.core.traps.get()).values[0]?.value).toBe(1);
  });

  it('reports duplicates without storing anything twice', async () => {
    await open();
    await caller.store(f, shipped([8, 9]), 'job-a');
    const again = caller.store(f, shipped([8, 9]), 'job-b');
    if (caller === inbound) {
      expect(await again).toMatchObject([{ kind: 'duplicate' }, { kind: 'duplicate' }]);
    } else {
      const error = (await again.catch((e: unknown) => e)) as DuplicateEventError;
      expect(error).toBeInstanceOf(DuplicateEventError);
      expect(error.eventIds).toHaveLength(2);
      // All-or-nothing: not even the capture job of the refused write was kept.
      expect(f.jobs.get('job-b')).toBeNull();
    }
    expect(f.count('events')).toBe(2);
    expect(f.core.pendingBatches).toBe(0);
  });

  it('stores nothing, leaves nothing pending and keeps the state when the store cannot write', async () => {
    await open();
    await caller.store(f, shipped([10]), 'job-before');
    // Another connection holds the write lock past busy_timeout, as a stuck writer or a full disk
    // that fails every write would: the write fails as a whole, for whichever connection tries.
    const blocker = openDatabase({ path: f.databaseFile, synchronous: 'NORMAL' });
    blocker.pragma('busy_timeout = 0');
    blocker.exec('BEGIN IMMEDIATE');
    f.db.pragma('busy_timeout = 50');
    try {
      const error = (await caller.store(f, shipped([11, 12]), 'job-fail').catch((e: unknown) => e)) as
        StoreUnavailableError | undefined;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error?.sqliteCode).toBe('SQLITE_BUSY');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect(f.count('events')).toBe(1);
    expect(f.core.state(sgtin(11))).toBeNull();
    expect(f.core.pendingBatches).toBe(0);
  }, 20_000);
});

describe.each([
  { where: 'in this thread', workerMinBytes: undefined },
  { where: 'on the ingest worker', workerMinBytes: 0 },
])('a snapshot instant (settled) while captures are stored $where', ({ workerMinBytes }) => {
  let f: IngestFixture;
  afterEach(() => f.close());

  it('runs only once every committed store has reached the state index, and holds later stores until it ran', async () => {
    f = await ingestFixture({ workerMinBytes });
    const stamp = { recordTimeMs: 1000, captureId: null, originSite: 'here', enqueueForSync: true };
    const storeOf = async (serials: number[]) => {
      const batch = await f.ingest.prepare(document(shipped(serials)));
      return () => f.ingest.store({ items: [{ batch, stamp }], mode: 'all-or-nothing' });
    };
    const [storeFirst, storeLater] = [await storeOf([21, 22]), await storeOf([23])];
    const first = storeFirst();
    // Asked for while the first store is on its way: it must see its events in the index, never a half state.
    const seen = f.ingest.settled(() => ({
      events: f.count('events'),
      inIndex: [21, 22, 23].map((n) => f.core.state(sgtin(n)) !== null),
    }));
    // Started while the instant is pending: stored only after it.
    const later = storeLater();
    expect(await seen).toEqual({ events: 2, inIndex: [true, true, false] });
    await Promise.all([first, later]);
    expect(f.count('events')).toBe(3);
    expect(f.core.state(sgtin(23))).not.toBeNull();
  });
});

describe('the ingest pipeline when the disk is full', () => {
  let f: IngestFixture;
  afterEach(() => f.close());

  it.each([capture('POST /capture'), inbound])(
    '$name: stores nothing and keeps no partial rows',
    async (caller) => {
      f = await ingestFixture();
      const pages = f.db.pragma('page_count', { simple: true }) as number;
      f.db.pragma(`max_page_count = ${pages + 2}`);
      const many = shipped(Array.from({ length: 300 }, (_, i) => 100 + i));
      const error = (await caller
        .store(f, many, 'job-full')
        .catch((e: unknown) => e)) as StoreUnavailableError;
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error.sqliteCode).toBe('SQLITE_FULL');
      expect([f.count('events'), f.count('event_epcs'), f.count('outbox'), f.count('capture_jobs')]).toEqual([
        0, 0, 0, 0,
      ]);
      expect(f.core.state(sgtin(100))).toBeNull();
      expect(f.core.pendingBatches).toBe(0);
    },
  );
});

describe('POST /capture through the ingest pipeline', () => {
  let f: IngestFixture;
  afterEach(() => f.close());

  it('still shows a capture in the state index when another capture trapped between its prepare and its commit', async () => {
    f = await ingestFixture();
    const stamp = { recordTimeMs: 1000, captureId: null, originSite: 'here', enqueueForSync: true };
    const early = f.ingest.prepareHere(document(shipped([30])));
    f.trapNextStateUpdate();
    await f.ingest.store({
      items: [{ batch: f.ingest.prepareHere(document(shipped([31]))), stamp }],
      mode: 'each',
    });
    // The rebuild after the trap read the store before `early` was in it, and the fresh instance
    // never held its batch; a later batch may even reuse its id.
    const later = f.ingest.prepareHere(document(shipped([32])));
    await f.ingest.store({ items: [{ batch: early, stamp }], mode: 'each' });
    await f.ingest.store({ items: [{ batch: later, stamp }], mode: 'each' });
    expect([30, 31, 32].map((n) => f.core.state(sgtin(n)) !== null)).toEqual([true, true, true]);
    expect(f.core.pendingBatches).toBe(0);
  });

  it('counts a trap in the state update once in the metrics', async () => {
    f = await ingestFixture();
    const service = new CaptureService({
      ingest: f.ingest,
      jobs: f.jobs,
      writes: f.committer,
      metrics: f.metrics,
      siteId: 'here',
    });
    f.trapNextStateUpdate();
    const outcome = await service.captureDocument(document(shipped([20])), 'rollback');
    expect(outcome).toMatchObject({ kind: 'job', job: { job: { success: true } } });
    expect((await f.metrics.core.traps.get()).values[0]?.value).toBe(1);
  });
});
