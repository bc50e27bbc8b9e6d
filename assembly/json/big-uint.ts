// Just enough arbitrary-precision unsigned arithmetic for exact decimal-to-binary comparisons.
// Capacity is fixed: decimal-to-f64 bounds its operands to about 3,800 bits, and every operation
// that would grow past CAPACITY sets `overflowed` instead of writing out of range.

const CAPACITY = 160;

export class BigUint {
  /** Little-endian base-2^32 limbs; limbs at index >= size are unspecified. */
  limbs: StaticArray<u32> = new StaticArray<u32>(CAPACITY);
  size: i32 = 0;
  overflowed: bool = false;

  setU64(v: u64): void {
    this.overflowed = false;
    unchecked((this.limbs[0] = <u32>v));
    unchecked((this.limbs[1] = <u32>(v >>> 32)));
    this.size = v == 0 ? 0 : v >>> 32 == 0 ? 1 : 2;
  }

  copyFrom(other: BigUint): void {
    memory.copy(changetype<usize>(this.limbs), changetype<usize>(other.limbs), (<usize>other.size) << 2);
    this.size = other.size;
    this.overflowed = other.overflowed;
  }

  mulSmall(m: u32): void {
    const limbs = this.limbs;
    let carry: u64 = 0;
    for (let i = 0, n = this.size; i < n; i++) {
      const t = <u64>unchecked(limbs[i]) * m + carry;
      unchecked((limbs[i] = <u32>t));
      carry = t >>> 32;
    }
    if (carry != 0) this.push(<u32>carry);
  }

  addSmall(a: u32): void {
    const limbs = this.limbs;
    let carry = <u64>a;
    for (let i = 0, n = this.size; i < n && carry != 0; i++) {
      const t = <u64>unchecked(limbs[i]) + carry;
      unchecked((limbs[i] = <u32>t));
      carry = t >>> 32;
    }
    if (carry != 0) this.push(<u32>carry);
  }

  mulPow10(n: i32): void {
    for (; n >= 9; n -= 9) this.mulSmall(1_000_000_000);
    let m: u32 = 1;
    for (; n > 0; n--) m *= 10;
    if (m != 1) this.mulSmall(m);
  }

  shl(bits: i32): void {
    if (this.size == 0 || bits <= 0) return;
    const whole = bits >>> 5;
    const part = bits & 31;
    const n = this.size;
    if (n + whole + 1 > CAPACITY) {
      this.overflowed = true;
      return;
    }
    const limbs = this.limbs;
    unchecked((limbs[n + whole] = 0));
    for (let i = n - 1; i >= 0; i--) {
      const v = unchecked(limbs[i]);
      if (part != 0) unchecked((limbs[i + whole + 1] |= v >>> (32 - part)));
      unchecked((limbs[i + whole] = v << part));
    }
    for (let i = 0; i < whole; i++) unchecked((limbs[i] = 0));
    this.size = n + whole + 1;
    this.trim();
  }

  /** this = src × v, for src !== this. */
  setMulU64(src: BigUint, v: u64): void {
    const n = src.size;
    if (n + 2 > CAPACITY) {
      this.overflowed = true;
      return;
    }
    const a = src.limbs;
    const r = this.limbs;
    const lo = v & 0xffffffff;
    const hi = v >>> 32;
    let carry: u64 = 0;
    for (let i = 0; i < n; i++) {
      const t = <u64>unchecked(a[i]) * lo + carry;
      unchecked((r[i] = <u32>t));
      carry = t >>> 32;
    }
    unchecked((r[n] = <u32>carry));
    carry = 0;
    for (let i = 0; i < n; i++) {
      const t = <u64>unchecked(r[i + 1]) + <u64>unchecked(a[i]) * hi + carry;
      unchecked((r[i + 1] = <u32>t));
      carry = t >>> 32;
    }
    unchecked((r[n + 1] = <u32>carry));
    this.size = n + 2;
    this.overflowed = src.overflowed;
    this.trim();
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than other. */
  compare(other: BigUint): i32 {
    if (this.size != other.size) return this.size < other.size ? -1 : 1;
    for (let i = this.size - 1; i >= 0; i--) {
      const a = unchecked(this.limbs[i]);
      const b = unchecked(other.limbs[i]);
      if (a != b) return a < b ? -1 : 1;
    }
    return 0;
  }

  private push(limb: u32): void {
    if (this.size >= CAPACITY) {
      this.overflowed = true;
      return;
    }
    unchecked((this.limbs[this.size] = limb));
    this.size++;
  }

  private trim(): void {
    while (this.size > 0 && unchecked(this.limbs[this.size - 1]) == 0) this.size--;
  }
}
