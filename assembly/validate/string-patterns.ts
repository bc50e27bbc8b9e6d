// The schema's `pattern` keywords, written out by hand (AssemblyScript has no RegExp). Each
// function names the pattern it implements; ajv compiles them with the `u` flag, so `\d` is ASCII
// and `$` means end of string.
import { codeAt } from './uri-chars';

function isDigit(c: i32): bool {
  return <u32>(c - 48) <= 9;
}

/** `eventTimeZoneOffset`: `^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$`. */
export function isTimeZoneOffset(s: string): bool {
  if (s.length != 6) return false;
  const sign = codeAt(s, 0);
  if (sign != 43 && sign != 45) return false;
  const h1 = codeAt(s, 1);
  const h2 = codeAt(s, 2);
  const m1 = codeAt(s, 4);
  const m2 = codeAt(s, 5);
  if (codeAt(s, 3) != 58 || !isDigit(h2) || !isDigit(m2)) return false;
  if (h1 == 49 && h2 == 52) return m1 == 48 && m2 == 48;
  return (h1 == 48 || (h1 == 49 && h2 <= 51)) && m1 >= 48 && m1 <= 53;
}

/** `uom`: `^[A-Z0-9]{2,3}$` (UN/CEFACT Rec 20 codes such as KGM, CEL, H87). */
export function isUom(s: string): bool {
  const n = s.length;
  if (n < 2 || n > 3) return false;
  for (let i = 0; i < n; i++) {
    const c = codeAt(s, i);
    if (!isDigit(c) && !(c >= 65 && c <= 90)) return false;
  }
  return true;
}

/** `version` (schemaVersion): `^\d+(\.\d+)*$`. */
export function isVersion(s: string): bool {
  const n = s.length;
  let digitsInPart = 0;
  for (let i = 0; i < n; i++) {
    const c = codeAt(s, i);
    if (isDigit(c)) {
      digitsInPart++;
    } else if (c == 46 && digitsInPart > 0) {
      digitsInPart = 0;
    } else {
      return false;
    }
  }
  return digitsInPart > 0;
}

/** `hexBinary`: `^[A-Fa-f0-9]+$`. */
export function isHexBinary(s: string): bool {
  const n = s.length;
  if (n == 0) return false;
  for (let i = 0; i < n; i++) {
    const c = codeAt(s, i) | 32;
    if (!isDigit(codeAt(s, i)) && !(c >= 97 && c <= 102)) return false;
  }
  return true;
}
