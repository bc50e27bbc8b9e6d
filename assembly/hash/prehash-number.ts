// JSON numbers as the reference generator sees them: Python's json module makes an int of a number
// without fraction or exponent and a float of anything else, the generator takes str() of it and
// then applies the Decimal rules of prehash-decimal.ts. So 26.0 → "26.0" → 26, 1e5 → "100000.0" →
// 100000, but 1e16 → "1e+16" → 1E+16 (Python switches to exponent notation at 1e16).
import { parseJson, ParseLimits } from '../json/parser';
import { JsonNumber } from '../json/value';
import { DecimalParts, formatDecimal, parseDecimal } from './prehash-decimal';

/** The shortest decimal that reads back as the same double: significant digits, no trailing zeros. */
function shortestParts(n: JsonNumber): DecimalParts {
  const parsed = parseDecimal(n.raw);
  const written = significant(parsed === null ? parseDecimal(n.value.toString()) : parsed);
  written.negative = n.raw.startsWith('-');
  // Up to 15 significant digits, the digits as written are the shortest round-trip form (distinct
  // 15-digit decimals are farther apart than a double's ulp). Longer text may hide a shorter form
  // ("0.10000000000000001" is 0.1); AssemblyScript's dtoa is not exact there (it prints
  // 0.30000000000000004 as …07), so round the written digits and keep the first that reads back.
  // Residual difference: 16–17-digit text that reads back but is not the decimal closest to its
  // double (1234567890123456.7, where Python prints …6.8) keeps its digits. Shortest-form printers
  // (JavaScript, Python, Java 19+) never write such text.
  const length = written.coefficient.length;
  if (length <= 15) return written;
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = digits >= length ? written : roundDigits(written, digits);
    if (readsBackAs(candidate, n.value)) return candidate;
    if (digits >= length) break;
  }
  const fallback = significant(parseDecimal(n.value.toString()));
  fallback.negative = written.negative;
  return fallback;
}

/** The decimal rounded half-up to `digits` significant digits, trailing zeros dropped. */
function roundDigits(parts: DecimalParts, digits: i32): DecimalParts {
  const source = parts.coefficient;
  const kept = new Array<i32>(digits);
  for (let i = 0; i < digits; i++) unchecked((kept[i] = source.charCodeAt(i)));
  let carry = source.charCodeAt(digits) >= 53 ? 1 : 0;
  for (let i = digits - 1; i >= 0 && carry == 1; i--) {
    const d = unchecked(kept[i]) + 1;
    carry = d > 57 ? 1 : 0;
    unchecked((kept[i] = carry == 1 ? 48 : d));
  }
  const rounded = new DecimalParts();
  rounded.negative = parts.negative;
  rounded.coefficient = (carry == 1 ? '1' : '') + String.fromCharCodes(kept);
  rounded.exponent = parts.exponent + <i64>(source.length - digits) + <i64>carry;
  if (carry == 1) rounded.coefficient = rounded.coefficient.substring(0, digits);
  return significant(rounded);
}

const READ_BACK_LIMITS = new ParseLimits();

/** True when the decimal parses (correctly rounded, by the JSON parser) to exactly `value`. */
function readsBackAs(parts: DecimalParts, value: f64): bool {
  const text = (parts.negative ? '-' : '') + parts.coefficient + 'e' + parts.exponent.toString();
  const bytes = String.UTF8.encode(text);
  const parsed = parseJson(changetype<usize>(bytes), bytes.byteLength, READ_BACK_LIMITS).value;
  if (parsed === null) return false;
  const number = parsed.asNumber();
  return number !== null && number.value == value;
}

/** Drops trailing zeros from the coefficient, moving them into the exponent. */
function significant(parsed: DecimalParts | null): DecimalParts {
  if (parsed === null) return new DecimalParts();
  const digits = parsed.coefficient;
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) == 48) end--;
  parsed.exponent += <i64>(digits.length - end);
  parsed.coefficient = digits.substring(0, end);
  return parsed;
}

function scientific(digits: string, adjusted: i64, marker: string, pad: bool): string {
  const rest = digits.length > 1 ? '.' + digits.substring(1) : '';
  const sign = adjusted < 0 ? '-' : '+';
  let exponent = (adjusted < 0 ? -adjusted : adjusted).toString();
  if (pad && exponent.length < 2) exponent = '0' + exponent;
  return digits.substring(0, 1) + rest + marker + sign + exponent;
}

/** The pre-hash text of a JSON number: Decimal(str(number)) canonicalised. */
export function canonicalJsonNumber(n: JsonNumber): string {
  if (n.isInteger) return n.raw == '-0' ? '0' : n.raw;
  if (!isFinite(n.value)) return n.value < 0 ? '-inf' : 'inf';
  const parts = shortestParts(n);
  const sign = parts.negative ? '-' : '';
  const digits = parts.coefficient;
  if (digits == '0') return sign + '0';
  const adjusted = <i64>digits.length - 1 + parts.exponent;
  if (adjusted >= 16) {
    return parts.exponent == 0 ? sign + digits : sign + scientific(digits, adjusted, 'E', false);
  }
  if (parts.exponent >= 0) return sign + digits + '0'.repeat(<i32>parts.exponent);
  const text = formatDecimal(parts);
  return text === null ? n.raw : text;
}

/** Python's str() of the number json.loads gives: the text the generator sorts raw nodes by. */
export function pythonNumberText(n: JsonNumber): string {
  if (n.isInteger) return n.raw == '-0' ? '0' : n.raw;
  if (!isFinite(n.value)) return n.value < 0 ? '-inf' : 'inf';
  const parts = shortestParts(n);
  const sign = parts.negative ? '-' : '';
  const digits = parts.coefficient;
  if (digits == '0') return sign + '0.0';
  const adjusted = <i64>digits.length - 1 + parts.exponent;
  if (adjusted >= 16 || adjusted < -4) return sign + scientific(digits, adjusted, 'e', true);
  if (parts.exponent >= 0) return sign + digits + '0'.repeat(<i32>parts.exponent) + '.0';
  const text = formatDecimal(parts);
  return text === null ? n.raw : text;
}
