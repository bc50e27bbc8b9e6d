// One client connection's socket side: receive into the input, let the request cycle answer,
// send the output with partial sends kept for the next writable event, time out, and close
// gracefully (shut our side, read what still comes, then close, so the client is not reset before
// it read its last answer). Nothing here blocks or throws: every socket call is non-blocking and
// every failure is a state change.
import { Utf8Writer } from '../json/utf8-writer';
import { ByteQueue } from './byte-queue';
import { journal } from './capture/server-store';
import { RequestCycle } from './request-cycle';
import { RequestLimits } from './request-limits';
import { FAILED, WOULD_BLOCK, closeSocket, receive, send, shutdownSending } from './socket-calls';
import {
  FORWARD_TIMEOUT_MS,
  Outcome,
  SidecarExchange,
  sidecarTimeoutProblem,
} from './forward/sidecar-exchange';

export const enum Phase {
  Open,
  /** Last answer sent, our side shut: reading what the client still sends, then closing. */
  Draining,
  Closed,
}

// Answers waiting for a slow reader past this size stop further requests being processed (and read),
// so a client that pipelines without reading cannot make the server buffer without bound.
const OUTPUT_HIGH_WATER: i32 = 256 * 1024;
const RECEIVE_CHUNK: i32 = 16 * 1024;
// Bytes taken from one socket per loop turn: one fast sender cannot starve the others.
const RECEIVE_PER_TURN: i32 = 256 * 1024;
const IDLE_BUFFER_BYTES: i32 = 4096;
// Like host/http/client-error.ts LINGER_MS: time for the client to read a final answer.
const LINGER_MS: i64 = 1000;
export const NO_DEADLINE: i64 = i64.MAX_VALUE;

export class Connection {
  readonly input: ByteQueue = new ByteQueue(IDLE_BUFFER_BYTES);
  readonly output: Utf8Writer = new Utf8Writer(1024);
  readonly cycle: RequestCycle;
  private sent: i32 = 0;
  phase: Phase = Phase.Open;
  private lingerUntilMs: i64 = 0;
  private peerClosed: bool = false;
  /** Output waits for this turn's journal sync (group commit): nothing leaves before it. */
  private held: bool = false;
  /** The forwarded request whose answer is being relayed (held here: the collector sees only globals' graphs). */
  exchange: SidecarExchange | null = null;

  constructor(
    public fd: i32,
    nowMs: i64,
  ) {
    this.cycle = new RequestCycle(nowMs, fd);
  }

  @inline get pendingOutput(): i32 {
    return this.output.length - this.sent;
  }

  get wantsRead(): bool {
    if (this.phase == Phase.Draining) return true;
    if (this.phase == Phase.Closed || this.peerClosed || this.cycle.finished) return false;
    // Pipelined requests wait in the socket while the sidecar answers: answers leave in request order.
    if (this.exchange !== null) return false;
    return this.pendingOutput < OUTPUT_HIGH_WATER;
  }

  /** The sidecar socket to poll for writing (connecting, or the request not all sent), else -1. */
  get sidecarWriteFd(): i32 {
    const x = this.exchange;
    return this.phase == Phase.Open && x !== null && x.wantsWrite ? x.fd : -1;
  }

  /** The sidecar socket to poll for reading: its answer, as fast as the client takes it. */
  get sidecarReadFd(): i32 {
    const x = this.exchange;
    if (this.phase != Phase.Open || x === null || x.fd < 0 || x.wantsWrite) return -1;
    return this.pendingOutput < OUTPUT_HIGH_WATER ? x.fd : -1;
  }

  /**
   * Since when the connection has waited for its next request with nothing in flight, or -1 while
   * it is busy (a request arriving or forwarded, output pending) or closing: only such a connection
   * may be closed to make room for a new one (event-loop.ts), as its keep-alive timeout would.
   */
  get idleSinceMs(): i64 {
    if (this.phase != Phase.Open || this.exchange !== null || this.held || this.pendingOutput > 0) return -1;
    const cycle = this.cycle;
    if (cycle.requestInProgress || cycle.pendingForward || cycle.finished || this.input.length > 0) return -1;
    return cycle.idleSinceMs;
  }

  get wantsWrite(): bool {
    return this.phase == Phase.Open && this.pendingOutput > 0;
  }

  deadline(limits: RequestLimits): i64 {
    if (this.phase == Phase.Closed) return NO_DEADLINE;
    if (this.phase == Phase.Draining) return this.lingerUntilMs;
    const x = this.exchange;
    if (x !== null) return x.deadlineMs;
    // Waiting for a slow reader is bounded by the high-water mark, not by a clock.
    if (this.pendingOutput > 0 && !this.cycle.requestInProgress) return NO_DEADLINE;
    return this.cycle.deadline(limits);
  }

  /** A timeout passed: 408 for a request still arriving (as node does), a silent close when idle. */
  expire(nowMs: i64, limits: RequestLimits): void {
    if (this.deadline(limits) > nowMs) return;
    const x = this.exchange;
    if (x !== null && this.phase == Phase.Open) {
      x.abort();
      this.exchange = null;
      if (x.relay.headDone) this.endMidAnswer(nowMs, x.relay.status);
      else {
        this.cycle.answerForwardFailure(this.output, sidecarTimeoutProblem(this.cycle.request), nowMs);
        this.answer(nowMs, limits);
      }
      return;
    }
    if (this.phase == Phase.Draining || !this.cycle.requestInProgress) {
      this.close();
      return;
    }
    this.cycle.timeOut(this.output, limits);
    this.flush(nowMs);
  }

  onReadable(nowMs: i64, limits: RequestLimits): void {
    if (this.phase == Phase.Draining) {
      this.drain();
      return;
    }
    let taken = 0;
    while (taken < RECEIVE_PER_TURN) {
      const n = receive(this.fd, this.input.reserve(RECEIVE_CHUNK), RECEIVE_CHUNK);
      if (n == WOULD_BLOCK) break;
      if (n == FAILED) {
        this.close();
        return;
      }
      if (n == 0) {
        this.peerClosed = true;
        break;
      }
      this.input.commit(n);
      taken += n;
    }
    this.answer(nowMs, limits);
  }

  onWritable(nowMs: i64, limits: RequestLimits): void {
    this.flush(nowMs);
    if (this.phase == Phase.Open) this.answer(nowMs, limits);
  }

  onSidecarWritable(nowMs: i64, limits: RequestLimits): void {
    const x = this.exchange;
    if (x !== null) this.settle(x, x.onWritable(), nowMs, limits);
  }

  onSidecarReadable(nowMs: i64, limits: RequestLimits): void {
    const x = this.exchange;
    if (x !== null)
      this.settle(x, x.onReadable(this.output, OUTPUT_HIGH_WATER - this.pendingOutput), nowMs, limits);
  }

  private settle(x: SidecarExchange, outcome: Outcome, nowMs: i64, limits: RequestLimits): void {
    if (outcome == Outcome.Pending) {
      this.flush(nowMs);
      return;
    }
    this.exchange = null;
    if (outcome == Outcome.Done) {
      this.cycle.forwardDone(nowMs, x.relay.closeClient, x.relay.status);
    } else if (x.relay.headDone) {
      this.endMidAnswer(nowMs, x.relay.status);
      return;
    } else {
      this.cycle.answerSidecarDown(this.output, nowMs);
    }
    // The next pipelined request (already received, or still in the socket) is answered now.
    this.answer(nowMs, limits);
  }

  /** Part of the sidecar's answer went out: the client can only learn of the failure by a close. */
  private endMidAnswer(nowMs: i64, status: i32): void {
    this.cycle.forwardCut(status);
    this.flush(nowMs);
  }

  private answer(nowMs: i64, limits: RequestLimits): void {
    while (true) {
      this.cycle.process(this.input, this.output, this.sent + OUTPUT_HIGH_WATER, nowMs, limits);
      if (!this.cycle.pendingForward || this.exchange !== null) break;
      const x = new SidecarExchange(this.cycle.request, this.fd, journal.lastSeq, nowMs + FORWARD_TIMEOUT_MS);
      if (x.start()) {
        this.exchange = x;
        break;
      }
      this.cycle.answerSidecarDown(this.output, nowMs);
    }
    // The client finished sending: answer what it asked, then close (an unfinished request is dropped).
    if (this.peerClosed) this.cycle.finished = true;
    this.flush(nowMs);
  }

  /** Sends what was held for the journal sync, now that the event loop has synced it. */
  releaseHeld(nowMs: i64): void {
    if (!this.held) return;
    this.held = false;
    if (this.phase == Phase.Open) this.flush(nowMs);
  }

  /** Sends what the kernel takes now; the rest waits for the next writable event. */
  private flush(nowMs: i64): void {
    // An answer may acknowledge an event appended this turn: it leaves after the turn's fd_datasync.
    if (journal.dirty) {
      this.held = true;
      return;
    }
    while (this.pendingOutput > 0) {
      const n = send(this.fd, this.output.ptr + <usize>this.sent, this.pendingOutput);
      if (n == WOULD_BLOCK) return;
      if (n == FAILED) {
        this.close();
        return;
      }
      this.sent += n;
    }
    this.output.reset();
    this.sent = 0;
    if (this.cycle.finished && this.phase == Phase.Open && this.exchange === null) {
      shutdownSending(this.fd);
      this.phase = Phase.Draining;
      this.lingerUntilMs = nowMs + LINGER_MS;
      this.input.clear(IDLE_BUFFER_BYTES);
      if (this.peerClosed) this.close();
    } else if (this.input.length == 0) {
      this.input.clear(IDLE_BUFFER_BYTES);
    }
  }

  /** Reads and drops what a closing client still sends; closes at its end of stream. */
  private drain(): void {
    while (true) {
      const n = receive(this.fd, this.input.reserve(RECEIVE_CHUNK), RECEIVE_CHUNK);
      if (n == WOULD_BLOCK) return;
      if (n <= 0) {
        this.close();
        return;
      }
    }
  }

  close(): void {
    if (this.phase == Phase.Closed) return;
    const x = this.exchange;
    if (x !== null) x.abort();
    this.exchange = null;
    closeSocket(this.fd);
    this.phase = Phase.Closed;
  }
}
