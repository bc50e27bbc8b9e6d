import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaptureJobs } from '../../../host/store/capture-jobs.js';
import { openStore, type TestStore } from './helpers/store-fixtures.js';

describe('CaptureJobs', () => {
  let store: TestStore;
  let jobs: CaptureJobs;
  beforeEach(() => {
    store = openStore();
    jobs = store.jobs;
  });
  afterEach(() => store.db.close());

  it('creates a running, successful job in the EPCIS CaptureJob shape', () => {
    jobs.create({
      captureId: 'c1',
      createdMs: Date.UTC(2022, 0, 21, 17, 32, 28),
      errorBehaviour: 'rollback',
      eventCount: 3,
    });
    expect(jobs.get('c1')).toEqual({
      job: {
        captureID: 'c1',
        createdAt: '2022-01-21T17:32:28.000Z',
        running: true,
        success: true,
        captureErrorBehaviour: 'rollback',
        errors: [],
      },
      eventCount: 3,
      storedCount: 0,
    });
    expect(jobs.get('nope')).toBeNull();
  });

  it('updates only the given fields and records the errors as problem objects', () => {
    jobs.create({ captureId: 'c1', createdMs: 0, errorBehaviour: 'proceed', eventCount: 3 });
    const problem = {
      type: 'epcisException:ResourceAlreadyExistsException',
      title: 'Event already exists',
      status: 409,
    };
    expect(jobs.update('c1', { success: false, errors: [problem] })).toBe(true);
    expect(jobs.get('c1')).toMatchObject({
      job: { running: true, success: false, errors: [problem] },
      storedCount: 0,
    });
    jobs.update('c1', { running: false, finishedMs: 1000, storedCount: 2 });
    expect(jobs.get('c1')).toMatchObject({
      job: { running: false, success: false, finishedAt: '1970-01-01T00:00:01.000Z', errors: [problem] },
      storedCount: 2,
    });
    expect(jobs.update('missing', { running: false })).toBe(false);
  });

  it('lists newest first, page by page, with a cursor that survives jobs sharing a millisecond', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    ids.forEach((id, i) =>
      jobs.create({
        captureId: id,
        createdMs: i < 3 ? 100 : 200 + i,
        errorBehaviour: 'rollback',
        eventCount: 1,
      }),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = jobs.list({ limit: 2, cursor });
      seen.push(...page.jobs.map((j) => j.job.captureID));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(pages).toBe(3);
  });

  it('ends on an exactly full last page without a cursor', () => {
    jobs.create({ captureId: 'a', createdMs: 1, errorBehaviour: 'rollback', eventCount: 1 });
    jobs.create({ captureId: 'b', createdMs: 2, errorBehaviour: 'rollback', eventCount: 1 });
    expect(jobs.list({ limit: 2 }).nextCursor).toBeNull();
  });

  it('rejects a malformed cursor', () => {
    expect(() => jobs.list({ limit: 2, cursor: 'not-a-cursor' })).toThrow(RangeError);
  });

  it('refuses an unknown error behaviour (CHECK constraint)', () => {
    expect(() =>
      jobs.create({ captureId: 'x', createdMs: 0, errorBehaviour: 'maybe' as 'rollback', eventCount: 1 }),
    ).toThrow(/CHECK/);
  });
});
