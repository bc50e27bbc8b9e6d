// Open addressing (linear probing) over u32 values, where 0 marks an empty slot. Each 8-byte slot
// holds the value and its 32-bit hash: a probe skips other keys without touching their records
// (each such touch is a cache miss at a million keys), and doubling needs no rehashing.
// Owners probe with `first`/`next`, compare keys themselves, and `fill` the empty slot found.

import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';

const INITIAL_CAPACITY: u32 = 1024;
/** 2^26 slots (512 MiB, within the allocator's 1 GiB block limit): more values than fit in memory. */
const MAX_CAPACITY: u32 = 1 << 26;
/** `reserve` ignores counts beyond this: a hint that large is a caller's bug, not a plan. */
const MAX_RESERVE: u32 = 1 << 24;

export class SlotTable {
  /** unmanaged! `capacity` u64 slots: hash << 32 | value. */
  private slots: usize;
  private capacityValue: u32 = INITIAL_CAPACITY;
  private mask: u32 = INITIAL_CAPACITY - 1;
  count: u32 = 0;

  constructor() {
    this.slots = SlotTable.allocSlots(INITIAL_CAPACITY);
  }

  @inline first(hash: u32): u32 {
    return hash & this.mask;
  }

  @inline next(i: u32): u32 {
    return (i + 1) & this.mask;
  }

  /** The value in slot `i` (0: empty, the end of a probe). */
  @inline at(i: u32): u32 {
    return load<u32>(this.slots + ((<usize>i) << 3));
  }

  /** The hash stored with the value in slot `i`. */
  @inline hashAt(i: u32): u32 {
    return load<u32>(this.slots + ((<usize>i) << 3), 4);
  }

  /** Fills empty slot `i` (found by probing for `hash`) with `value`, growing first if needed. */
  fill(i: u32, hash: u32, value: u32): void {
    if ((this.count + 1) * 4 > this.capacityValue * 3 && this.capacityValue < MAX_CAPACITY) {
      this.resize(this.capacityValue << 1);
      i = this.free(hash);
    }
    store<u64>(this.slots + ((<usize>i) << 3), ((<u64>hash) << 32) | value);
    this.count++;
  }

  /** Grows the table (never shrinks it) so that `count` values fit without another growth. */
  reserve(count: u32): void {
    if (count > MAX_RESERVE) count = MAX_RESERVE;
    let capacity = this.capacityValue;
    while (capacity < MAX_CAPACITY && (<u64>count + 1) * 4 > <u64>capacity * 3) capacity <<= 1;
    if (capacity > this.capacityValue) this.resize(capacity);
  }

  /** Frees the slots; the owner must not use the table afterwards. */
  release(): void {
    heap.free(this.slots);
    this.slots = 0;
    this.count = 0;
  }

  /** Capacity, count and the slots as they are: the hashes are seeded constants, so no rehash. */
  writeSnapshot(out: SnapshotOut): void {
    out.u32(this.capacityValue);
    out.u32(this.count);
    out.range(this.slots, (<usize>this.capacityValue) << 3);
  }

  /** Replaces the slots with a snapshot's; false when its capacity or load is not one this table makes. */
  readSnapshot(src: SnapshotIn): bool {
    const capacity = src.u32();
    const count = src.u32();
    if (!src.ok || capacity < INITIAL_CAPACITY || capacity > MAX_CAPACITY || popcnt(capacity) != 1)
      return false;
    if (<u64>count * 4 > <u64>capacity * 3 || (<u64>capacity) << 3 > src.remaining) return false;
    const slots = heap.alloc((<usize>capacity) << 3);
    heap.free(this.slots);
    this.slots = slots;
    this.capacityValue = capacity;
    this.mask = capacity - 1;
    this.count = count;
    return src.bytes(slots, (<usize>capacity) << 3);
  }

  get capacity(): u32 {
    return this.capacityValue;
  }

  get bytes(): usize {
    return (<usize>this.capacityValue) << 3;
  }

  /** The first empty slot on `hash`'s probe sequence. */
  private free(hash: u32): u32 {
    let i = this.first(hash);
    while (this.at(i) != 0) i = this.next(i);
    return i;
  }

  private resize(capacity: u32): void {
    const old = this.slots;
    const oldCapacity = this.capacityValue;
    this.capacityValue = capacity;
    this.mask = capacity - 1;
    this.slots = SlotTable.allocSlots(capacity);
    for (let i: u32 = 0; i < oldCapacity; i++) {
      const slot = load<u64>(old + ((<usize>i) << 3));
      if (<u32>slot != 0) store<u64>(this.slots + ((<usize>this.free(<u32>(slot >> 32))) << 3), slot);
    }
    heap.free(old);
  }

  private static allocSlots(capacity: u32): usize {
    const size = (<usize>capacity) << 3;
    const slots = heap.alloc(size);
    memory.fill(slots, 0, size);
    return slots;
  }
}
