// The duplicate keys of every stored event (its event ID, or for an error declaration its event ID
// and declaration time: server/capture/journal-record.ts duplicateKey, the store's unique indexes),
// kept as the first 16 bytes of the key's SHA-256 in one open-addressing table of 16-byte slots in
// unmanaged memory: 16 bytes / 0.75 load per event instead of a managed string in a Set (about
// 200 bytes), nothing for the collector to trace, and the table is one byte range in a snapshot.
//
// Why a truncated digest cannot matter: two different keys share a slot's value only if their
// SHA-256 agree on 128 bits. Among n keys the chance of any such pair is about n² / 2^129: for a
// billion events (far beyond a site's lifetime) 1.5e-21, far below the chance of an undetected disk
// error. The keys come from clients, so the hash must be one nobody can steer: SHA-256, not a fast
// seeded hash. A collision would refuse one event as a duplicate; nothing else depends on it.
import { sha256 } from '../hash/sha256';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';

const SLOT_BYTES: usize = 16;
const INITIAL_CAPACITY: u32 = 1024;
/** 2^26 slots (1 GiB would be 2^26 × 16): more keys than the module's memory holds events for. */
const MAX_CAPACITY: u32 = 1 << 26;

const DIGEST = memory.data(32, 16);

export class DuplicateKeySet {
  /** unmanaged! `capacity` 16-byte slots; all zero = empty. */
  private slots: usize;
  private capacity: u32 = INITIAL_CAPACITY;
  count: u32 = 0;
  /** unmanaged! UTF-8 of the key being hashed, grown as needed. */
  private text: usize = 0;
  private textCapacity: usize = 0;

  constructor() {
    this.slots = allocSlots(INITIAL_CAPACITY);
  }

  has(key: string): bool {
    return this.findDigest(this.digestOf(key), false);
  }

  /** Adds `key`; false when it was already there. */
  add(key: string): bool {
    return this.findDigest(this.digestOf(key), true);
  }

  /** Like add, for `length` bytes of UTF-8 at `ptr` (the host's keys, read from SQLite). */
  addUtf8(ptr: usize, length: i32): bool {
    sha256(ptr, length, DIGEST);
    return this.findDigest(normalised(DIGEST), true);
  }

  /** Frees the unmanaged memory; the set must not be used afterwards. */
  release(): void {
    heap.free(this.slots);
    this.slots = 0;
    if (this.text != 0) heap.free(this.text);
    this.text = 0;
    this.textCapacity = 0;
    this.count = 0;
  }

  get bytes(): usize {
    return <usize>this.capacity * SLOT_BYTES + this.textCapacity;
  }

  writeSnapshot(out: SnapshotOut): void {
    out.u32(this.capacity);
    out.u32(this.count);
    out.range(this.slots, <usize>this.capacity * SLOT_BYTES);
  }

  /** Replaces the slots with a snapshot's; false when its capacity or load is not one this set makes. */
  readSnapshot(src: SnapshotIn): bool {
    const capacity = src.u32();
    const count = src.u32();
    if (!src.ok || capacity < INITIAL_CAPACITY || capacity > MAX_CAPACITY || popcnt(capacity) != 1)
      return false;
    const size = <usize>capacity * SLOT_BYTES;
    if (<u64>count * 4 > <u64>capacity * 3 || <u64>size > src.remaining) return false;
    const slots = heap.alloc(size);
    heap.free(this.slots);
    this.slots = slots;
    this.capacity = capacity;
    this.count = count;
    return src.bytes(slots, size);
  }

  /** The normalised digest of `key`'s UTF-8, in DIGEST. */
  private digestOf(key: string): usize {
    const length = <usize>String.UTF8.byteLength(key);
    if (length > this.textCapacity) {
      if (this.text != 0) heap.free(this.text);
      this.textCapacity = max<usize>(length, 256);
      this.text = heap.alloc(this.textCapacity);
    }
    String.UTF8.encodeUnsafe(changetype<usize>(key), key.length, this.text);
    sha256(this.text, <i32>length, DIGEST);
    return normalised(DIGEST);
  }

  /** Whether the digest is in the set; when `insert`, adds it and answers whether it was new. */
  private findDigest(digest: usize, insert: bool): bool {
    const lo = load<u64>(digest);
    const hi = load<u64>(digest, 8);
    const mask = this.capacity - 1;
    let i = (<u32>lo) & mask;
    while (true) {
      const slot = this.slots + <usize>i * SLOT_BYTES;
      const slotLo = load<u64>(slot);
      const slotHi = load<u64>(slot, 8);
      if ((slotLo | slotHi) == 0) break;
      if (slotLo == lo && slotHi == hi) return !insert;
      i = (i + 1) & mask;
    }
    if (!insert) return false;
    if ((this.count + 1) * 4 > this.capacity * 3 && this.capacity < MAX_CAPACITY) {
      this.grow();
      i = this.freeSlot(lo);
    }
    const slot = this.slots + <usize>i * SLOT_BYTES;
    store<u64>(slot, lo);
    store<u64>(slot, hi, 8);
    this.count++;
    return true;
  }

  private freeSlot(lo: u64): u32 {
    const mask = this.capacity - 1;
    let i = (<u32>lo) & mask;
    while (
      (load<u64>(this.slots + <usize>i * SLOT_BYTES) | load<u64>(this.slots + <usize>i * SLOT_BYTES, 8)) !=
      0
    )
      i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const old = this.slots;
    const oldCapacity = this.capacity;
    this.capacity = oldCapacity << 1;
    this.slots = allocSlots(this.capacity);
    for (let i: u32 = 0; i < oldCapacity; i++) {
      const slot = old + <usize>i * SLOT_BYTES;
      const lo = load<u64>(slot);
      const hi = load<u64>(slot, 8);
      if ((lo | hi) == 0) continue;
      const to = this.slots + <usize>this.freeSlot(lo) * SLOT_BYTES;
      store<u64>(to, lo);
      store<u64>(to, hi, 8);
    }
    heap.free(old);
  }
}

function allocSlots(capacity: u32): usize {
  const size = <usize>capacity * SLOT_BYTES;
  const slots = heap.alloc(size);
  memory.fill(slots, 0, size);
  return slots;
}

/** All-zero marks an empty slot: the one digest that starts with 16 zero bytes is stored as 1. */
function normalised(digest: usize): usize {
  if ((load<u64>(digest) | load<u64>(digest, 8)) == 0) store<u8>(digest, 1);
  return digest;
}
