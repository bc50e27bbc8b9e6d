// Typed readers for query parameter values. Each returns the value or an error sentence that names
// what would have been accepted; the caller adds the parameter name.

export type Read<T> = { ok: true; value: T } | { ok: false; detail: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = <T>(detail: string): Read<T> => ({ ok: false, detail });

/** OpenAPI `style: pipeDelimited, explode: false`: `ObjectEvent|AggregationEvent`. */
export function splitPipeList(raw: string): Read<string[]> {
  if (raw.length === 0) return fail('is empty; give at least one value');
  const items = raw.split('|');
  if (items.some((item) => item.length === 0)) {
    return fail(`has an empty entry in "${raw}"; separate values with a single "|" and leave none empty`);
  }
  return ok(items);
}

// RFC 3339 date-time. A `+` in an unencoded query string arrives as a space (form decoding), so
// "…T10:00:00 01:00" is read as "+01:00": clients that forget to percent-encode still get the time
// they meant rather than an error about a character they never typed.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+\- ])(\d{2}):(\d{2}))$/;

/**
 * An instant in epoch ms. Sub-millisecond digits round up to the next millisecond: stored times are
 * whole milliseconds, so `GE_ t` keeps exactly the events at or after t and `LT_ t` exactly those
 * before it.
 */
export function parseInstantMs(raw: string): Read<number> {
  const m = DATE_TIME.exec(raw);
  if (m === null) {
    return fail(
      `must be an RFC 3339 date-time with an offset, like 2026-03-01T08:00:00.000+01:00; got "${raw}"`,
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(`has no such calendar date: "${raw}"`);
  }
  if (hour > 23 || minute > 59 || second > 59) return fail(`has an out-of-range time of day: "${raw}"`);
  let offsetMin = 0;
  if (m[8] === undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 14 || om > 59 || (oh === 14 && om > 0)) return fail(`has an offset beyond ±14:00: "${raw}"`);
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fraction = m[7] ?? '';
  const subMs = Number(fraction.slice(0, 3).padEnd(3, '0')) + (/[1-9]/.test(fraction.slice(3)) ? 1 : 0);
  return ok(utcMs(year, month, day, hour, minute, second) - offsetMin * 60_000 + subMs);
}

// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseDecimal(raw: string): Read<number> {
  const value = Number(raw);
  if (!DECIMAL.test(raw) || !Number.isFinite(value))
    return fail(`must be a decimal number, like 12.5; got "${raw}"`);
  return ok(value);
}

/** A count such as perPage or maxEventCount: a whole number of at least 1. */
export function parseCount(raw: string): Read<number> {
  if (!/^\d+$/.test(raw)) return fail(`must be a whole number of at least 1; got "${raw}"`);
  const value = Number(raw);
  if (value < 1 || !Number.isSafeInteger(value))
    return fail(`must be a whole number of at least 1; got "${raw}"`);
  return ok(value);
}

/**
 * EXISTS_… and EQ_booleanValue. EPCIS 1.x made EXISTS_ a void parameter, so a bare `EXISTS_x` (empty
 * value) means true, as it does for the many clients that still send it that way.
 */
export function parseFlag(raw: string, allowEmpty: boolean): Read<boolean> {
  if (raw === 'true' || (allowEmpty && raw === '')) return ok(true);
  if (raw === 'false') return ok(false);
  return fail(`must be true or false; got "${raw}"`);
}

// An absolute URI or a CURIE: a scheme (or prefix), a colon, then no whitespace.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

export function isUri(raw: string): boolean {
  return URI.test(raw);
}

export function readUri(raw: string): Read<string> {
  return isUri(raw)
    ? ok(raw)
    : fail(`must be a URI, like urn:epc:id:sgtin:0614141.107346.2018; got "${raw}"`);
}
