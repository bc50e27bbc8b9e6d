// Reads one journal file (a segment) forward while the server appends to it: each call returns the whole records
// that arrived since the last one, keeps a partial (or not yet checksummed) tail for the next call,
// and bounds what it holds in memory to one chunk plus one record.
import { open, type FileHandle } from 'node:fs/promises';
import { type JournalStop, splitJournal } from './journal-records.js';

const CHUNK_BYTES = 4 * 1024 * 1024;

export interface CursorRecord {
  seq: number;
  payload: Buffer;
  /** Where the next record starts in the file. */
  endOffset: number;
}

export interface CursorRead {
  records: CursorRecord[];
  stop: JournalStop | 'missing';
  /** The file is shorter than what was read from it before (cut or replaced): read from 0 again. */
  restarted: boolean;
}

export class JournalCursor {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly path: string,
    /** File offset of the first pending byte. */
    private offset: number,
  ) {}

  /** Where the next record starts. */
  get position(): number {
    return this.offset;
  }

  /** Forgets what was read past `offset` (its records were not stored): they are read again. */
  rewind(offset: number): void {
    this.offset = offset;
    this.pending = Buffer.alloc(0);
  }

  async read(maxRecords: number): Promise<CursorRead> {
    let file: FileHandle;
    try {
      file = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { records: [], stop: 'missing', restarted: false };
      throw error;
    }
    try {
      const { size } = await file.stat();
      let restarted = false;
      if (size < this.offset + this.pending.length) {
        this.rewind(0);
        restarted = true;
      }
      const from = this.offset + this.pending.length;
      const want = Math.min(size - from, CHUNK_BYTES);
      if (want > 0) {
        const chunk = Buffer.allocUnsafe(want);
        const { bytesRead } = await file.read(chunk, 0, want, from);
        this.pending = Buffer.concat([this.pending, chunk.subarray(0, bytesRead)]);
      }
      const split = splitJournal(this.pending, maxRecords);
      let end = this.offset;
      const records = split.records.map((record) => {
        end += record.bytes;
        return { seq: record.seq, payload: record.payload, endOffset: end };
      });
      this.pending = this.pending.subarray(split.consumed);
      this.offset += split.consumed;
      // An 'end' or 'partial' stop inside the chunk is the chunk's end, not the file's: more is
      // there to read (and a segment is only wholly read at the file's end).
      const chunkEnd = (split.stop === 'partial' || split.stop === 'end') && from + want < size;
      const stop = chunkEnd ? 'limit' : split.stop;
      return { records, stop, restarted };
    } finally {
      await file.close();
    }
  }
}
