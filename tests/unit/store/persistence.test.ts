import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { declarationOf, openStore, tempDir, toStore } from './helpers/store-fixtures.js';

describe('a file database reopened', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('keeps events, index rows, outbox state, capture jobs and the schema version', async () => {
    const path = join(tmp.dir, 'data', 'site.db');
    const first = openStore(path);
    await first.committer.submit({
      events: [toStore('a', { captureId: 'job-1' }), toStore('b', { captureId: 'job-1' })],
      mode: 'all-or-nothing',
      beforeCommit: () =>
        first.jobs.create({ captureId: 'job-1', createdMs: 10, errorBehaviour: 'rollback', eventCount: 2 }),
    });
    await first.committer.submit({ events: [declarationOf('a', 99)], mode: 'each' });
    first.outbox.markSent([1], 500);
    const migrations = first.db.prepare('SELECT * FROM schema_migrations').all();
    await first.committer.close();
    first.db.close();

    const second = openStore(path);
    try {
      expect(second.reader.countEvents()).toBe(3);
      expect(second.reader.maxSeq()).toBe(3);
      expect(second.reader.byEventId('a')).toMatchObject({
        event: { seq: 1, captureId: 'job-1' },
        declarations: [{ seq: 3, declarationTimeMs: 99 }],
      });
      expect(second.outbox.depth()).toBe(2);
      expect(second.outbox.unsent(10).map((e) => e.seq)).toEqual([2, 3]);
      expect(second.jobs.get('job-1')?.job.captureID).toBe('job-1');
      expect(second.db.prepare('SELECT * FROM schema_migrations').all()).toEqual(migrations);
      expect(await second.committer.submit({ events: [toStore('a')], mode: 'each' })).toEqual([
        { kind: 'duplicate', existingSeq: 1 },
      ]);
    } finally {
      second.db.close();
    }
  });
});
