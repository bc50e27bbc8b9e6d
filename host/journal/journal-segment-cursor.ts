// Reads tracker-server.wasm's journal across its segments while the server appends and rotates:
// the active segment through a JournalCursor, and on to the next segment once the current one is
// wholly read and a newer one exists. The listing is taken before the read, and the server creates
// a segment only after its last append to the one before, so "read to the end and a newer one was
// already there" means that segment is complete.
//
// The legacy DATA_DIR/journal.log (LEGACY_SEGMENT) is read while journal/ holds no segment; once the
// server has moved it (one rename, same bytes) the cursor goes on in the oldest segment at the same
// offset, and the tail's seq check catches any other history.
import type { JournalStop } from './journal-records.js';
import { type CursorRecord, JournalCursor } from './journal-cursor.js';
import { LEGACY_SEGMENT, listSegments, segmentHolding, segmentPath } from './journal-segment-files.js';

export interface JournalPlace {
  /** The segment's first seq; LEGACY_SEGMENT for journal.log. */
  segment: number;
  /** Where the next record starts in that segment. */
  offset: number;
}

export interface SegmentRecord extends CursorRecord {
  segment: number;
}

export interface SegmentRead {
  records: SegmentRecord[];
  stop: JournalStop | 'missing';
  /** Reading went back to the start of a segment (the file was cut, or its segment is gone). */
  restarted: boolean;
}

export class JournalSegmentCursor {
  private segment: number;
  private file: JournalCursor;

  constructor(
    private readonly dataDir: string,
    place: JournalPlace,
  ) {
    this.segment = place.segment;
    this.file = new JournalCursor(segmentPath(dataDir, place.segment), place.offset);
  }

  get place(): JournalPlace {
    return { segment: this.segment, offset: this.file.position };
  }

  /** Forgets what was read past `place` (its records were not stored): they are read again. */
  rewind(place: JournalPlace): void {
    this.segment = place.segment;
    this.file = new JournalCursor(segmentPath(this.dataDir, place.segment), place.offset);
  }

  /** Goes back to the start of the segment that holds `seq` (the oldest one if none does). */
  async rewindToSeq(seq: number): Promise<void> {
    const segments = await listSegments(this.dataDir);
    this.rewind({ segment: segmentHolding(segments, seq) ?? LEGACY_SEGMENT, offset: 0 });
  }

  async read(maxRecords: number): Promise<SegmentRead> {
    const segments = await listSegments(this.dataDir);
    let restarted = false;
    if (this.segment === LEGACY_SEGMENT && segments.length > 0) {
      this.rewind({ segment: segments[0]!, offset: this.file.position });
    } else if (this.segment !== LEGACY_SEGMENT && !segments.includes(this.segment)) {
      // Its segment was deleted while this process was not running (deletion needs the stored seq
      // past it): start over at the oldest segment; the tail skips what it has stored.
      if (segments.length === 0) return { records: [], stop: 'missing', restarted: false };
      this.rewind({ segment: segments[0]!, offset: 0 });
      restarted = true;
    }
    const segment = this.segment;
    const read = await this.file.read(maxRecords);
    const records = read.records.map((record) => ({ ...record, segment }));
    const next = segments.find((first) => first > segment);
    if (read.stop === 'end' && next !== undefined) {
      this.rewind({ segment: next, offset: 0 });
      return { records, stop: 'limit', restarted: restarted || read.restarted };
    }
    return { records, stop: read.stop, restarted: restarted || read.restarted };
  }
}
