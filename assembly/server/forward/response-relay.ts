// The sidecar's answer on its way to the client: the status line and fields passed on as the sidecar
// wrote them (only its Connection/Keep-Alive replaced by this connection's), then the body bytes as
// they arrive, framing included (Content-Length, chunked or until close). The framing is followed
// only to find where the answer ends: nothing is buffered beyond what one receive brought.
import { Utf8Writer } from '../../json/utf8-writer';
import { ByteQueue } from '../byte-queue';
import { BodyProgress, ChunkedBody } from '../chunked-body';
import { findHeadEnd } from '../request-head-parser';
import { KEEP_ALIVE_TIMEOUT_S } from '../response-writer';

export const enum Relay {
  NeedMore,
  Done,
  /** The sidecar's bytes are not an HTTP answer, or it closed in the middle of one. */
  Failed,
}

const enum Framing {
  None,
  Length,
  Chunked,
  UntilClose,
}

// A sidecar head larger than this is not an answer this server passes on.
const MAX_RESPONSE_HEAD_BYTES: i32 = 64 * 1024;
// The decoded chunk data is not needed (the raw bytes are relayed): one scratch writer for all.
const discarded = new Utf8Writer(1024);

function lower(ptr: usize, len: i32): string {
  return String.UTF8.decodeUnsafe(ptr, <usize>len).toLowerCase();
}

export class ResponseRelay {
  headDone: bool = false;
  /** Whether the sidecar keeps its connection open after this answer (it may then be pooled). */
  reusable: bool = true;
  /** Whether the client connection must close after this answer (no framing, or it asked to). */
  closeClient: bool = false;
  /** The final answer's status code, once its head is read (for the metrics). */
  status: i32 = 0;
  private framing: Framing = Framing.None;
  private remaining: i64 = 0;
  private readonly chunked: ChunkedBody = new ChunkedBody();

  reset(): void {
    this.headDone = false;
    this.reusable = true;
    this.closeClient = false;
    this.status = 0;
    this.framing = Framing.None;
    this.remaining = 0;
    this.chunked.reset();
  }

  /** Moves what `input` holds of the answer to `out`; `eof`: the sidecar closed its side. */
  advance(input: ByteQueue, out: Utf8Writer, forHead: bool, clientKeepAlive: bool, eof: bool): Relay {
    while (!this.headDone) {
      const end = findHeadEnd(input.ptr, input.length, 0);
      if (end < 0) return input.length > MAX_RESPONSE_HEAD_BYTES || eof ? Relay.Failed : Relay.NeedMore;
      const status = this.readHead(input.ptr, end, out, forHead, clientKeepAlive);
      input.consume(end);
      if (status < 0) return Relay.Failed;
    }
    if (this.framing == Framing.None) return Relay.Done;
    if (this.framing == Framing.Length) {
      const n = <i32>min<i64>(this.remaining, <i64>input.length);
      out.raw(input.ptr, n);
      input.consume(n);
      this.remaining -= n;
      if (this.remaining == 0) return Relay.Done;
      return eof ? Relay.Failed : Relay.NeedMore;
    }
    if (this.framing == Framing.Chunked) {
      const from = input.ptr;
      const before = input.length;
      const progress = this.chunked.advance(input, discarded, i32.MAX_VALUE);
      // consume() only moves the start: the bytes just decoded are still at `from`.
      out.raw(from, before - input.length);
      discarded.reset();
      if (progress == BodyProgress.Done) return Relay.Done;
      if (progress == BodyProgress.Failed) return Relay.Failed;
      return eof ? Relay.Failed : Relay.NeedMore;
    }
    out.raw(input.ptr, input.length);
    input.consume(input.length);
    return eof ? Relay.Done : Relay.NeedMore;
  }

  /** Writes the head for the client and sets the framing; the status, or -1 for a head that is not one. */
  private readHead(ptr: usize, end: i32, out: Utf8Writer, forHead: bool, clientKeepAlive: bool): i32 {
    if (end < 16 || lower(ptr, 5) != 'http/') return -1;
    const status = I32.parseInt(String.UTF8.decodeUnsafe(ptr + 9, 3));
    if (status < 100 || status > 599 || status == 101) return -1;
    // An interim answer (103) is not passed on: the final one follows on the same connection.
    const interim = status < 200;
    let chunked = false;
    let length: i64 = -1;
    let line = ptr;
    const stop = ptr + <usize>end;
    let first = true;
    while (line < stop) {
      let eol = line;
      while (eol < stop && load<u8>(eol) != 0x0a) eol++;
      const contentEnd = eol > line && load<u8>(eol - 1) == 0x0d ? eol - 1 : eol;
      const start = line;
      line = eol + 1;
      const len = <i32>(contentEnd - start);
      if (len == 0) break;
      let keep = true;
      if (!first) {
        let colon = start;
        while (colon < contentEnd && load<u8>(colon) != 0x3a) colon++;
        const name = lower(start, <i32>(colon - start));
        const value = colon < contentEnd ? lower(colon + 1, <i32>(contentEnd - colon - 1)).trim() : '';
        if (name == 'connection') {
          if (value.includes('close')) this.reusable = false;
          keep = false;
        } else if (name == 'keep-alive') keep = false;
        else if (name == 'transfer-encoding') chunked = value.includes('chunked');
        else if (name == 'content-length') length = I64.parseInt(value);
      }
      first = false;
      if (keep && !interim) {
        out.raw(start, len);
        out.ascii('\r\n');
      }
    }
    if (interim) return status;
    this.headDone = true;
    this.status = status;
    if (forHead || status == 204 || status == 304) this.framing = Framing.None;
    else if (chunked) this.framing = Framing.Chunked;
    else if (length >= 0) {
      this.framing = Framing.Length;
      this.remaining = length;
    } else {
      this.framing = Framing.UntilClose;
      this.reusable = false;
    }
    this.closeClient = !clientKeepAlive || this.framing == Framing.UntilClose;
    if (this.closeClient) {
      out.ascii('Connection: close\r\n\r\n');
    } else {
      out.ascii('Connection: keep-alive\r\nKeep-Alive: timeout=');
      out.int(KEEP_ALIVE_TIMEOUT_S);
      out.ascii('\r\n\r\n');
    }
    return status;
  }
}
