import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitJournal } from '../../../host/journal/journal-records.js';
import { INBOUND_DIR, InboundWriter, inboundRecorder } from '../../../host/journal/inbound-writer.js';
import { openDatabase } from '../../../host/store/open-database.js';

const HASH = `ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`;
const logger = pino({ level: 'silent' });
let dir: string;
let db: Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edgetrace-inbound-'));
  db = openDatabase({ path: join(dir, 'edgetrace.db'), synchronous: 'NORMAL' });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function writer(segmentBytes = 64 * 1024 * 1024): InboundWriter {
  const w = new InboundWriter({ db, dataDir: dir, segmentBytes, logger });
  w.start();
  return w;
}

/** Stores events n..n+count-1 as the ingest path does: event rows and inbound seqs in one transaction. */
function storeEvents(
  record: (seqs: number[]) => void,
  from: number,
  count: number,
  declaration = false,
): void {
  const insertEvent = db.prepare(`INSERT INTO events (event_id, hash_id, event_type, action, event_time_ms,
      event_time_offset, record_time_ms, biz_location, is_declaration, declaration_time_ms, origin_site, body)
    VALUES (?, ?, 'ObjectEvent', 'ADD', ?, '+00:00', 0, 'urn:epc:id:sgln:0614141.00001.0', ?, ?, 'hub', '{}')`);
  const insertEpc = db.prepare("INSERT INTO event_epcs (seq, epc, role) VALUES (?, ?, 'epcList')");
  db.transaction(() => {
    const seqs: number[] = [];
    for (let n = from; n < from + count; n++) {
      const { lastInsertRowid } = insertEvent.run(
        `urn:uuid:e-${n}`,
        HASH,
        1_700_000_000_000 + n,
        declaration ? 1 : 0,
        declaration ? 1_800_000_000_000 : null,
      );
      insertEpc.run(lastInsertRowid, `urn:epc:id:sgtin:0614141.107346.${n}`);
      insertEpc.run(lastInsertRowid, `urn:epc:id:sgtin:0614141.107346.${n + 100_000}`);
      seqs.push(Number(lastInsertRowid));
    }
    record(seqs);
  })();
}

function segments(): string[] {
  return readdirSync(join(dir, INBOUND_DIR)).sort();
}

/** Every record of every segment, as the journal reader splits them. */
function readAll(): { seq: number; payload: Record<string, unknown> }[] {
  return segments().flatMap((name) => {
    const split = splitJournal(readFileSync(join(dir, INBOUND_DIR, name)));
    expect(split.stop, name).toBe('end');
    return split.records.map((r) => ({
      seq: r.seq,
      payload: JSON.parse(r.payload.toString()) as Record<string, unknown>,
    }));
  });
}

describe('the inbound writer (DATA_DIR/inbound/)', () => {
  it('writes one journal-format record per stored event, seqs from 1, with the fields the server replays', () => {
    const w = writer();
    storeEvents((seqs) => w.record(seqs), 1, 2);
    storeEvents((seqs) => w.record(seqs), 3, 1, true);
    w.flush();
    expect(segments()).toEqual(['00000000000000000001.log']);
    const records = readAll();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records[0]!.payload).toEqual({
      eventId: 'urn:uuid:e-1',
      state: [
        'ObjectEvent',
        'ADD',
        1_700_000_000_001,
        HASH,
        'urn:uuid:e-1',
        null,
        null,
        null,
        'urn:epc:id:sgln:0614141.00001.0',
        false,
        [
          ['urn:epc:id:sgtin:0614141.107346.1', 'epcList'],
          ['urn:epc:id:sgtin:0614141.107346.100001', 'epcList'],
        ],
      ],
    });
    // An error declaration's duplicate key includes its declaration time.
    expect(records[2]!.payload).toMatchObject({
      eventId: 'urn:uuid:e-3',
      declarationTimeMs: 1_800_000_000_000,
    });
    expect((records[2]!.payload['state'] as unknown[])[9]).toBe(true);
    expect(w.appendedSeq).toBe(3);
  });

  it('starts a new segment named after its first seq once the active one reaches INBOUND_SEGMENT_BYTES', () => {
    const w = writer(1024);
    for (let n = 1; n <= 30; n++) {
      storeEvents((seqs) => w.record(seqs), n, 1);
      w.flush();
    }
    const names = segments();
    expect(names.length).toBeGreaterThan(3);
    expect(readAll().map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Each segment is named after its first record, and only the last may be under the size.
    let expectedFirst = 1;
    for (const [i, name] of names.entries()) {
      const split = splitJournal(readFileSync(join(dir, INBOUND_DIR, name)));
      expect(Number(name.slice(0, 20))).toBe(expectedFirst);
      expectedFirst += split.records.length;
      if (i < names.length - 1)
        expect(statSync(join(dir, INBOUND_DIR, name)).size).toBeGreaterThanOrEqual(1024);
    }
  });

  it('appends at restart what was committed but not written (a kill -9 between commit and append), once', () => {
    const first = writer();
    storeEvents((seqs) => first.record(seqs), 1, 3);
    first.flush();
    // Committed with their inbound seqs, never appended: the process died before flush().
    storeEvents((seqs) => first.record(seqs), 4, 2);
    first.close();
    expect(readAll().map((r) => r.seq)).toEqual([1, 2, 3]);

    const second = writer();
    expect(readAll().map((r) => [r.seq, r.payload['eventId']])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [n, `urn:uuid:e-${n}`]),
    );
    // And again: nothing is pending any more, nothing is written twice.
    second.close();
    writer().flush();
    expect(readAll()).toHaveLength(5);
  });

  it('cuts a torn record off the active segment at start and writes the next seq after the last whole one', () => {
    const first = writer();
    storeEvents((seqs) => first.record(seqs), 1, 2);
    first.flush();
    first.close();
    const active = join(dir, INBOUND_DIR, segments().at(-1)!);
    const whole = statSync(active).size;
    // A record torn by a crash: a header claiming 500 bytes and a few of them.
    const torn = Buffer.alloc(40);
    torn.writeUInt32LE(500, 0);
    appendFileSync(active, torn);

    const second = writer();
    expect(statSync(active).size).toBe(whole);
    storeEvents((seqs) => second.record(seqs), 3, 1);
    second.flush();
    expect(readAll().map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('numbers the events the ingest worker stores in its own transaction, for the main thread to append', () => {
    const main = writer();
    storeEvents((seqs) => main.record(seqs), 1, 1);
    const worker = inboundRecorder(db);
    storeEvents((seqs) => worker.record(seqs), 2, 2);
    worker.flush();
    expect(readAll().map((r) => r.seq)).toEqual([]);
    main.flush();
    expect(readAll().map((r) => [r.seq, r.payload['eventId']])).toEqual(
      [1, 2, 3].map((n) => [n, `urn:uuid:e-${n}`]),
    );
  });

  it('keeps seqs dense and unique when the database is behind the segments (restored from a backup)', () => {
    const w = writer();
    storeEvents((seqs) => w.record(seqs), 1, 2);
    w.flush();
    w.close();
    db.exec('DELETE FROM inbound_position; DELETE FROM inbound_pending');
    const again = writer();
    storeEvents((seqs) => again.record(seqs), 3, 1);
    again.flush();
    expect(readAll().map((r) => r.seq)).toEqual([1, 2, 3]);
  });
});
