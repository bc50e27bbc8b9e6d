// Strings stored in the arenas: a u32 header (length in UTF-16 units, one caller flag, a packing
// mode) followed by the units in the smallest of three forms:
// - DIGITS, two units per byte, when every unit is a digit or '/' (GS1 Digital Link paths such
//   as `01/09506000134352/21/4711` once the resolver prefix is stripped: the common EPC key);
// - BYTES, one per unit, when every unit is below 256 (URNs, UUIDs, most other identifiers);
// - WIDE, the raw UTF-16 units, otherwise.
// At a million keys every byte per key is a megabyte.

const MODE_BYTES: u32 = 0;
const MODE_WIDE: u32 = 1 << 30;
const MODE_DIGITS: u32 = 2 << 30;
const MODE_MASK: u32 = 3 << 30;
/** Free for the owner (the EPC table uses it for "the GS1 resolver prefix was stripped"). */
export const PACKED_FLAG: u32 = 1 << 29;
const LENGTH_MASK: u32 = PACKED_FLAG - 1;
const SLASH_CODE: u32 = 10;
const NOT_A_DIGIT: u32 = 15;
const DIGIT_CHARS = '0123456789/';

function digitCode(unit: u32): u32 {
  const d = unit - 48;
  return d < 10 ? d : unit == 47 ? SLASH_CODE : NOT_A_DIGIT;
}

/** The packing mode for the `length` UTF-16 units at `chars` (opaque, for the functions below). */
export function packMode(chars: usize, length: usize): u32 {
  let digits = true;
  const end = chars + (length << 1);
  for (let p = chars; p < end; p += 2) {
    const unit = <u32>load<u16>(p);
    if (unit > 0xff) return MODE_WIDE;
    if (digitCode(unit) == NOT_A_DIGIT) digits = false;
  }
  return digits ? MODE_DIGITS : MODE_BYTES;
}

/** Bytes a packed copy takes, header included. */
export function packedSize(length: usize, mode: u32): u32 {
  const body = mode == MODE_DIGITS ? (length + 1) >> 1 : mode == MODE_WIDE ? length << 1 : length;
  return 4 + <u32>body;
}

/** Writes the header and units at `dst` (which has `packedSize` bytes, zeroed). */
export function writePacked(dst: usize, chars: usize, length: usize, mode: u32, flag: bool): void {
  store<u32>(dst, (<u32>length) | mode | (flag ? PACKED_FLAG : 0));
  const body = dst + 4;
  if (mode == MODE_WIDE) {
    memory.copy(body, chars, length << 1);
  } else if (mode == MODE_DIGITS) {
    for (let i: usize = 0; i < length; i++) {
      const shift = (<u32>(i & 1)) << 2;
      const code = <u8>(digitCode(load<u16>(chars + (i << 1))) << shift);
      store<u8>(body + (i >> 1), load<u8>(body + (i >> 1)) | code);
    }
  } else {
    for (let i: usize = 0; i < length; i++) store<u8>(body + i, <u8>load<u16>(chars + (i << 1)));
  }
}

/** Whether the packed string at `src` holds exactly these units with this flag. */
export function packedEquals(src: usize, chars: usize, length: usize, flag: bool): bool {
  const header = load<u32>(src);
  if ((header & LENGTH_MASK) != <u32>length || ((header & PACKED_FLAG) != 0) != flag) return false;
  const body = src + 4;
  const mode = header & MODE_MASK;
  if (mode == MODE_WIDE) return memory.compare(body, chars, length << 1) == 0;
  let i: usize = 0;
  if (mode == MODE_DIGITS) {
    for (; i + 1 < length; i += 2) {
      const pair = digitCode(load<u16>(chars + (i << 1))) | (digitCode(load<u16>(chars + (i << 1), 2)) << 4);
      if (pair != <u32>load<u8>(body + (i >> 1))) return false;
    }
    return i == length || digitCode(load<u16>(chars + (i << 1))) == <u32>load<u8>(body + (i >> 1));
  }
  // Eight units per step: widen 8 stored bytes to u16 lanes and compare with the input.
  for (; i + 8 <= length; i += 8) {
    if (v128.any_true(v128.ne<u16>(v128.load8x8_u(body + i), v128.load(chars + (i << 1))))) return false;
  }
  for (; i < length; i++) {
    if (<u16>load<u8>(body + i) != load<u16>(chars + (i << 1))) return false;
  }
  return true;
}

export function packedFlag(src: usize): bool {
  return (load<u32>(src) & PACKED_FLAG) != 0;
}

/** A new string: `prefix` followed by the packed units at `src`. */
export function unpackWithPrefix(src: usize, prefix: string): string {
  const header = load<u32>(src);
  const length = <usize>(header & LENGTH_MASK);
  const prefixLength = <usize>prefix.length;
  const out = changetype<string>(__new((prefixLength + length) << 1, idof<string>()));
  const dst = changetype<usize>(out) + (prefixLength << 1);
  memory.copy(changetype<usize>(out), changetype<usize>(prefix), prefixLength << 1);
  const body = src + 4;
  const mode = header & MODE_MASK;
  if (mode == MODE_WIDE) {
    memory.copy(dst, body, length << 1);
  } else if (mode == MODE_DIGITS) {
    const digits = changetype<usize>(DIGIT_CHARS);
    for (let i: usize = 0; i < length; i++) {
      const code = ((<u32>load<u8>(body + (i >> 1))) >> ((<u32>(i & 1)) << 2)) & 15;
      store<u16>(dst + (i << 1), load<u16>(digits + ((<usize>code) << 1)));
    }
  } else {
    for (let i: usize = 0; i < length; i++) store<u16>(dst + (i << 1), <u16>load<u8>(body + i));
  }
  return out;
}
