// UTC milliseconds as JavaScript's Date.prototype.toISOString writes them, straight into a writer
// (no string per time): `YYYY-MM-DDTHH:mm:ss.sssZ`, and `±YYYYYY-…` for years outside 0000–9999
// (ECMA-262 §21.4.1.32), so answers written here equal those the host wrote with toISOString.
import { Utf8Writer } from '../json/utf8-writer';
import { splitUtcMillis, UtcFields } from '../time/date-time';

function digits(w: Utf8Writer, v: i64, width: i32): void {
  let divisor: i64 = 1;
  for (let i = 1; i < width; i++) divisor *= 10;
  for (; divisor > 0; divisor /= 10) w.byte(<u8>(0x30 + ((v / divisor) % 10)));
}

const fields = new UtcFields();

export function writeIsoTime(w: Utf8Writer, ms: i64): void {
  splitUtcMillis(ms, fields);
  const y = fields.year;
  const m = fields.month;
  const d = fields.day;
  const rem = fields.millisOfDay;
  if (y >= 0 && y <= 9999) {
    digits(w, y, 4);
  } else {
    w.byte(y < 0 ? 0x2d : 0x2b);
    digits(w, y < 0 ? -y : y, 6);
  }
  w.byte(0x2d);
  digits(w, m, 2);
  w.byte(0x2d);
  digits(w, d, 2);
  w.byte(0x54);
  const secs = rem / 1000;
  digits(w, secs / 3600, 2);
  w.byte(0x3a);
  digits(w, (secs / 60) % 60, 2);
  w.byte(0x3a);
  digits(w, secs % 60, 2);
  w.byte(0x2e);
  digits(w, rem % 1000, 3);
  w.byte(0x5a);
}
