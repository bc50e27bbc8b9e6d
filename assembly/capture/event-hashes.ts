// Turns the pre-hash strings of a batch into CBV 2.0 hash IDs. All accepted events of a document
// are hashed in one sha256Batch call so the SIMD lanes stay full.
import { sha256Batch } from '../hash/sha256-batch';
import { writeHex } from '../hash/hex';
import { hashIdFromDigestHex } from '../hash/prehash';
import { NormalisedEvent } from './normalised-event';

const HEX = memory.data(64);

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

/** Hashes every accepted event and sets its hashId; digests land in `out` by event position. */
export function hashEvents(events: Array<NormalisedEvent>, out: EventDigests): void {
  out.release();
  const n = events.length;
  if (n == 0) return;
  const buffers = new StaticArray<ArrayBuffer>(n);
  const ptrs = new StaticArray<usize>(n);
  const lens = new StaticArray<i32>(n);
  for (let i = 0; i < n; i++) {
    const bytes = String.UTF8.encode(unchecked(events[i]).prehash);
    unchecked((buffers[i] = bytes));
    unchecked((ptrs[i] = changetype<usize>(bytes)));
    unchecked((lens[i] = bytes.byteLength));
  }
  out.ptr = heap.alloc(<usize>n * 32);
  out.count = n;
  sha256Batch(ptrs, lens, n, out.ptr);
  for (let i = 0; i < n; i++) {
    writeHex(out.ptr + <usize>i * 32, 32, HEX);
    unchecked(events[i]).hashId = hashIdFromDigestHex(String.UTF8.decodeUnsafe(HEX, 64));
  }
}
