import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalCursor } from '../../../host/journal/journal-cursor.js';
import { encodeJournalRecord, splitJournal } from '../../../host/journal/journal-records.js';

const payload = (seq: number) => Buffer.from(`{"eventId":"urn:uuid:${seq}","n":${seq}}`);
const records = (...seqs: number[]) =>
  Buffer.concat(seqs.map((seq) => encodeJournalRecord(seq, payload(seq))));

describe('journal record reader', () => {
  it('reads every whole record in order with its seq and payload', () => {
    const split = splitJournal(records(1, 2, 3));
    expect(split.stop).toBe('end');
    expect(split.records.map((r) => [r.seq, r.payload.toString()])).toEqual(
      [1, 2, 3].map((s) => [s, payload(s).toString()]),
    );
    expect(split.consumed).toBe(records(1, 2, 3).length);
  });

  it('stops before a torn tail, in the header or in the payload, and consumes only whole records', () => {
    const whole = records(1, 2);
    const third = encodeJournalRecord(3, payload(3));
    for (const cut of [1, 15, 16, third.length - 1]) {
      const split = splitJournal(Buffer.concat([whole, third.subarray(0, cut)]));
      expect(split.records.map((r) => r.seq)).toEqual([1, 2]);
      expect(split.consumed).toBe(whole.length);
      expect(split.stop).toBe('partial');
    }
  });

  it('stops at a record whose checksum fails and trusts nothing after it', () => {
    const bytes = records(1, 2, 3);
    const second = encodeJournalRecord(1, payload(1)).length;
    bytes[second + 20] = bytes[second + 20]! ^ 0x01;
    const split = splitJournal(bytes);
    expect(split.records.map((r) => r.seq)).toEqual([1]);
    expect(split.stop).toBe('checksum');
    expect(split.consumed).toBe(second);
  });

  it('rejects a garbled seq as a checksum failure (the seq is checksummed with the payload)', () => {
    const bytes = records(7);
    bytes[8] = 8;
    expect(splitJournal(bytes)).toMatchObject({ records: [], stop: 'checksum', consumed: 0 });
  });
});

describe('journal cursor', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'edgetrace-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = () => join(dir, 'journal.log');

  it('waits for a missing journal, then reads the records as they arrive', async () => {
    const path = file();
    const cursor = new JournalCursor(path, 0);
    expect(await cursor.read(100)).toMatchObject({ records: [], stop: 'missing' });
    writeFileSync(path, records(1));
    expect((await cursor.read(100)).records.map((r) => r.seq)).toEqual([1]);
  });

  it('reads a partial record once the rest of it has been written', async () => {
    const path = file();
    const second = encodeJournalRecord(2, payload(2));
    writeFileSync(path, Buffer.concat([records(1), second.subarray(0, 10)]));
    const cursor = new JournalCursor(path, 0);
    const first = await cursor.read(100);
    expect(first.records.map((r) => r.seq)).toEqual([1]);
    expect(first.stop).toBe('partial');
    expect(cursor.position).toBe(records(1).length);
    appendFileSync(path, second.subarray(10));
    const next = await cursor.read(100);
    expect(next.records.map((r) => [r.seq, r.payload.toString(), r.endOffset])).toEqual([
      [2, payload(2).toString(), records(1, 2).length],
    ]);
    expect(next.stop).toBe('end');
  });

  it('resumes at a stored offset and reads again from the start when the file was cut below it', async () => {
    const path = file();
    writeFileSync(path, records(1, 2, 3));
    const resumed = new JournalCursor(path, records(1, 2).length);
    expect((await resumed.read(100)).records.map((r) => r.seq)).toEqual([3]);
    truncateSync(path, records(1).length);
    const after = await resumed.read(100);
    expect(after.restarted).toBe(true);
    expect(after.records.map((r) => r.seq)).toEqual([1]);
  });

  it('hands out at most the requested number of records and says more are waiting', async () => {
    const path = file();
    writeFileSync(path, records(1, 2, 3));
    const cursor = new JournalCursor(path, 0);
    const first = await cursor.read(2);
    expect(first.records.map((r) => r.seq)).toEqual([1, 2]);
    expect(first.stop).toBe('limit');
    expect((await cursor.read(2)).records.map((r) => r.seq)).toEqual([3]);
  });
});
