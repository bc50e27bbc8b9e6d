// Turns the pre-hash bytes of a batch into CBV 2.0 hash IDs. All accepted events of a document
// are hashed in one sha256Batch call so the SIMD lanes stay full, straight from the buffer the
// pre-hashes were written to (no per-event copy).
import { sha256Batch } from '../hash/sha256-batch';
import { hashIdFromDigest } from '../hash/prehash';
import { Utf8Writer } from '../json/utf8-writer';
import { NormalisedEvent } from './normalised-event';

export class EventDigests {
  /** 32 bytes per event, in the order of the events passed to hashEvents. */ // unmanaged!
  ptr: usize = 0;
  count: i32 = 0;

  release(): void {
    if (this.ptr != 0) heap.free(this.ptr);
    this.ptr = 0;
    this.count = 0;
  }
}

/**
 * Hashes every accepted event (its pre-hash is the byte range prehashStart/prehashLength of
 * `prehashes`) and sets its hashId; digests land in `out` by event position.
 */
export function hashEvents(events: Array<NormalisedEvent>, prehashes: Utf8Writer, out: EventDigests): void {
  out.release();
  const n = events.length;
  if (n == 0) return;
  const ptrs = new StaticArray<usize>(n);
  const lens = new StaticArray<i32>(n);
  const base = prehashes.ptr;
  for (let i = 0; i < n; i++) {
    const event = unchecked(events[i]);
    unchecked((ptrs[i] = base + <usize>event.prehashStart));
    unchecked((lens[i] = event.prehashLength));
  }
  out.ptr = heap.alloc(<usize>n * 32);
  out.count = n;
  sha256Batch(ptrs, lens, n, out.ptr);
  for (let i = 0; i < n; i++) {
    unchecked(events[i]).hashId = hashIdFromDigest(out.ptr + <usize>i * 32);
  }
}
