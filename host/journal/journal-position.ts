// How far the journal is stored: the row of migration 005 (in SQLite, written inside the group
// commit of the events it covers) and DATA_DIR/journal-stored-seq, the copy tracker-server.wasm
// reads to know which journal segments it may delete. The file is written only after the commit,
// atomically (temp file, fsync, rename), so it is never ahead of what SQLite holds.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { LEGACY_SEGMENT } from './journal-segment-files.js';

export const STORED_SEQ_FILE = 'journal-stored-seq';

export interface JournalPosition {
  /** Seq of the last record whose events are stored; 0 before the first. */
  storedSeq: number;
  /** The segment that record is in (its first seq; LEGACY_SEGMENT for journal.log, migration 007). */
  segment: number;
  /** Where the record after it starts in that segment. */
  offsetBytes: number;
}

export class JournalPositionStore {
  private readonly read: Statement<
    [],
    { stored_seq: number; segment_first_seq: number; offset_bytes: number }
  >;
  private readonly write: Statement<[number, number, number]>;

  constructor(
    db: Database,
    private readonly dataDir: string,
  ) {
    this.read = db.prepare(
      'SELECT stored_seq, segment_first_seq, offset_bytes FROM journal_position WHERE id = 1',
    );
    this.write = db.prepare(
      `INSERT INTO journal_position (id, stored_seq, segment_first_seq, offset_bytes) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET stored_seq = excluded.stored_seq,
         segment_first_seq = excluded.segment_first_seq, offset_bytes = excluded.offset_bytes`,
    );
  }

  load(): JournalPosition {
    const row = this.read.get();
    return row === undefined
      ? { storedSeq: 0, segment: LEGACY_SEGMENT, offsetBytes: 0 }
      : { storedSeq: row.stored_seq, segment: row.segment_first_seq, offsetBytes: row.offset_bytes };
  }

  /** Must run inside the transaction that stores the events of the records up to `position`. */
  save(position: JournalPosition): void {
    this.write.run(position.storedSeq, position.segment, position.offsetBytes);
  }

  /** After the commit: tells the server how far it may delete. */
  publish(storedSeq: number): void {
    const target = join(this.dataDir, STORED_SEQ_FILE);
    const temp = `${target}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, `${storedSeq}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  }
}
