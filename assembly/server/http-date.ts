// The Date header (RFC 9110 IMF-fixdate), rebuilt at most once a second: formatting is far more
// work than the rest of a small response. The wall clock is read by the event loop, not here.
import { formatUtcMillis } from '../time/date-time';

const DAYS: string[] = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];
const MONTHS: string[] = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let cachedSecond: i64 = -1;
let cachedText: string = '';

/** The text of the last time given to setResponseTime(). */
export function responseDate(): string {
  return cachedText;
}

/** Called by the event loop once a turn with the wall clock (ms since 1970); formats on a new second. */
export function setResponseTime(wallClockMs: i64): void {
  const second = wallClockMs / 1000;
  if (second == cachedSecond) return;
  const iso = formatUtcMillis(second * 1000); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const days = second / 86400;
  const weekday = <i32>(((days % 7) + 7) % 7);
  const month = I32.parseInt(iso.substring(5, 7)) - 1;
  cachedText =
    unchecked(DAYS[weekday]) +
    ', ' +
    iso.substring(8, 10) +
    ' ' +
    unchecked(MONTHS[month]) +
    ' ' +
    iso.substring(0, 4) +
    ' ' +
    iso.substring(11, 19) +
    ' GMT';
  cachedSecond = second;
}
