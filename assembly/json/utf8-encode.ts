// UTF-16 strings to UTF-8 bytes, optionally with the escaping a JSON string literal needs
// (RFC 8259 §7: quote, backslash and U+0000-U+001F).

/**
 * Encodes `n` UTF-16 units at `src` as UTF-8 at `out` (room for 3 bytes per unit, 6 when `json`) and
 * returns the end address. With `json` set, the units JSON requires escaping are escaped.
 */
export function encodeUtf8(src: usize, n: i32, out: usize, json: bool): usize {
  let i = 0;
  while (i < n) {
    // Eight plain ASCII units at a time: the common case for EPCIS text.
    if (i + 8 <= n) {
      const v = v128.load(src + ((<usize>i) << 1));
      const low = i16x8.lt_u(v, i16x8.splat(json ? 0x20 : 0));
      const high = i16x8.gt_u(v, i16x8.splat(0x7f));
      let special = v128.or(low, high);
      if (json) special = v128.or(special, v128.or(i16x8.eq(v, QUOTE16), i16x8.eq(v, BACKSLASH16)));
      if (!v128.any_true(special)) {
        v128.store64_lane(out, i8x16.narrow_i16x8_u(v, v), 0);
        out += 8;
        i += 8;
        continue;
      }
    }
    const c = <u32>load<u16>(src + ((<usize>i) << 1));
    i++;
    if (c < 0x80) {
      if (json && (c < 0x20 || c == 0x22 || c == 0x5c)) {
        out = writeEscape(out, c);
      } else {
        store<u8>(out++, <u8>c);
      }
    } else if (c < 0x800) {
      store<u8>(out, <u8>(0xc0 | (c >> 6)));
      store<u8>(out, <u8>(0x80 | (c & 0x3f)), 1);
      out += 2;
    } else {
      let cp = c;
      if (c >= 0xd800 && c < 0xe000) {
        const next = i < n ? <u32>load<u16>(src + ((<usize>i) << 1)) : 0;
        if (c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
          cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else {
          cp = 0xfffd;
        }
      }
      out = writeMultiByte(out, cp);
    }
  }
  return out;
}

const QUOTE16 = i16x8.splat(0x22);
const BACKSLASH16 = i16x8.splat(0x5c);

function writeMultiByte(out: usize, cp: u32): usize {
  if (cp < 0x10000) {
    store<u8>(out, <u8>(0xe0 | (cp >> 12)));
    store<u8>(out, <u8>(0x80 | ((cp >> 6) & 0x3f)), 1);
    store<u8>(out, <u8>(0x80 | (cp & 0x3f)), 2);
    return out + 3;
  }
  store<u8>(out, <u8>(0xf0 | (cp >> 18)));
  store<u8>(out, <u8>(0x80 | ((cp >> 12) & 0x3f)), 1);
  store<u8>(out, <u8>(0x80 | ((cp >> 6) & 0x3f)), 2);
  store<u8>(out, <u8>(0x80 | (cp & 0x3f)), 3);
  return out + 4;
}

function writeEscape(out: usize, c: u32): usize {
  let short: u32 = 0;
  if (c == 0x22) short = 0x22;
  else if (c == 0x5c) short = 0x5c;
  else if (c == 0x0a) short = 0x6e;
  else if (c == 0x0d) short = 0x72;
  else if (c == 0x09) short = 0x74;
  else if (c == 0x08) short = 0x62;
  else if (c == 0x0c) short = 0x66;
  store<u8>(out, 0x5c);
  if (short) {
    store<u8>(out, <u8>short, 1);
    return out + 2;
  }
  store<u8>(out, 0x75, 1);
  store<u8>(out, 0x30, 2);
  store<u8>(out, 0x30, 3);
  store<u8>(out, hexDigit(c >> 4), 4);
  store<u8>(out, hexDigit(c & 15), 5);
  return out + 6;
}

function hexDigit(d: u32): u8 {
  return <u8>(d < 10 ? 0x30 + d : 0x57 + d);
}
