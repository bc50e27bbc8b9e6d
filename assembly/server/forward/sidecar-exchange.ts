// One forwarded request and its answer: connect (or reuse a pooled connection), send the request,
// receive the answer and relay it into the client connection's output as it arrives. The event loop
// polls `fd` for what `wantsWrite`/`wantsRead` say; nothing here blocks.
import { Utf8Writer } from '../../json/utf8-writer';
import { ByteQueue } from '../byte-queue';
import { HttpRequest } from '../http-request';
import { Problem } from '../problem';
import { FAILED, WOULD_BLOCK, closeSocket, peerAddress, receive, send } from '../socket-calls';
import { writeForwardedRequest } from './forwarded-request';
import { Relay, ResponseRelay } from './response-relay';
import { giveBack, openSidecarConnection, takeIdleConnection } from './sidecar-pool';

export const enum Outcome {
  Pending,
  /** The answer is complete in the client's output. */
  Done,
  /** No answer from the sidecar; `relay.headDone` says whether part of one is in the output already. */
  Failed,
}

const RECEIVE_CHUNK: i32 = 16 * 1024;
/** A forwarded request's answer must have arrived in full by then: a 504 (or, mid-answer, a close). */
export const FORWARD_TIMEOUT_MS: i64 = 30_000;

export function sidecarTimeoutProblem(req: HttpRequest): Problem {
  return new Problem(
    504,
    'GatewayTimeoutException',
    req.method +
      ' ' +
      req.path +
      ': the sidecar (the Node service) did not answer within ' +
      FORWARD_TIMEOUT_MS.toString() +
      ' ms',
  );
}

export class SidecarExchange {
  fd: i32 = -1;
  private reused: bool = false;
  private connecting: bool = false;
  private readonly request: Utf8Writer = new Utf8Writer(1024);
  private sent: i32 = 0;
  private received: i32 = 0;
  private readonly input: ByteQueue = new ByteQueue(4096);
  readonly relay: ResponseRelay = new ResponseRelay();
  private forHead: bool = false;
  private clientKeepAlive: bool = true;

  constructor(
    req: HttpRequest,
    /** The client's socket: its address goes to the sidecar as X-Forwarded-For. */
    clientFd: i32,
    journalSeq: u64,
    /** When the answer must have come: a 504 after it, or a closed connection mid-answer. */
    public readonly deadlineMs: i64,
  ) {
    writeForwardedRequest(this.request, req, journalSeq, peerAddress(clientFd));
    this.forHead = req.method == 'HEAD';
    this.clientKeepAlive = req.keepAlive;
  }

  /** Takes a pooled connection or starts a new one; false when the sidecar cannot be reached. */
  start(): bool {
    const pooled = takeIdleConnection();
    if (pooled >= 0) {
      this.fd = pooled;
      this.reused = true;
      this.connecting = false;
      return true;
    }
    return this.connectFresh();
  }

  private connectFresh(): bool {
    const fd = openSidecarConnection();
    if (fd == FAILED) return false;
    this.fd = fd;
    this.reused = false;
    this.connecting = true;
    return true;
  }

  @inline get wantsWrite(): bool {
    return this.fd >= 0 && (this.connecting || this.sent < this.request.length);
  }

  @inline get sending(): bool {
    return this.sent < this.request.length;
  }

  /** Connected (or failed: the send says which), sends what the kernel takes. */
  onWritable(): Outcome {
    this.connecting = false;
    while (this.sent < this.request.length) {
      const n = send(this.fd, this.request.ptr + <usize>this.sent, this.request.length - this.sent);
      if (n == WOULD_BLOCK) return Outcome.Pending;
      if (n == FAILED) return this.failed();
      this.sent += n;
    }
    return Outcome.Pending;
  }

  /** Receives at most `budget` bytes and relays them into `out`. */
  onReadable(out: Utf8Writer, budget: i32): Outcome {
    let taken = 0;
    let eof = false;
    while (taken < budget) {
      const n = receive(this.fd, this.input.reserve(RECEIVE_CHUNK), RECEIVE_CHUNK);
      if (n == WOULD_BLOCK) break;
      if (n == FAILED || n == 0) {
        eof = true;
        break;
      }
      this.input.commit(n);
      taken += n;
      this.received += n;
    }
    const progress = this.relay.advance(this.input, out, this.forHead, this.clientKeepAlive, eof);
    if (progress == Relay.Done) {
      // Bytes after the answer would belong to no request: such a connection is not reused.
      if (this.relay.reusable && !eof && this.input.length == 0) giveBack(this.fd);
      else closeSocket(this.fd);
      this.fd = -1;
      return Outcome.Done;
    }
    if (progress == Relay.Failed || eof) return this.failed();
    return Outcome.Pending;
  }

  /**
   * A pooled connection the sidecar closed before this request reached it (it restarted, or its
   * keep-alive timer ran out) is not the sidecar's answer: the request goes once more on a new one.
   */
  private failed(): Outcome {
    closeSocket(this.fd);
    this.fd = -1;
    if (this.reused && this.received == 0 && this.connectFresh()) {
      this.sent = 0;
      return Outcome.Pending;
    }
    return Outcome.Failed;
  }

  /** The client went away or the time is up: the sidecar connection cannot carry another request. */
  abort(): void {
    if (this.fd >= 0) closeSocket(this.fd);
    this.fd = -1;
  }
}
