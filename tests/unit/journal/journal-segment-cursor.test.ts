import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalSegmentCursor, type SegmentRead } from '../../../host/journal/journal-segment-cursor.js';
import {
  LEGACY_SEGMENT,
  listSegments,
  segmentHolding,
  segmentName,
} from '../../../host/journal/journal-segment-files.js';
import { encodeJournalRecord } from '../../../host/journal/journal-records.js';

const payload = (seq: number) => Buffer.from(`{"eventId":"urn:uuid:${seq}","n":${seq}}`);
const records = (...seqs: number[]) =>
  Buffer.concat(seqs.map((seq) => encodeJournalRecord(seq, payload(seq))));
const seqs = (read: SegmentRead) => read.records.map((r) => r.seq);

describe('journal segment cursor', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'edgetrace-segments-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const segment = (first: number) => join(dir, 'journal', segmentName(first));
  function writeSegment(first: number, bytes: Buffer): void {
    mkdirSync(join(dir, 'journal'), { recursive: true });
    writeFileSync(segment(first), bytes);
  }

  it('waits while there is no journal at all, then reads the first segment when it appears', async () => {
    const cursor = new JournalSegmentCursor(dir, { segment: LEGACY_SEGMENT, offset: 0 });
    expect(await cursor.read(100)).toMatchObject({ records: [], stop: 'missing' });
    writeSegment(1, records(1, 2));
    expect(seqs(await cursor.read(100))).toEqual([1, 2]);
  });

  it('reads every segment in order, each record tagged with its segment and where the next one starts', async () => {
    writeSegment(1, records(1, 2));
    writeSegment(3, records(3));
    writeSegment(4, records(4, 5));
    const cursor = new JournalSegmentCursor(dir, { segment: LEGACY_SEGMENT, offset: 0 });
    const read: SegmentRead['records'] = [];
    for (let i = 0; i < 10; i++) {
      const next = await cursor.read(100);
      read.push(...next.records);
      if (next.stop !== 'limit') break;
    }
    expect(read.map((r) => [r.seq, r.segment, r.endOffset])).toEqual([
      [1, 1, records(1).length],
      [2, 1, records(1, 2).length],
      [3, 3, records(3).length],
      [4, 4, records(4).length],
      [5, 4, records(4, 5).length],
    ]);
    expect(cursor.place).toEqual({ segment: 4, offset: records(4, 5).length });
  });

  it('finishes the records appended to a segment before the next one appeared, then moves on', async () => {
    writeSegment(1, records(1));
    const cursor = new JournalSegmentCursor(dir, { segment: 1, offset: 0 });
    expect(await cursor.read(100)).toMatchObject({ stop: 'end' });
    // The server's last appends to segment 1, then the rotation.
    appendFileSync(segment(1), records(2, 3));
    writeSegment(4, records(4));
    const rest = await cursor.read(100);
    expect(seqs(rest)).toEqual([2, 3]);
    expect(rest.stop).toBe('limit');
    expect(seqs(await cursor.read(100))).toEqual([4]);
  });

  it('does not leave a segment whose last record is still partial', async () => {
    const third = encodeJournalRecord(3, payload(3));
    writeSegment(1, Buffer.concat([records(1, 2), third.subarray(0, 9)]));
    const cursor = new JournalSegmentCursor(dir, { segment: 1, offset: 0 });
    expect(seqs(await cursor.read(100))).toEqual([1, 2]);
    appendFileSync(segment(1), third.subarray(9));
    writeSegment(4, records(4));
    expect(seqs(await cursor.read(100))).toEqual([3]);
    expect(seqs(await cursor.read(100))).toEqual([4]);
  });

  it('reads the legacy journal.log, and continues at the same offset once the server moved it into journal/', async () => {
    writeFileSync(join(dir, 'journal.log'), records(1, 2));
    const cursor = new JournalSegmentCursor(dir, { segment: LEGACY_SEGMENT, offset: 0 });
    expect(seqs(await cursor.read(100))).toEqual([1, 2]);
    appendFileSync(join(dir, 'journal.log'), records(3));
    mkdirSync(join(dir, 'journal'));
    renameSync(join(dir, 'journal.log'), segment(1));
    const moved = await cursor.read(100);
    expect(seqs(moved)).toEqual([3]);
    expect(moved.restarted).toBe(false);
    expect(cursor.place).toEqual({ segment: 1, offset: records(1, 2, 3).length });
  });

  it('resumes at a saved segment and offset, and starts over at the oldest segment when that one is gone', async () => {
    writeSegment(1, records(1, 2));
    writeSegment(3, records(3, 4));
    const resumed = new JournalSegmentCursor(dir, { segment: 3, offset: records(3).length });
    expect(seqs(await resumed.read(100))).toEqual([4]);

    rmSync(segment(1));
    const orphaned = new JournalSegmentCursor(dir, { segment: 1, offset: records(1).length });
    const read = await orphaned.read(100);
    expect(read.restarted).toBe(true);
    expect(seqs(read)).toEqual([3, 4]);
  });

  it('rewinds to the start of the segment that holds a seq', async () => {
    writeSegment(1, records(1, 2));
    writeSegment(3, records(3, 4));
    writeSegment(5, records(5));
    expect(await listSegments(dir)).toEqual([1, 3, 5]);
    expect(segmentHolding([1, 3, 5], 4)).toBe(3);
    expect(segmentHolding([3, 5], 2)).toBe(3);
    expect(segmentHolding([], 2)).toBeUndefined();
    const cursor = new JournalSegmentCursor(dir, { segment: 5, offset: records(5).length });
    await cursor.rewindToSeq(4);
    expect(seqs(await cursor.read(100))).toEqual([3, 4]);
  });
});
