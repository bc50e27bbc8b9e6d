// RFC 3339 date-times as EPCIS uses them. The accepted syntax is exactly what the GS1 JSON schema's
// `format: date-time` accepts under ajv-formats 3.0.1 (full mode), measured against it: a `T`, `t`
// or JavaScript-whitespace separator, any number of fractional digits, a required zone (`Z`, `z`,
// `+hh`, `+hhmm` or `+hh:mm`, hours ≤ 23 and minutes ≤ 59), calendar and clock ranges checked, and
// a leap second only where ajv's own (unwrapped) arithmetic puts it at 23:59 UTC.

export class DateTime {
  year: i32 = 0;
  month: i32 = 0;
  day: i32 = 0;
  hour: i32 = 0;
  minute: i32 = 0;
  second: i32 = 0;
  /** Fractional-second digits as written, without the dot ("" when absent). */
  fraction: string = '';
  /** Zone offset east of UTC in minutes. */
  offsetMinutes: i32 = 0;

  /** UTC milliseconds since 1970, the fraction rounded half-up to the millisecond (CBV hash rule). */
  utcMillis(): i64 {
    let ms: i64 = 0;
    const f = this.fraction;
    for (let i = 0; i < 3; i++) {
      ms = ms * 10 + (i < f.length ? <i64>(f.charCodeAt(i) - 48) : 0);
    }
    if (f.length > 3 && f.charCodeAt(3) >= 53) ms += 1;
    const days = daysFromCivil(this.year, this.month, this.day);
    const secs: i64 =
      days * 86400 +
      <i64>this.hour * 3600 +
      <i64>this.minute * 60 +
      <i64>this.second -
      <i64>this.offsetMinutes * 60;
    return secs * 1000 + ms;
  }
}

function digit(s: string, i: i32): i32 {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function digits(s: string, at: i32, n: i32): i32 {
  if (at + n > s.length) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = digit(s, at + i);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

function isLeapYear(y: i32): bool {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

function daysInMonth(y: i32, m: i32): i32 {
  if (m == 2) return isLeapYear(y) ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/** Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: i32, m: i32, d: i32): i64 {
  const yy: i64 = <i64>(m <= 2 ? y - 1 : y);
  const era: i64 = (yy >= 0 ? yy : yy - 399) / 400;
  const yoe: i64 = yy - era * 400;
  const mp: i64 = <i64>(m > 2 ? m - 3 : m + 9);
  const doy: i64 = (153 * mp + 2) / 5 + <i64>d - 1;
  const doe: i64 = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** The RFC 3339 grammar with `T`, `t` or space as separator; parseDateTime adds ajv's corners. */
function parseRfc3339(s: string): DateTime | null {
  const n = s.length;
  if (n < 20) return null;
  const dt = new DateTime();
  dt.year = digits(s, 0, 4);
  dt.month = digits(s, 5, 2);
  dt.day = digits(s, 8, 2);
  if (dt.year < 0 || dt.month < 1 || dt.month > 12 || dt.day < 1) return null;
  if (s.charCodeAt(4) != 45 || s.charCodeAt(7) != 45) return null;
  if (dt.day > daysInMonth(dt.year, dt.month)) return null;
  const sep = s.charCodeAt(10);
  if (sep != 84 && sep != 116 && sep != 32) return null;
  dt.hour = digits(s, 11, 2);
  dt.minute = digits(s, 14, 2);
  dt.second = digits(s, 17, 2);
  if (dt.hour < 0 || dt.minute < 0 || dt.second < 0) return null;
  if (s.charCodeAt(13) != 58 || s.charCodeAt(16) != 58) return null;
  let i = 19;
  if (i < n && s.charCodeAt(i) == 46) {
    const from = ++i;
    while (i < n && digit(s, i) >= 0) i++;
    if (i == from) return null;
    dt.fraction = s.substring(from, i);
  }
  if (i >= n) return null;
  const z = s.charCodeAt(i);
  if (z == 90 || z == 122) {
    if (i + 1 != n) return null;
  } else if (z == 43 || z == 45) {
    const oh = digits(s, i + 1, 2);
    if (oh < 0) return null;
    let om = 0;
    let j = i + 3;
    if (j < n) {
      if (s.charCodeAt(j) == 58) j++;
      om = digits(s, j, 2);
      if (om < 0 || j + 2 != n) return null;
    }
    dt.offsetMinutes = (z == 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return null;
  }
  if (dt.hour <= 23 && dt.minute <= 59 && dt.second <= 60) return dt;
  return null;
}

function codeAt(s: string, i: i32): i32 {
  return i < s.length ? s.charCodeAt(i) : -1;
}

/** JavaScript's `\s`: the separators ajv-formats' `/t|\s/i` split accepts besides `t`/`T`. */
function isJsWhitespace(c: i32): bool {
  if (c <= 32) return c == 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c == 0xa0 ||
    c == 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c == 0x2028 ||
    c == 0x2029 ||
    c == 0x202f ||
    c == 0x205f ||
    c == 0x3000 ||
    c == 0xfeff
  );
}

function twoDigits(s: string, i: i32): i32 {
  return (codeAt(s, i) - 48) * 10 + (codeAt(s, i + 1) - 48);
}

/**
 * Parses an RFC 3339 date-time exactly as the GS1 schema's `format: date-time` accepts it under
 * ajv-formats 3 (full mode); null when the text is not one. Validation and normalisation both use
 * this, so a time that passes validation always has a UTC instant.
 */
export function parseDateTime(s: string): DateTime | null {
  const n = s.length;
  if (n < 20) return null;
  const sep = codeAt(s, 10);
  // parseRfc3339 knows `T`, `t` and space; other whitespace separators are rare, so pay for a copy.
  const dt =
    sep != 32 && isJsWhitespace(sep)
      ? parseRfc3339(s.substring(0, 10) + 'T' + s.substring(11))
      : parseRfc3339(s);
  if (dt === null) return null;
  // parseRfc3339 accepted a zone of `Z`, `±hh`, `±hhmm` or `±hh:mm`; read its parts back.
  let zoneSign = 1;
  let zoneHours = 0;
  let zoneMinutes = 0;
  const last = codeAt(s, n - 1);
  if (last != 90 && last != 122) {
    let at = n - 3;
    if (codeAt(s, at) != 43 && codeAt(s, at) != 45)
      at = codeAt(s, n - 5) == 43 || codeAt(s, n - 5) == 45 ? n - 5 : n - 6;
    zoneSign = codeAt(s, at) == 45 ? -1 : 1;
    zoneHours = twoDigits(s, at + 1);
    if (at + 3 < n) zoneMinutes = twoDigits(s, n - 2);
  }
  if (zoneHours > 23 || zoneMinutes > 59) return null;
  if (dt.hour <= 23 && dt.minute <= 59 && dt.second <= 59) return dt;
  // Leap second: ajv-formats' own arithmetic, which does not wrap around midnight.
  const utcMinute = dt.minute - zoneMinutes * zoneSign;
  const utcHour = dt.hour - zoneHours * zoneSign - (utcMinute < 0 ? 1 : 0);
  const leapOk = (utcHour == 23 || utcHour == -1) && (utcMinute == 59 || utcMinute == -1);
  return leapOk ? dt : null;
}

function pad(v: i64, width: i32): string {
  let s = v.toString();
  while (s.length < width) s = '0' + s;
  return s;
}

/** A UTC instant's calendar fields (splitUtcMillis): the proleptic Gregorian date and the time of day. */
export class UtcFields {
  year: i64 = 0;
  month: i64 = 0;
  day: i64 = 0;
  /** 0 to 86,399,999. */
  millisOfDay: i64 = 0;
}

/** Splits UTC milliseconds into `out`'s fields, for any instant (civil_from_days, Howard Hinnant). */
export function splitUtcMillis(ms: i64, out: UtcFields): void {
  let days = ms / 86400000;
  let rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    days -= 1;
  }
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out.month = m;
  out.day = doy - (153 * mp + 2) / 5 + 1;
  out.millisOfDay = rem;
}

const fields = new UtcFields();

/** Formats UTC milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the canonical form in hashes and results. */
export function formatUtcMillis(ms: i64): string {
  splitUtcMillis(ms, fields);
  const rem = fields.millisOfDay;
  const secs = rem / 1000;
  return (
    pad(fields.year, 4) +
    '-' +
    pad(fields.month, 2) +
    '-' +
    pad(fields.day, 2) +
    'T' +
    pad(secs / 3600, 2) +
    ':' +
    pad((secs / 60) % 60, 2) +
    ':' +
    pad(secs % 60, 2) +
    '.' +
    pad(rem % 1000, 3) +
    'Z'
  );
}
