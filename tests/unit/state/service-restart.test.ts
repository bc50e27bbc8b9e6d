// The Node service's restart from its own state snapshot (host/state-snapshot/, issue 12): after a
// clean stop it loads the snapshot written at shutdown and replays nothing; after a crash it
// replays exactly the events stored after the last snapshot; a snapshot that is damaged, or that
// another store or another tracker.wasm build wrote, is discarded (logged, counted, deleted) and
// the state rebuilt from the store. Whatever the start, the index answers as a fresh core that
// replays the whole store (the oracle), and duplicates are still refused.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SnapshotChecksum } from '../../../host/core/snapshot-checksum.js';
import { locateTrackerWasm } from '../../../host/core/wasm-module.js';
import type { Config } from '../../../host/config/config.js';
import type { RefusalReason } from '../../../host/state-snapshot/snapshot-start.js';
import { type EpcisEvent, objectEvent, sgln, sgtin } from '../../helpers/epcis-builders.js';
import {
  LOTS,
  TRACKED_CONTAINERS,
  TRACKED_ITEMS,
  trackingHistory,
} from '../../helpers/random-tracking-histories.js';
import { answers } from './support/index-answers.js';
import {
  captureAll,
  crashImage,
  freshDataDir,
  logged,
  refusals,
  removeDataDir,
  replayedAnswers,
  type RunningService,
  snapshotFiles,
  snapshotPath,
  snapshotSeq,
  startService,
  stored,
} from './support/restartable-service.js';

const POOL = [...TRACKED_ITEMS, ...TRACKED_CONTAINERS, ...LOTS, sgln('00001'), sgln('00002'), sgln('00003')];
const LOADED = 'state index loaded from a snapshot';
const DISCARDED =
  'state snapshot discarded: the state index starts from an older snapshot or the whole store instead';

/** A reproducible random history: `histories` of trackingHistory's, one after the other. */
const history = (seed: number, histories: number): EpcisEvent[] =>
  fc.sample(trackingHistory, { seed, numRuns: histories }).flat();

const running: RunningService[] = [];
const dataDirs: string[] = [];

/** A service on `dataDir`, stopped after the test if the test does not stop it. */
async function start(dataDir: string, overrides: Partial<Config> = {}): Promise<RunningService> {
  const service = await startService(dataDir, overrides);
  running.push(service);
  return service;
}

async function stop(service: RunningService): Promise<void> {
  running.splice(running.indexOf(service), 1);
  await service.close();
}

function dataDir(): string {
  const dir = freshDataDir();
  dataDirs.push(dir);
  return dir;
}

function copyOf(from: string): string {
  const dir = dataDir();
  cpSync(from, dir, { recursive: true });
  return dir;
}

function crashCopy(from: string): string {
  const dir = crashImage(from);
  dataDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const service of running.splice(0)) await service.close();
  for (const dir of dataDirs.splice(0)) removeDataDir(dir);
  vi.unstubAllEnvs();
});

/** A data directory whose service captured `events` and stopped cleanly: one snapshot, at its last seq. */
async function stoppedAfter(events: readonly EpcisEvent[], dir = dataDir()): Promise<string> {
  const service = await start(dir);
  await captureAll(service.service.app, events);
  await stop(service);
  return dir;
}

/** The index answers as a full replay of the store it runs on. */
async function expectOracle(service: RunningService, dir: string): Promise<void> {
  expect(answers(service.service.core, POOL)).toEqual(await replayedAnswers(dir, POOL));
}

/** The one snapshot the start discarded: logged, counted by reason, deleted; the index rebuilt. */
async function expectDiscarded(
  service: RunningService,
  dir: string,
  name: string,
  reason: RefusalReason,
): Promise<void> {
  expect(logged(service.logs, DISCARDED)).toEqual([
    expect.objectContaining({ file: name, reason, deleted: true }),
  ]);
  expect(await refusals(service)).toEqual({ [reason]: 1 });
  expect(existsSync(snapshotPath(dir, name))).toBe(false);
}

/** A start that used no snapshot: every stored event replayed, answers as the oracle. */
async function expectRebuiltFromStore(service: RunningService, dir: string): Promise<void> {
  expect(logged(service.logs, LOADED)).toEqual([]);
  expect(service.progress.events).toBe(stored(dir).count);
  await expectOracle(service, dir);
}

describe('a restart after a clean stop', () => {
  it('starts from the snapshot written at shutdown, replays no event and answers as before the stop (random histories)', async () => {
    await fc.assert(
      fc.asyncProperty(trackingHistory, trackingHistory, async (before, after) => {
        const dir = dataDir();
        const first = await start(dir);
        await captureAll(first.service.app, before);
        const answered = answers(first.service.core, POOL);
        await stop(first);
        const { count, maxSeq } = stored(dir);
        expect(snapshotFiles(dir)).toEqual([`${String(maxSeq).padStart(20, '0')}.snap`]);

        const second = await start(dir);
        expect(second.progress.events).toBe(0);
        expect(logged(second.logs, LOADED)).toEqual([expect.objectContaining({ storeSeq: maxSeq })]);
        expect(second.service.core.stats().events).toBe(count);
        expect(answers(second.service.core, POOL)).toEqual(answered);
        await expectOracle(second, dir);
        // The restored index keeps taking captures as a replayed one does.
        await captureAll(second.service.app, after);
        await expectOracle(second, dir);
        await stop(second);
        removeDataDir(dir);
      }),
      { numRuns: 4, seed: 20261207 },
    );
  });

  it('replays every stored event when the data directory has no snapshot yet', async () => {
    const dir = await stoppedAfter(history(11, 6));
    rmSync(join(dir, 'state-snapshot'), { recursive: true });

    const service = await start(dir);

    expect(logged(service.logs, DISCARDED)).toEqual([]);
    expect(await refusals(service)).toEqual({});
    await expectRebuiltFromStore(service, dir);
  });
});

describe('a restart after a crash', () => {
  it('loads the last snapshot and replays exactly the events stored after it', async () => {
    const dir = await stoppedAfter(history(21, 8));
    const snapshotAt = stored(dir).maxSeq;
    const service = await start(dir);
    await captureAll(service.service.app, history(22, 4));
    const crashed = crashCopy(dir);
    const answered = answers(service.service.core, POOL);

    const restarted = await start(crashed);

    expect(logged(restarted.logs, LOADED)).toEqual([expect.objectContaining({ storeSeq: snapshotAt })]);
    const tail = stored(crashed).maxSeq - snapshotAt;
    expect(tail).toBeGreaterThan(0);
    expect(restarted.progress.events).toBe(tail);
    expect(answers(restarted.service.core, POOL)).toEqual(answered);
    await expectOracle(restarted, crashed);
  });

  it('after a periodic snapshot (SNAPSHOT_EVERY_RECORDS) taken while captures kept coming, replays only the events stored after it', async () => {
    const EVERY = 20;
    const dir = dataDir();
    const service = await start(dir, { snapshotEveryRecords: EVERY });
    const { app } = service.service;
    // Two clients keep capturing, as under load, until the periodic check (once a second) has
    // written a snapshot. (Captures prepared in this thread commit and reach the index in one
    // step; the window IngestPipeline.settled closes, worker-prepared ones, needs dist/.)
    const written = () => logged(service.logs, 'state snapshot written').length > 0;
    const client = async (seed: number) => {
      for (let round = 0; !written(); round++) {
        if (round === 20_000) throw new Error('no periodic snapshot was written');
        await captureAll(app, history(seed + round, 1));
      }
    };
    await Promise.all([client(1_000_000), client(2_000_000)]);
    await captureAll(app, history(32, 2));
    const crashed = crashCopy(dir);
    const [newest] = snapshotFiles(crashed);
    const snapshotAt = snapshotSeq(newest!);
    const tail = stored(crashed).maxSeq - snapshotAt;
    expect(tail).toBeGreaterThan(0);

    const restarted = await start(crashed, { snapshotEveryRecords: EVERY });

    expect(logged(restarted.logs, LOADED)).toEqual([
      expect.objectContaining({ file: newest, storeSeq: snapshotAt }),
    ]);
    expect(restarted.progress.events).toBe(tail);
    await expectOracle(restarted, crashed);
  });

  it('ignores the temporary file of a snapshot that was being written when it was killed', async () => {
    const dir = await stoppedAfter(history(91, 6));
    const [name] = snapshotFiles(dir) as [string];
    const partial = readFileSync(snapshotPath(dir, name)).subarray(0, 1000);
    const later = `${String(snapshotSeq(name) + 5).padStart(20, '0')}.snap.tmp`;
    writeFileSync(snapshotPath(dir, later), partial);

    const service = await start(dir);

    expect(logged(service.logs, DISCARDED)).toEqual([]);
    expect(logged(service.logs, LOADED)).toEqual([expect.objectContaining({ file: name })]);
    expect(service.progress.events).toBe(0);
    await expectOracle(service, dir);
  });
});

describe('a damaged snapshot', () => {
  let base: string;
  let name: string;
  let good: Buffer;
  beforeAll(async () => {
    base = freshDataDir();
    await stoppedAfter(history(41, 8), base);
    [name] = snapshotFiles(base) as [string];
    good = readFileSync(snapshotPath(base, name));
  });
  afterAll(() => removeDataDir(base));

  /** A copy of the base data directory whose snapshot is `bytes`. */
  function withSnapshot(bytes: Uint8Array): string {
    const dir = copyOf(base);
    writeFileSync(snapshotPath(dir, name), bytes);
    return dir;
  }

  const flipped = (at: number): Buffer => {
    const bad = Buffer.from(good);
    bad[at] = bad[at]! ^ 0x10;
    return bad;
  };

  it('is discarded, counted and deleted when a byte of its host tag is flipped; the state is rebuilt from the whole store', async () => {
    const dir = withSnapshot(flipped(64 + 40));
    const service = await start(dir);
    await expectDiscarded(service, dir, name, 'checksum');
    await expectRebuiltFromStore(service, dir);
  });

  it('is discarded when a byte of its body is flipped, wherever it lies', async () => {
    for (const at of [200, good.length >> 1, good.length - 1]) {
      const dir = withSnapshot(flipped(at));
      const service = await start(dir);
      const [line] = logged(service.logs, DISCARDED);
      expect(['checksum', 'invalid'], `byte ${at}`).toContain(line?.['reason']);
      await expectRebuiltFromStore(service, dir);
      await stop(service);
    }
  });

  it('is discarded as invalid when truncated', async () => {
    for (const length of [0, 100, good.length - 1]) {
      const dir = withSnapshot(good.subarray(0, length));
      const service = await start(dir);
      await expectDiscarded(service, dir, name, 'invalid');
      await expectRebuiltFromStore(service, dir);
      await stop(service);
    }
  });

  it('is replaced at the next stop by a fresh snapshot, which the restart after it loads', async () => {
    const dir = withSnapshot(flipped(good.length >> 1));
    await stop(await start(dir));
    expect(snapshotFiles(dir)).toEqual([name]);

    const service = await start(dir);

    expect(logged(service.logs, DISCARDED)).toEqual([]);
    expect(logged(service.logs, LOADED)).toHaveLength(1);
    expect(service.progress.events).toBe(0);
    await expectOracle(service, dir);
  });

  it('is passed over for the older snapshot when the newest is damaged: only the events after the older are replayed', async () => {
    const dir = copyOf(base);
    await stoppedAfter(history(42, 3), dir);
    const [newest, older] = snapshotFiles(dir) as [string, string];
    expect(older).toBe(name);
    const bytes = readFileSync(snapshotPath(dir, newest));
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x10, middle);
    writeFileSync(snapshotPath(dir, newest), bytes);

    const service = await start(dir);

    await expectDiscarded(service, dir, newest, 'checksum');
    expect(logged(service.logs, LOADED)).toEqual([expect.objectContaining({ file: older })]);
    expect(service.progress.events).toBe(stored(dir).maxSeq - snapshotSeq(older));
    expect(service.progress.events).toBeGreaterThan(0);
    await expectOracle(service, dir);
  });
});

describe('a snapshot that does not match the store or the build', () => {
  const DB_FILES = ['edgetrace.db', 'edgetrace.db-wal', 'edgetrace.db-shm'];

  /** Replaces the data directory's store with the one in `from` (the snapshots stay). */
  function replaceStore(dir: string, from: string): void {
    for (const file of DB_FILES) {
      rmSync(join(dir, file), { force: true });
      if (existsSync(join(from, file))) cpSync(join(from, file), join(dir, file));
    }
  }

  it('is refused as ahead when the store was restored from an older backup; the older snapshot that matches it is used', async () => {
    const dir = await stoppedAfter(history(51, 5));
    const backup = copyOf(dir);
    await stoppedAfter(history(52, 3), dir);
    const [newest, older] = snapshotFiles(dir) as [string, string];
    replaceStore(dir, backup);
    expect(stored(dir).maxSeq).toBe(snapshotSeq(older));

    const service = await start(dir);

    await expectDiscarded(service, dir, newest, 'ahead');
    expect(logged(service.logs, LOADED)).toEqual([expect.objectContaining({ file: older })]);
    expect(service.progress.events).toBe(0);
    await expectOracle(service, dir);
  });

  it('is refused as store when the store was replaced by another one; the state is rebuilt from it', async () => {
    const dir = await stoppedAfter(history(61, 4));
    const other = await stoppedAfter(history(62, 10));
    const [name] = snapshotFiles(dir) as [string];
    expect(stored(other).maxSeq).toBeGreaterThanOrEqual(snapshotSeq(name));
    replaceStore(dir, other);

    const service = await start(dir);

    await expectDiscarded(service, dir, name, 'store');
    await expectRebuiltFromStore(service, dir);
  });

  it('is refused as build when another tracker.wasm build wrote it; the new build writes its own at the stop', async () => {
    const dir = await stoppedAfter(history(71, 5));
    const [name] = snapshotFiles(dir) as [string];
    // The same core with one more custom section: another build, byte for byte.
    const custom = Buffer.concat([Buffer.from([0, 12, 5]), Buffer.from('other'), Buffer.from('build!')]);
    const otherBuild = join(dataDir(), 'tracker.wasm');
    writeFileSync(otherBuild, Buffer.concat([readFileSync(locateTrackerWasm()), custom]));
    vi.stubEnv('EDGETRACE_TRACKER_WASM', otherBuild);

    const upgraded = await start(dir);

    await expectDiscarded(upgraded, dir, name, 'build');
    await expectRebuiltFromStore(upgraded, dir);
    await stop(upgraded);
    expect(snapshotFiles(dir)).toEqual([name]);
    const restarted = await start(dir);
    expect(logged(restarted.logs, DISCARDED)).toEqual([]);
    expect(restarted.progress.events).toBe(0);
    await expectOracle(restarted, dir);
  });

  it('is refused as version when written in another snapshot layout', async () => {
    const dir = await stoppedAfter(history(81, 5));
    const [name] = snapshotFiles(dir) as [string];
    const bytes = readFileSync(snapshotPath(dir, name));
    bytes.writeUInt32LE(1, 12);
    // A file that release wrote whole: its CRC is right for its bytes.
    SnapshotChecksum.seal([bytes]);
    writeFileSync(snapshotPath(dir, name), bytes);

    const service = await start(dir);

    await expectDiscarded(service, dir, name, 'version');
    await expectRebuiltFromStore(service, dir);
  });
});

describe('duplicate detection after a restart from a snapshot', () => {
  const withId = (n: number): EpcisEvent => ({
    ...objectEvent(`2026-01-01T09:${String(n % 60).padStart(2, '0')}:00Z`, 'OBSERVE', [sgtin(100 + n)]),
    eventID: `urn:uuid:5e5e0000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  });
  const withoutId = (n: number): EpcisEvent =>
    objectEvent(`2026-01-01T10:${String(n % 60).padStart(2, '0')}:00Z`, 'ADD', [sgtin(200 + n)], {
      bizLocation: sgln('00002'),
    });

  it('refuses an event captured before the restart when it is sent again, and stores it once', async () => {
    const inSnapshot = [...Array.from({ length: 10 }, (_, n) => withId(n)), ...[0, 1, 2, 3].map(withoutId)];
    const afterSnapshot = [withId(50), withId(51), withoutId(50)];
    const dir = await stoppedAfter(inSnapshot);
    const second = await start(dir);
    await captureAll(second.service.app, afterSnapshot);
    const crashed = crashCopy(dir);
    const before = stored(crashed);

    const restarted = await start(crashed);
    expect(logged(restarted.logs, LOADED)).toHaveLength(1);
    expect(restarted.progress.events).toBe(afterSnapshot.length);
    const indexed = restarted.service.core.stats().events;
    const jobs = await captureAll(restarted.service.app, [...inSnapshot, ...afterSnapshot]);

    const errors = jobs.flatMap((job) => job['errors'] as { type: string }[]);
    expect(errors.map((error) => error.type)).toEqual(
      Array(inSnapshot.length + afterSnapshot.length).fill('epcisException:ResourceAlreadyExistsException'),
    );
    expect(stored(crashed)).toEqual(before);
    expect(restarted.service.core.stats().events).toBe(indexed);
    await expectOracle(restarted, crashed);
  });
});
