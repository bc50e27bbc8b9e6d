// The rows the live feed read last, by seq, so that subscribers catching up over the same events
// get the same row objects: event-frames.ts renders each row once and reuses the frame for every
// subscriber holding that object. 40 streams catching up from lastEventId=0 otherwise parsed,
// translated and serialised every 140 KB event 40 times. Bounded in bytes, like everything the live
// feed holds; rows are immutable facts, so an older read's object is as good as a new one.
import { LRUCache } from 'lru-cache';
import type { StoredEventRow } from '../query/event-query.js';
import { rowBytes } from '../query/read-event-rows.js';

export class RecentRows {
  private readonly rows: LRUCache<number, StoredEventRow>;

  constructor(maxBytes: number) {
    this.rows = new LRUCache<number, StoredEventRow>({ maxSize: maxBytes, sizeCalculation: rowBytes });
  }

  /** The rows, each replaced by the object read earlier for its seq, if one is still kept. */
  share(rows: StoredEventRow[]): StoredEventRow[] {
    return rows.map((row) => {
      const kept = this.rows.get(row.seq);
      if (kept !== undefined) return kept;
      // Larger than the whole budget: lru-cache does not keep it, and the row is used as read.
      this.rows.set(row.seq, row);
      return row;
    });
  }
}
