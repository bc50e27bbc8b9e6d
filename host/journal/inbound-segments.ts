// The files of DATA_DIR/inbound/: `<first seq, 20 digits>.log` segments of journal-format records
// (journal-records.ts), the active one being the highest name. Appends are synchronous and end
// with fdatasync: the caller answers a capture or acks a sync message only after they return, so
// tracker-server.wasm can already read the record when the client asks it next.
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { splitJournal } from './journal-records.js';

const SEGMENT_NAME = /^(\d{20})\.log$/;
const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

export function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, '0')}.log`;
}

/** First seqs of the segments in `dir`, ascending; empty when it does not exist. */
export function listSegments(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((seq): seq is string => seq !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export interface SegmentsOpened {
  /** Seq of the last whole record on disk; 0 when there is none. */
  lastSeq: number;
  /** Bytes cut from the end of the active segment (a record torn by a crash). */
  cutBytes: number;
}

export class InboundSegments {
  private fd: number | null = null;
  private size = 0;

  constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
  ) {}

  /** Opens the active segment, cutting a torn tail: a later append must never follow garbage. */
  open(): SegmentsOpened {
    mkdirSync(this.dir, { recursive: true });
    const firstSeq = listSegments(this.dir).at(-1);
    if (firstSeq === undefined) return { lastSeq: 0, cutBytes: 0 };
    const fd = openSync(join(this.dir, segmentName(firstSeq)), 'r+');
    const fileSize = fstatSync(fd).size;
    const { lastSeq, intactBytes } = scan(fd, fileSize);
    if (intactBytes < fileSize) {
      ftruncateSync(fd, intactBytes);
      fsyncSync(fd);
    }
    this.fd = fd;
    this.size = intactBytes;
    // An empty active segment (a crash right after it was created) still says where seqs stand.
    return { lastSeq: lastSeq ?? firstSeq - 1, cutBytes: fileSize - intactBytes };
  }

  /**
   * Appends the first of `records` (seq order, record i has seq `seqs[i]`) that fit the active
   * segment, at least one, and makes them durable; returns how many. On failure nothing of this call
   * stays in the file, so a retry never writes a record twice.
   */
  append(records: readonly Buffer[], seqs: readonly number[]): number {
    if (this.fd === null || this.size >= this.segmentBytes) this.rotate(seqs[0]!);
    let count = 0;
    let bytes = 0;
    while (count < records.length && (count === 0 || this.size + bytes < this.segmentBytes)) {
      bytes += records[count]!.length;
      count++;
    }
    this.write(Buffer.concat(records.slice(0, count), bytes));
    return count;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private write(bytes: Buffer): void {
    const fd = this.fd!;
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, this.size + at);
      fdatasyncSync(fd);
    } catch (error) {
      // Part of it may be on disk (a full disk, a failed sync): cut it, so the retry starts on a
      // record boundary and writes each record once.
      ftruncateSync(fd, this.size);
      throw error;
    }
    this.size += bytes.length;
  }

  private rotate(firstSeq: number): void {
    if (this.fd !== null) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
    }
    this.fd = openSync(join(this.dir, segmentName(firstSeq)), 'w');
    this.size = 0;
    // The new name must survive a crash too, or the server would look for records in a lost file.
    const dirFd = openSync(this.dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}

/** The last whole record of a segment, read in bounded chunks. */
function scan(fd: number, fileSize: number): { lastSeq: number | null; intactBytes: number } {
  let lastSeq: number | null = null;
  let intactBytes = 0;
  let pending = Buffer.alloc(0);
  let readTo = 0;
  while (readTo < fileSize) {
    const chunk = Buffer.allocUnsafe(Math.min(SCAN_CHUNK_BYTES, fileSize - readTo));
    const got = readSync(fd, chunk, 0, chunk.length, readTo);
    if (got === 0) break;
    readTo += got;
    pending = Buffer.concat([pending, chunk.subarray(0, got)]);
    const split = splitJournal(pending);
    if (split.records.length > 0) lastSeq = split.records.at(-1)!.seq;
    intactBytes += split.consumed;
    pending = pending.subarray(split.consumed);
    if (split.stop === 'checksum') break;
  }
  return { lastSeq, intactBytes };
}
