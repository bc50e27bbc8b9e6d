// Decodes a chunked request body (RFC 9112 §7.1) as it arrives, across any split of the bytes:
// consumes what it can from the receive queue, appends the data to the request body, and keeps its
// place between calls. Chunk extensions and trailer fields are read past and ignored.
import { Utf8Writer } from '../json/utf8-writer';
import { ByteQueue } from './byte-queue';
import { malformed } from './request-head-parser';
import { Problem } from './problem';

export enum BodyProgress {
  NeedMore,
  Done,
  Failed,
}

const enum Step {
  Size,
  Data,
  DataEnd,
  Trailer,
}

// A chunk-size line (hex size plus extensions) or trailer line longer than this is refused: there
// is no honest reason for one, and the search for its end must not rescan an unbounded buffer.
const MAX_LINE_BYTES: i32 = 4096;

export class ChunkedBody {
  private step: Step = Step.Size;
  private remaining: i64 = 0;
  problem: Problem | null = null;

  reset(): void {
    this.step = Step.Size;
    this.remaining = 0;
    this.problem = null;
  }

  private fail(p: Problem): BodyProgress {
    this.problem = p;
    return BodyProgress.Failed;
  }

  /** Decodes from `queue` into `body`; past `maxBytes` of data it fails with a 413. */
  advance(queue: ByteQueue, body: Utf8Writer, maxBytes: i32): BodyProgress {
    while (true) {
      if (this.step == Step.Data) {
        const n = <i32>min<i64>(this.remaining, <i64>queue.length);
        if (n == 0) return BodyProgress.NeedMore;
        body.raw(queue.ptr, n);
        queue.consume(n);
        this.remaining -= n;
        if (this.remaining == 0) this.step = Step.DataEnd;
        continue;
      }
      const line = lineLength(queue);
      if (line < 0) {
        return queue.length > MAX_LINE_BYTES
          ? this.fail(malformed('HPE_INVALID_CHUNK_SIZE'))
          : BodyProgress.NeedMore;
      }
      const ptr = queue.ptr;
      if (this.step == Step.DataEnd) {
        if (line != 0) return this.fail(malformed('HPE_STRICT'));
        queue.consume(2);
        this.step = Step.Size;
        continue;
      }
      if (this.step == Step.Trailer) {
        queue.consume(line + 2);
        if (line == 0) return BodyProgress.Done;
        continue;
      }
      let size: i64 = 0;
      let digits = 0;
      while (digits < line) {
        const value = hexValue(load<u8>(ptr + <usize>digits));
        if (value < 0) break;
        if (digits == 15) return this.fail(malformed('HPE_INVALID_CHUNK_SIZE'));
        size = (size << 4) | value;
        digits++;
      }
      const next = digits < line ? load<u8>(ptr + <usize>digits) : 0;
      if (digits == 0 || (digits < line && next != 0x3b && next != 0x20 && next != 0x09)) {
        return this.fail(malformed('HPE_INVALID_CHUNK_SIZE'));
      }
      queue.consume(line + 2);
      if (<i64>body.length + size > <i64>maxBytes) return this.fail(tooLarge(maxBytes));
      if (size == 0) {
        this.step = Step.Trailer;
      } else {
        this.remaining = size;
        this.step = Step.Data;
      }
    }
    return BodyProgress.NeedMore;
  }
}

/** The 413 of the Node service for a body over CAPTURE_LIMIT_BYTES. */
export function tooLarge(maxBytes: i32): Problem {
  return new Problem(
    413,
    'CaptureLimitExceededException',
    'the request body is larger than ' + maxBytes.toString() + ' bytes (GS1-EPCIS-Capture-File-Size-Limit)',
  );
}

function hexValue(c: u8): i64 {
  if (c >= 0x30 && c <= 0x39) return <i64>(c - 0x30);
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return <i64>(lower - 0x61 + 10);
  return -1;
}

/** Bytes before the first CRLF at the queue's front (searching at most MAX_LINE_BYTES); -1 if none. */
function lineLength(queue: ByteQueue): i32 {
  const ptr = queue.ptr;
  const n = min(queue.length, MAX_LINE_BYTES + 2);
  for (let i = 1; i < n; i++) {
    if (load<u8>(ptr + <usize>i) == 0x0a && load<u8>(ptr + <usize>(i - 1)) == 0x0d) return i - 1;
  }
  return -1;
}
