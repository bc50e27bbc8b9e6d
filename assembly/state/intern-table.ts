import { SlotTable } from './slot-table';
import { hashChars } from './string-hash';
import { stringBytes } from './string-bytes';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';

// Interns the few distinct vocabulary strings (bizSteps, dispositions, readPoints, bizLocations,
// event-ID suffixes) into u32 ids, 0 meaning null. Each value is kept once as a managed string
// so that answering a lookup hands out the same object instead of allocating a copy.

const SEED: u64 = 0x2d358dccaa6c78a5;

export class InternTable {
  /** id → value; slot 0 is a placeholder for "null". */
  private values: Array<string> = [''];
  private table: SlotTable = new SlotTable();
  private valueBytes: usize = 0;

  /** The id of `value`, added if new; 0 for null. */
  intern(value: string | null): u32 {
    if (value === null) return 0;
    return this.internChars(changetype<usize>(value), <usize>value.length);
  }

  /** The id of the `length` UTF-16 units at `chars`, added (as a copy) if new. */
  internChars(chars: usize, length: usize): u32 {
    const hash = hashChars(chars, length, SEED);
    let i = this.table.first(hash);
    for (let id = this.table.at(i); id != 0; id = this.table.at(i)) {
      if (this.table.hashAt(i) == hash) {
        const known = unchecked(this.values[id]);
        if (
          <usize>known.length == length &&
          memory.compare(changetype<usize>(known), chars, length << 1) == 0
        ) {
          return id;
        }
      }
      i = this.table.next(i);
    }
    const copy = changetype<string>(__new(length << 1, idof<string>()));
    memory.copy(changetype<usize>(copy), chars, length << 1);
    const id = <u32>this.values.length;
    this.values.push(copy);
    this.valueBytes += stringBytes(copy);
    this.table.fill(i, hash, id);
    return id;
  }

  /** The value of `id`, or null for 0 and for ids never issued. */
  get(id: u32): string | null {
    if (id == 0 || id >= <u32>this.values.length) return null;
    return unchecked(this.values[id]);
  }

  /** Frees the slot table (the values are managed strings); must not be used afterwards. */
  release(): void {
    this.table.release();
  }

  /** The values in id order (UTF-16 length, then the units), then the slot table. */
  writeSnapshot(out: SnapshotOut): void {
    const n = this.values.length;
    out.u32(<u32>n);
    for (let id = 1; id < n; id++) {
      const value = unchecked(this.values[id]);
      out.u32(<u32>value.length);
      out.range(changetype<usize>(value), (<usize>value.length) << 1);
    }
    this.table.writeSnapshot(out);
  }

  /** Replaces the values (ids kept) and the table with a snapshot's. */
  readSnapshot(src: SnapshotIn): bool {
    const n = src.u32();
    if (!src.ok || n == 0 || <u64>n * 4 > src.remaining) return false;
    const values = new Array<string>();
    values.push('');
    let valueBytes: usize = 0;
    for (let id: u32 = 1; id < n; id++) {
      const length = src.u32();
      if (!src.ok || (<u64>length) << 1 > src.remaining) return false;
      const value = changetype<string>(__new((<usize>length) << 1, idof<string>()));
      if (!src.bytes(changetype<usize>(value), (<usize>length) << 1)) return false;
      values.push(value);
      valueBytes += stringBytes(value);
    }
    this.values = values;
    this.valueBytes = valueBytes;
    return this.table.readSnapshot(src) && this.table.count == n - 1;
  }

  get count(): i32 {
    return this.values.length - 1;
  }

  get bytes(): usize {
    return this.table.bytes + this.valueBytes + ((<usize>this.values.length) << 2);
  }
}
