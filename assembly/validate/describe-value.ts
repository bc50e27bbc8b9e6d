// How a message shows the offending value: short, quoted like JSON, and never the whole of a large
// or hostile value. Built only on the error path.
import { JsonKind, JsonNumber, JsonString, JsonValue } from '../json/value';

const MAX_SHOWN = 60;

function hex4(c: i32): string {
  const digits = '0123456789abcdef';
  let s = '\\u';
  for (let shift = 12; shift >= 0; shift -= 4) s += digits.charAt((c >> shift) & 15);
  return s;
}

/** A string as a JSON literal, cut to about MAX_SHOWN characters. */
export function quote(s: string): string {
  const n = s.length;
  const shown = n > MAX_SHOWN ? MAX_SHOWN : n;
  let out = '"';
  let from = 0;
  for (let i = 0; i < shown; i++) {
    const c = s.charCodeAt(i);
    if (c == 34 || c == 92 || c < 32 || (c >= 0xd800 && c <= 0xdfff)) {
      out += s.substring(from, i);
      out += c == 34 ? '\\"' : c == 92 ? '\\\\' : hex4(c);
      from = i + 1;
    }
  }
  out += s.substring(from, shown);
  return n > shown ? out + '…"' : out + '"';
}

/** The value for a "(got …)" clause: a quoted string, a number as written, or its kind. */
export function describe(v: JsonValue): string {
  switch (v.kind) {
    case JsonKind.String:
      return quote(changetype<JsonString>(v).value);
    case JsonKind.Number: {
      const raw = changetype<JsonNumber>(v).raw;
      return raw.length > MAX_SHOWN ? raw.substring(0, MAX_SHOWN) + '…' : raw;
    }
    case JsonKind.True:
      return 'true';
    case JsonKind.False:
      return 'false';
    case JsonKind.Null:
      return 'null';
    case JsonKind.Array:
      return 'an array';
    default:
      return 'an object';
  }
}

/** " (got …)" for appending to a message. */
export function got(v: JsonValue): string {
  return ' (got ' + describe(v) + ')';
}

/** The message for a member that is neither a standard field of `what` nor URI-named. */
export function notAField(key: string, what: string): string {
  return `${quote(key)} is not a field of ${what}; extension fields must be named by a URI or CURIE such as example:${key}`;
}
