// Character classes of GS1 AI values and of the two URI syntaxes that carry them (EPC URN components
// and Digital Link path segments). Every GS1 set is ASCII, so one 128-entry table answers all questions
// with a single load per character.

/** GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1). */
export const CS82: u8 = 1;
/** Set 39 of the CPID (AI 8010): digits, upper-case letters, `#`, `-`, `/`. */
export const CS39: u8 = 2;
/** May stand unescaped in an EPC URN component (TDS: letters, digits and ``-_.!'()*+,:;=``). */
export const URN_RAW: u8 = 4;
/** May stand unescaped in a URI path segment (the ASCII `pchar` of RFC 3986). */
export const PATH_RAW: u8 = 8;
/** Written unescaped in the canonical Digital Link; everything else in a value is percent-encoded (DL URI Syntax 1.2 ABNF `XCHAR`). */
export const CANON_RAW: u8 = 16;

const TABLE = buildTable();

function markAll(table: StaticArray<u8>, chars: string, flags: u8): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    unchecked((table[c] = table[c] | flags));
  }
}

function markRange(table: StaticArray<u8>, from: i32, to: i32, flags: u8): void {
  for (let c = from; c <= to; c++) unchecked((table[c] = table[c] | flags));
}

function buildTable(): StaticArray<u8> {
  const t = new StaticArray<u8>(128);
  const alnum = CS82 | URN_RAW | PATH_RAW | CANON_RAW;
  markRange(t, 0x30, 0x39, alnum | CS39);
  markRange(t, 0x41, 0x5a, alnum | CS39);
  markRange(t, 0x61, 0x7a, alnum);
  markAll(t, '-', alnum | CS39);
  markAll(t, '._', alnum);
  markAll(t, "!'()*+,:;=", CS82 | URN_RAW | PATH_RAW);
  markAll(t, '&', CS82 | PATH_RAW);
  markAll(t, '"%/<>?', CS82);
  markAll(t, '#/', CS39);
  markAll(t, '~$@', PATH_RAW);
  return t;
}

/** Flags of a UTF-16 code unit; 0 for anything outside ASCII. */
export function charClass(c: i32): u8 {
  return <u32>c < 128 ? unchecked(TABLE[c]) : 0;
}

export function isDigit(c: i32): bool {
  return <u32>(c - 48) < 10;
}

/** Value of a hexadecimal digit, or -1. */
export function hexValue(c: i32): i32 {
  if (<u32>(c - 48) < 10) return c - 48;
  const lower = c | 0x20;
  if (<u32>(lower - 97) < 6) return lower - 87;
  return -1;
}
