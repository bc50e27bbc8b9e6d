// Constant-time lookup of a member name in a fixed list, without hashing the whole key: a probe
// built from the key's length and three of its characters picks a slot, and one string compare
// confirms it. Events are validated at ~1 µs each, so a linear scan over thirty names per member
// (or a generic Map hash, has() then get()) would be most of the budget.
import { codeAt } from './uri-chars';

const SLOTS = 256;

function probe(key: string): i32 {
  const n = key.length;
  if (n == 0) return 0;
  return (n * 7 + codeAt(key, 0) * 31 + codeAt(key, n >> 1) * 17 + codeAt(key, n - 1) * 3) & (SLOTS - 1);
}

export class NameTable {
  /** Index into `names` + 1 per slot (0 = empty), open addressing with linear probing. */
  private slots: StaticArray<i32> = new StaticArray<i32>(SLOTS);

  constructor(public names: Array<string>) {
    for (let i = 0; i < names.length; i++) {
      let slot = probe(unchecked(names[i]));
      while (unchecked(this.slots[slot]) != 0) slot = (slot + 1) & (SLOTS - 1);
      unchecked((this.slots[slot] = i + 1));
    }
  }

  /** Position of `key` in `names`, or -1 when it is not one of them. */
  indexOf(key: string): i32 {
    let slot = probe(key);
    for (let tries = 0; tries < SLOTS; tries++) {
      const entry = unchecked(this.slots[slot]);
      if (entry == 0) return -1;
      if (unchecked(this.names[entry - 1]) == key) return entry - 1;
      slot = (slot + 1) & (SLOTS - 1);
    }
    return -1;
  }

  @inline has(key: string): bool {
    return this.indexOf(key) >= 0;
  }
}
