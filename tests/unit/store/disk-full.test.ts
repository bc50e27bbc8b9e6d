// Disk full is simulated with PRAGMA max_page_count: once the database would grow past it SQLite
// fails the write with SQLITE_FULL, exactly as it does when the file system is out of space.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../host/store/errors.js';
import { openStore, rowCount, tempDir, type TestStore, toStore } from './helpers/store-fixtures.js';

const bigBody = (id: string) => JSON.stringify({ eventID: id, padding: 'x'.repeat(3000) });

describe('GroupCommitter when the disk is full', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: TestStore;

  beforeEach(() => {
    tmp = tempDir();
    store = openStore(join(tmp.dir, 'site.db'));
  });
  afterEach(() => {
    store.db.close();
    tmp.remove();
  });

  const counts = () =>
    ['events', 'event_epcs', 'event_links', 'outbox', 'capture_jobs'].map((t) => rowCount(store.db, t));

  it('fails every request of the group with StoreUnavailableError and keeps no partial rows', async () => {
    await store.committer.submit({ events: [toStore('before')], mode: 'each' });
    const before = counts();
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    // Room for a few events but not for the whole group, so the failure comes mid-group.
    store.db.pragma(`max_page_count = ${pages + 12}`);
    const hooksRun: number[] = [];

    const requests = Array.from({ length: 6 }, (_, r) =>
      store.committer.submit({
        events: Array.from({ length: 5 }, (_, i) => toStore(`r${r}-${i}`, { body: bigBody(`r${r}-${i}`) })),
        mode: r % 2 === 0 ? 'each' : 'all-or-nothing',
        beforeCommit: () => {
          store.jobs.create({
            captureId: `job-${r}`,
            createdMs: r,
            errorBehaviour: 'proceed',
            eventCount: 5,
          });
          hooksRun.push(r);
        },
      }),
    );
    const results = await Promise.allSettled(requests);
    // The first requests were written completely before the disk filled up, and still rolled back.
    expect(hooksRun.length).toBeGreaterThan(0);
    expect(hooksRun.length).toBeLessThan(6);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as StoreUnavailableError;
      expect(reason).toBeInstanceOf(StoreUnavailableError);
      expect(reason.code).toBe('STORE_UNAVAILABLE');
      expect(reason.sqliteCode).toBe('SQLITE_FULL');
    }
    expect(counts()).toEqual(before);
    expect(store.db.inTransaction).toBe(false);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('keeps working once space is freed', async () => {
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const huge = JSON.stringify({ eventID: 'a', padding: 'x'.repeat(50_000) });
    await expect(
      store.committer.submit({ events: [toStore('a', { body: huge })], mode: 'each' }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);

    store.db.pragma('max_page_count = 1073741823');
    await expect(
      store.committer.submit({ events: [toStore('a', { body: bigBody('a') })], mode: 'each' }),
    ).resolves.toEqual([{ kind: 'stored', seq: 1 }]);
    expect(counts()).toEqual([1, 2, 1, 1, 0]);
  });
});
