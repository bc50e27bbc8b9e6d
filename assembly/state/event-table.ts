import { RecordArena } from './record-arena';
import { SlotTable } from './slot-table';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';
import { hashDigest } from './string-hash';

// One 64-byte record per distinct applied event, found by its SHA-256 digest. EPC records refer
// to events by u32 index instead of copying stamps or values: an event's index is its stamp
// (compared through `newer`), and its interned readPoint/bizLocation/disposition/bizStep are the
// values of the registers it wins, so a register costs 4 bytes in an EPC record.

const DIGEST = 0; // 32 bytes, the event hash ID's digest
const TIME = 32; // i64 eventTime, UTC ms
const BIZ_STEP = 40; // interned ids, 0 = absent
const READ_POINT = 44;
const BIZ_LOCATION = 48;
const DISPOSITION = 52;
const PARENT = 56; // EPC record of parentID | ASSIGNS
const EVENT_ID = 60; // EventIds reference
const EVENT_SIZE: u32 = 64;

/** Set in PARENT when the event puts its children into the parent (an ADD). */
const ASSIGNS: u32 = 1 << 31;

export class EventTable {
  private records: RecordArena = new RecordArena(EVENT_SIZE, 12);
  private table: SlotTable = new SlotTable();

  /** The index of the event with this digest, or 0. */
  find(digest: usize): u32 {
    const hash = hashDigest(digest);
    let i = this.table.first(hash);
    for (let e = this.table.at(i); e != 0; e = this.table.at(i)) {
      if (this.table.hashAt(i) == hash && memory.compare(this.records.ptr(e) + DIGEST, digest, 32) == 0)
        return e;
      i = this.table.next(i);
    }
    return 0;
  }

  /** Records a new event (the caller has checked `find` returned 0) and returns its index. */
  add(digest: usize, timeMs: i64, eventIdRef: u32): u32 {
    const e = this.records.alloc();
    const p = this.records.ptr(e);
    memory.copy(p + DIGEST, digest, 32);
    store<i64>(p, timeMs, TIME);
    store<u32>(p, eventIdRef, EVENT_ID);
    const hash = hashDigest(digest);
    let i = this.table.first(hash);
    while (this.table.at(i) != 0) i = this.table.next(i);
    this.table.fill(i, hash, e);
    return e;
  }

  setVocabulary(e: u32, bizStep: u32, readPoint: u32, bizLocation: u32, disposition: u32): void {
    const p = this.records.ptr(e);
    store<u32>(p, bizStep, BIZ_STEP);
    store<u32>(p, readPoint, READ_POINT);
    store<u32>(p, bizLocation, BIZ_LOCATION);
    store<u32>(p, disposition, DISPOSITION);
  }

  /** `parent` is an EPC record reference: below 2^31 (bit 31 would need 2 GiB of EPC records). */
  setParent(e: u32, parent: u32, assigns: bool): void {
    store<u32>(this.records.ptr(e), parent | (assigns ? ASSIGNS : 0), PARENT);
  }

  /** Whether event `a` comes after event `b` in event order; every event comes after 0 (none). */
  newer(a: u32, b: u32): bool {
    if (b == 0) return a != 0;
    if (a == b || a == 0) return false;
    const pa = this.records.ptr(a);
    const pb = this.records.ptr(b);
    const ta = load<i64>(pa, TIME);
    const tb = load<i64>(pb, TIME);
    if (ta != tb) return ta > tb;
    // Equal times: the digests decide, compared bytewise (big-endian word by word).
    for (let k: usize = 0; k < 32; k += 8) {
      const da = bswap<u64>(load<u64>(pa + k));
      const db = bswap<u64>(load<u64>(pb + k));
      if (da != db) return da > db;
    }
    return false;
  }

  @inline digest(e: u32): usize {
    return this.records.ptr(e) + DIGEST;
  }
  @inline timeMs(e: u32): i64 {
    return load<i64>(this.records.ptr(e), TIME);
  }
  @inline bizStep(e: u32): u32 {
    return load<u32>(this.records.ptr(e), BIZ_STEP);
  }
  @inline readPoint(e: u32): u32 {
    return load<u32>(this.records.ptr(e), READ_POINT);
  }
  @inline bizLocation(e: u32): u32 {
    return load<u32>(this.records.ptr(e), BIZ_LOCATION);
  }
  @inline disposition(e: u32): u32 {
    return load<u32>(this.records.ptr(e), DISPOSITION);
  }
  @inline eventIdRef(e: u32): u32 {
    return load<u32>(this.records.ptr(e), EVENT_ID);
  }
  /** The container an aggregation/association event puts its children into; 0 for removals. */
  @inline assignedParent(e: u32): u32 {
    const parent = load<u32>(this.records.ptr(e), PARENT);
    return parent & ASSIGNS ? parent & ~ASSIGNS : 0;
  }

  /** Sizes the table for `count` events so that adding them never rehashes. */
  reserve(count: u32): void {
    this.table.reserve(count);
  }

  /** Frees the unmanaged memory; the table must not be used afterwards. */
  release(): void {
    this.records.release();
    this.table.release();
  }

  writeSnapshot(out: SnapshotOut): void {
    this.records.writeSnapshot(out);
    this.table.writeSnapshot(out);
  }

  /** False also when the table does not hold exactly the records (one slot per event). */
  readSnapshot(src: SnapshotIn): bool {
    return (
      this.records.readSnapshot(src) &&
      this.table.readSnapshot(src) &&
      this.table.count == this.records.count - 1
    );
  }

  get count(): i32 {
    return <i32>this.records.count - 1;
  }

  get bytes(): usize {
    return this.records.bytes + this.table.bytes;
  }
}
