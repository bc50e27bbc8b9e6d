// Byte decoders for the API key file's hash fields, as node's Buffer decodes them after
// api-key-hash.ts's patterns matched: lowercase hex (`sha256$`) and unpadded base64url (`scrypt$`).

function hexNibble(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** The bytes of an even-length hex string; null when it is not one. */
export function hexToBytes(text: string): StaticArray<u8> | null {
  if ((text.length & 1) != 0) return null;
  const out = new StaticArray<u8>(text.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const high = hexNibble(text.charCodeAt(2 * i));
    const low = hexNibble(text.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return null;
    unchecked((out[i] = <u8>((high << 4) | low)));
  }
  return out;
}

function base64UrlValue(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2d) return 62;
  if (c == 0x5f) return 63;
  return -1;
}

/**
 * The bytes of unpadded base64url text: floor(6·length / 8) of them, so a lone last character
 * (length % 4 == 1) adds nothing, as Buffer.from(text, 'base64url') decodes it. Null for a
 * character outside the alphabet.
 */
export function base64UrlToBytes(text: string): StaticArray<u8> | null {
  const out = new StaticArray<u8>((text.length * 6) >> 3);
  let bits: u32 = 0;
  let held = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const v = base64UrlValue(text.charCodeAt(i));
    if (v < 0) return null;
    bits = (bits << 6) | (<u32>v);
    held += 6;
    if (held >= 8) {
      held -= 8;
      if (at < out.length) unchecked((out[at++] = <u8>(bits >> (<u32>held))));
    }
  }
  return out;
}
