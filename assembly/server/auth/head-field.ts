// Reads one field of a request head as node hands it to the Node service: the first occurrence
// (node drops repeated Authorization and Host fields), without surrounding whitespace. The head
// was already checked by request-head-parser.ts; the access gate reads the two fields it needs
// here rather than widening HttpRequest for every request.
import { HttpRequest } from '../http-request';

function isBlank(c: u8): bool {
  return c == 0x20 || c == 0x09;
}

/** The value of the first field named `lowerName` (lowercase), or null when the head has none. */
export function headField(req: HttpRequest, lowerName: string): string | null {
  const start = req.head.ptr;
  const end = start + <usize>req.head.length;
  // Skip the request line.
  let line = start;
  while (line < end && load<u8>(line) != 0x0a) line++;
  line++;
  const nameLength = <usize>lowerName.length;
  while (line < end) {
    let eol = line;
    while (eol < end && load<u8>(eol) != 0x0a) eol++;
    let contentEnd = eol;
    if (contentEnd > line && load<u8>(contentEnd - 1) == 0x0d) contentEnd--;
    if (contentEnd == line) break;
    if (contentEnd - line > nameLength && load<u8>(line + nameLength) == 0x3a) {
      let same = true;
      for (let i: usize = 0; same && i < nameLength; i++) {
        same = (load<u8>(line + i) | 0x20) == <u8>lowerName.charCodeAt(<i32>i);
      }
      if (same) {
        let from = line + nameLength + 1;
        let to = contentEnd;
        while (from < to && isBlank(load<u8>(from))) from++;
        while (to > from && isBlank(load<u8>(to - 1))) to--;
        return String.UTF8.decodeUnsafe(from, to - from);
      }
    }
    line = eol + 1;
  }
  return null;
}
