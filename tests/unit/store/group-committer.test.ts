import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuplicateEventError, StoreClosedError, StoreUnavailableError } from '../../../host/store/errors.js';
import { openStore, rowCount, tempDir, type TestStore, toStore } from './helpers/store-fixtures.js';

const settle = <T extends readonly Promise<unknown>[]>(promises: readonly [...T]) =>
  Promise.allSettled(promises);

describe('GroupCommitter', () => {
  let store: TestStore;
  afterEach(() => {
    if (store.db.open) store.db.close();
  });

  it('commits requests submitted in the same turn in one transaction', async () => {
    store = openStore();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.committer.submit({ events: [toStore(`e${i}`)], mode: 'each' }),
      ),
    );
    expect(results.map((r) => r[0])).toEqual(
      Array.from({ length: 50 }, (_, i) => ({ kind: 'stored', seq: i + 1 })),
    );
    expect(store.commits).toHaveLength(1);
    expect(store.commits[0]).toMatchObject({ requests: 50, events: 50 });
  });

  it('commits requests submitted in later turns in later transactions', async () => {
    store = openStore();
    await store.committer.submit({ events: [toStore('a')], mode: 'each' });
    await store.committer.submit({ events: [toStore('b')], mode: 'each' });
    expect(store.commits.map((c) => c.requests)).toEqual([1, 1]);
  });

  it('splits a backlog into groups of at most maxBatchEvents, never splitting a request', async () => {
    store = openStore(':memory:', 5);
    const sizes = [3, 3, 7, 1, 1];
    let next = 0;
    await Promise.all(
      sizes.map((n) =>
        store.committer.submit({
          events: Array.from({ length: n }, () => toStore(`e${next++}`)),
          mode: 'each',
        }),
      ),
    );
    expect(store.commits.map((c) => c.events)).toEqual([3, 3, 7, 2]);
    expect(rowCount(store.db, 'events')).toBe(15);
  });

  it('rolls back only an all-or-nothing request that hits a duplicate; the rest of the group commits', async () => {
    store = openStore();
    await store.committer.submit({ events: [toStore('old')], mode: 'each' });
    const [before, failing, after] = await settle([
      store.committer.submit({ events: [toStore('a')], mode: 'all-or-nothing' }),
      store.committer.submit({
        events: [toStore('b'), toStore('old'), toStore('c')],
        mode: 'all-or-nothing',
      }),
      store.committer.submit({ events: [toStore('d')], mode: 'all-or-nothing' }),
    ]);
    expect(before.status).toBe('fulfilled');
    expect(after.status).toBe('fulfilled');
    expect(failing.status).toBe('rejected');
    const error = (failing as PromiseRejectedResult).reason as DuplicateEventError;
    expect(error).toBeInstanceOf(DuplicateEventError);
    expect(error.eventIds).toEqual(['old']);
    expect(store.db.prepare('SELECT event_id FROM events ORDER BY seq').pluck().all()).toEqual([
      'old',
      'a',
      'd',
    ]);
    expect(rowCount(store.db, 'outbox')).toBe(3);
    expect(store.commits.at(-1)).toMatchObject({ requests: 3 });
  });

  it("reports duplicates as outcomes in 'each' mode and stores the rest", async () => {
    store = openStore();
    await store.committer.submit({ events: [toStore('old')], mode: 'each' });
    const outcomes = await store.committer.submit({ events: [toStore('new'), toStore('old')], mode: 'each' });
    expect(outcomes).toEqual([
      { kind: 'stored', seq: 2 },
      { kind: 'duplicate', existingSeq: 1 },
    ]);
  });

  it('runs beforeCommit inside the request, so its writes commit or roll back with the events', async () => {
    store = openStore();
    const job = (id: string) => ({
      captureId: id,
      createdMs: 1,
      errorBehaviour: 'rollback' as const,
      eventCount: 1,
    });
    const ok = store.committer.submit({
      events: [toStore('a')],
      mode: 'all-or-nothing',
      beforeCommit: (outcomes) => {
        store.jobs.create(job('job-ok'));
        store.jobs.update('job-ok', { running: false, finishedMs: 2, storedCount: outcomes.length });
      },
    });
    const failing = store.committer.submit({
      events: [toStore('b')],
      mode: 'all-or-nothing',
      beforeCommit: () => {
        store.jobs.create(job('job-bad'));
        throw new Error('hook failed');
      },
    });
    await expect(ok).resolves.toHaveLength(1);
    await expect(failing).rejects.toThrow('hook failed');
    expect(store.jobs.get('job-ok')).toMatchObject({ storedCount: 1, job: { running: false } });
    expect(store.jobs.get('job-bad')).toBeNull();
    expect(store.db.prepare('SELECT event_id FROM events').pluck().all()).toEqual(['a']);
  });

  it('rejects a request whose statement fails mid-way with that error and keeps none of its rows', async () => {
    store = openStore();
    store.db.exec(`CREATE TRIGGER poison BEFORE INSERT ON event_epcs WHEN NEW.epc LIKE '%.poison'
      BEGIN SELECT RAISE(ABORT, 'poisoned identifier'); END`);
    const [first, failing, last] = await settle([
      store.committer.submit({ events: [toStore('a')], mode: 'each' }),
      store.committer.submit({ events: [toStore('b'), toStore('poison'), toStore('c')], mode: 'each' }),
      store.committer.submit({ events: [toStore('d')], mode: 'each' }),
    ]);
    expect([first.status, failing.status, last.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((failing as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER' });
    expect(store.db.prepare('SELECT event_id FROM events ORDER BY seq').pluck().all()).toEqual(['a', 'd']);
    expect(store.db.prepare('SELECT DISTINCT seq FROM event_epcs ORDER BY seq').pluck().all()).toEqual([
      1, 2,
    ]);
    expect(store.db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all()).toEqual([1, 2]);
    expect(store.db.inTransaction).toBe(false);
  });

  it('writes the outbox row in the same transaction as the event: a failing outbox insert keeps neither', async () => {
    store = openStore();
    store.db.exec(`CREATE TRIGGER no_outbox BEFORE INSERT ON outbox WHEN NEW.enqueued_ms = 13
      BEGIN SELECT RAISE(ABORT, 'outbox refused'); END`);
    await expect(
      store.committer.submit({ events: [toStore('a', { recordTimeMs: 13 })], mode: 'all-or-nothing' }),
    ).rejects.toThrow('outbox refused');
    expect(rowCount(store.db, 'events')).toBe(0);
    expect(rowCount(store.db, 'event_epcs')).toBe(0);
    expect(rowCount(store.db, 'event_links')).toBe(0);
  });

  it('fails the whole group with StoreUnavailableError when SQLite rolls the transaction back', async () => {
    store = openStore();
    store.db.exec(`CREATE TRIGGER doom BEFORE INSERT ON events WHEN NEW.event_id = 'doom'
      BEGIN SELECT RAISE(ROLLBACK, 'transaction rolled back'); END`);
    const results = await settle([
      store.committer.submit({ events: [toStore('a')], mode: 'each' }),
      store.committer.submit({ events: [toStore('doom')], mode: 'each' }),
      store.committer.submit({ events: [toStore('b')], mode: 'each' }),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
    expect(rowCount(store.db, 'events')).toBe(0);
    expect(store.db.inTransaction).toBe(false);
    await expect(store.committer.submit({ events: [toStore('a')], mode: 'each' })).resolves.toEqual([
      { kind: 'stored', seq: 1 },
    ]);
  });

  it('resolves only after COMMIT: another connection already sees the rows', async () => {
    const tmp = tempDir();
    try {
      store = openStore(join(tmp.dir, 'site.db'));
      const other = new Database(store.path, { readonly: true });
      const seen = await store.committer.submit({ events: [toStore('a')], mode: 'each' }).then(() => {
        return other.prepare('SELECT count(*) FROM events').pluck().get();
      });
      other.close();
      expect(seen).toBe(1);
      expect(store.db.inTransaction).toBe(false);
    } finally {
      store.db.close();
      tmp.remove();
    }
  });

  it('flushNow commits synchronously, without waiting for the next turn', () => {
    store = openStore();
    void store.committer.submit({ events: [toStore('a')], mode: 'each' });
    store.committer.flushNow();
    expect(rowCount(store.db, 'events')).toBe(1);
  });

  it('commits what is queued on close and rejects later submits with StoreClosedError', async () => {
    store = openStore();
    const queued = store.committer.submit({ events: [toStore('a')], mode: 'each' });
    await store.committer.close();
    await expect(queued).resolves.toHaveLength(1);
    await expect(store.committer.submit({ events: [toStore('b')], mode: 'each' })).rejects.toBeInstanceOf(
      StoreClosedError,
    );
    expect(rowCount(store.db, 'events')).toBe(1);
  });

  it('holds its groups while another connection writes, commits them right after and reports both', async () => {
    store = openStore();
    let during: Promise<unknown> | undefined;
    const value = await store.committer.runExclusive(async () => {
      during = store.committer.submit({ events: [toStore('queued')], mode: 'each' });
      store.committer.flushNow();
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Nothing of this committer ran while the other write held the store.
      expect(rowCount(store.db, 'events')).toBe(0);
      return { value: 'written elsewhere', info: { requests: 1, events: 7, durationMs: 1 } };
    });
    expect(value).toBe('written elsewhere');
    await during;
    expect(rowCount(store.db, 'events')).toBe(1);
    expect(store.commits.map((c) => c.events)).toEqual([7, 1]);
  });

  it('puts a request submitted from inside a flush into the next group', async () => {
    store = openStore();
    let inner: Promise<unknown> | undefined;
    await store.committer.submit({
      events: [toStore('a')],
      mode: 'each',
      beforeCommit: () => {
        inner = store.committer.submit({ events: [toStore('b')], mode: 'each' });
      },
    });
    await inner;
    expect(store.commits.map((c) => c.requests)).toEqual([1, 1]);
    expect(rowCount(store.db, 'events')).toBe(2);
  });
});

describe('GroupCommitter.write (small writes on the main connection)', () => {
  let store: TestStore;
  afterEach(() => {
    if (store.db.open) store.db.close();
  });
  const jobRow = (id: string) => ({
    captureId: id,
    createdMs: 1,
    errorBehaviour: 'proceed' as const,
    eventCount: 0,
  });

  it('shares the group with captures, resolves with its result after COMMIT and reports only the captures', async () => {
    store = openStore();
    const [created, outcomes] = await Promise.all([
      store.committer.write(() => {
        store.jobs.create(jobRow('job-w'));
        return store.jobs.update('job-w', { running: false });
      }),
      store.committer.submit({ events: [toStore('a')], mode: 'each' }),
    ]);
    expect(created).toBe(true);
    expect(outcomes).toEqual([{ kind: 'stored', seq: 1 }]);
    expect(store.commits).toEqual([expect.objectContaining({ requests: 1, events: 1 })]);
    await store.committer.write(() => store.jobs.create(jobRow('job-alone')));
    // A group of writes only stores no events: the live feed and metrics do not hear of it.
    expect(store.commits).toHaveLength(1);
    expect(rowCount(store.db, 'capture_jobs')).toBe(2);
  });

  it('rolls back only a write that throws, and rejects it with its error', async () => {
    store = openStore();
    const results = await settle([
      store.committer.write(() => store.jobs.create(jobRow('kept'))),
      store.committer.write(() => {
        store.jobs.create(jobRow('dropped'));
        throw new RangeError('refused');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(RangeError);
    expect(store.jobs.get('kept')).not.toBeNull();
    expect(store.jobs.get('dropped')).toBeNull();
  });

  it('waits while another connection writes (runExclusive) and runs right after, never on the lock', async () => {
    const tmp = tempDir();
    store = openStore(join(tmp.dir, 'site.db'));
    const other = new Database(store.path);
    let written: Promise<unknown> | undefined;
    try {
      await store.committer.runExclusive(async () => {
        other.exec('BEGIN IMMEDIATE');
        written = store.committer.write(() => store.jobs.create(jobRow('after')));
        // Turns pass with the write queued: a group run meanwhile would wait on the lock for
        // busy_timeout and then fail the write with SQLITE_BUSY.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(store.jobs.get('after')).toBeNull();
        other.exec('COMMIT');
        return { value: undefined, info: { requests: 1, events: 0, durationMs: 1 } };
      });
      await written;
      expect(store.jobs.get('after')).not.toBeNull();
    } finally {
      other.close();
      store.db.close();
      tmp.remove();
    }
  });

  it('rejects a write after close with StoreClosedError', async () => {
    store = openStore();
    await store.committer.close();
    await expect(store.committer.write(() => 1)).rejects.toBeInstanceOf(StoreClosedError);
  });
});
