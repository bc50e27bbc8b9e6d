// Text for XML 1.0 content and attribute values. JSON strings may hold characters XML 1.0 cannot
// carry at all, not even as character references (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F,
// lone surrogates, U+FFFE/U+FFFF): they become U+FFFD, the replacement character. A char-code scan
// finds them (a regular expression would have to spell control characters, which the linter
// rightly flags as usually a mistake); almost every string has none and comes back as it is.

const TEXT_SPECIALS = /[&<>\r]/g;
const ATTRIBUTE_SPECIALS = /[&<>"\t\n\r]/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Whether the UTF-16 unit at `i` starts no character XML 1.0 allows (a pair's high half is fine). */
function forbiddenAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d;
  if (c < 0xd800) return false;
  if (isHigh(c)) return !isLow(text.charCodeAt(i + 1));
  if (isLow(c)) return !isHigh(text.charCodeAt(i - 1));
  return c === 0xfffe || c === 0xffff;
}

function xmlChars(text: string): string {
  let i = 0;
  while (i < text.length && !forbiddenAt(text, i)) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) out += forbiddenAt(text, i) ? '\uFFFD' : text[i];
  return out;
}

export function xmlText(text: string): string {
  return xmlChars(text).replace(TEXT_SPECIALS, (c) => ENTITIES[c]!);
}

export function xmlAttribute(text: string): string {
  return xmlChars(text).replace(ATTRIBUTE_SPECIALS, (c) => ENTITIES[c]!);
}
