import { ByteArena } from './byte-arena';
import { RecordArena } from './record-arena';
import { SlotTable } from './slot-table';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';
import { hashChars } from './string-hash';
import {
  packMode,
  packedSize,
  writePacked,
  packedEquals,
  packedFlag,
  unpackWithPrefix,
} from './packed-string';
import { EPC_EXT, EPC_KEY, EXT_RECORD_SIZE } from './epc-layout';

// EPC string → record. Each EPC is one variable-size entry in a byte arena, its fixed fields
// (epc-layout.ts) followed by its key; the entry's arena reference is the EPC's record number
// everywhere in the index. Keys are stored without the `https://id.gs1.org/` resolver prefix
// (it starts nearly every canonical EPC), restored on the way out. The slot table holds record
// references with the keys' hashes, so a probe reads a record only when the hash matches.

const GS1_PREFIX = 'https://id.gs1.org/';
const GS1_PREFIX_LENGTH: usize = 19;
const SEED_GS1: u64 = 0x8ebc6af09c88c6e3;
const SEED_OTHER: u64 = 0x589965cc75374cc3;

export class EpcTable {
  private records: ByteArena = new ByteArena();
  private exts: RecordArena = new RecordArena(EXT_RECORD_SIZE, 10);
  private table: SlotTable = new SlotTable();

  /** The record of `epc`, or 0 when unknown. */
  find(epc: string): u32 {
    return this.probe(epc, false);
  }

  /** The record of `epc`, created (fields zeroed) when unknown. */
  findOrAdd(epc: string): u32 {
    return this.probe(epc, true);
  }

  /** Address of record `rec`; `rec` must be a record this table issued (never 0). */
  @inline ptr(rec: u32): usize {
    return this.records.ptr(rec);
  }

  /** Address of the extension record of `rec`, allocated when `create`; 0 when it has none. */
  ext(rec: u32, create: bool): usize {
    if (rec == 0) return 0;
    const p = this.records.ptr(rec);
    let x = load<u32>(p, EPC_EXT);
    if (x == 0) {
      if (!create) return 0;
      x = this.exts.alloc();
      store<u32>(p, x, EPC_EXT);
    }
    return this.exts.ptr(x);
  }

  /** The EPC string of record `rec` (a new string); null for 0. */
  key(rec: u32): string | null {
    if (rec == 0) return null;
    const key = this.records.ptr(rec) + EPC_KEY;
    return unpackWithPrefix(key, packedFlag(key) ? GS1_PREFIX : '');
  }

  /**
   * Appends to `out` the keys of up to `limit` EPCs, in table order from position `cursor` (0 to
   * start); returns the cursor to continue from, or -1 when the listing is complete. Pages are
   * consistent only while no event is applied between them (growth reorders the table).
   */
  list(cursor: i32, limit: i32, out: Array<string>): i32 {
    let i = <u32>max(cursor, 0);
    const capacity = this.table.capacity;
    for (let n = 0; i < capacity && n < limit; i++) {
      const key = this.key(this.table.at(i));
      if (key === null) continue;
      out.push(key);
      n++;
    }
    return i < capacity ? <i32>i : -1;
  }

  /** Sizes the table for `count` EPCs so that adding them never rehashes. */
  reserve(count: u32): void {
    this.table.reserve(count);
  }

  /** Frees the unmanaged memory; the table must not be used afterwards. */
  release(): void {
    this.records.release();
    this.exts.release();
    this.table.release();
  }

  writeSnapshot(out: SnapshotOut): void {
    this.records.writeSnapshot(out);
    this.exts.writeSnapshot(out);
    this.table.writeSnapshot(out);
  }

  readSnapshot(src: SnapshotIn): bool {
    return this.records.readSnapshot(src) && this.exts.readSnapshot(src) && this.table.readSnapshot(src);
  }

  get count(): i32 {
    return <i32>this.table.count;
  }

  get bytes(): usize {
    return this.records.bytes + this.exts.bytes + this.table.bytes;
  }

  private probe(epc: string, create: bool): u32 {
    let chars = changetype<usize>(epc);
    let length = <usize>epc.length;
    const stripped =
      length > GS1_PREFIX_LENGTH &&
      memory.compare(chars, changetype<usize>(GS1_PREFIX), GS1_PREFIX_LENGTH << 1) == 0;
    if (stripped) {
      chars += GS1_PREFIX_LENGTH << 1;
      length -= GS1_PREFIX_LENGTH;
    }
    const hash = hashChars(chars, length, stripped ? SEED_GS1 : SEED_OTHER);
    let i = this.table.first(hash);
    for (let rec = this.table.at(i); rec != 0; rec = this.table.at(i)) {
      if (
        this.table.hashAt(i) == hash &&
        packedEquals(this.records.ptr(rec) + EPC_KEY, chars, length, stripped)
      ) {
        return rec;
      }
      i = this.table.next(i);
    }
    if (!create) return 0;
    const mode = packMode(chars, length);
    const rec = this.records.alloc(<u32>EPC_KEY + packedSize(length, mode));
    writePacked(this.records.ptr(rec) + EPC_KEY, chars, length, mode, stripped);
    this.table.fill(i, hash, rec);
    return rec;
  }
}
