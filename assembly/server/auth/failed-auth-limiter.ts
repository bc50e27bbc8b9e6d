// Failed authentications per client address in fixed windows, as host/auth/failed-auth-limiter.ts
// counts them (AUTH_FAILURE_LIMIT per AUTH_FAILURE_WINDOW, then 429 with Retry-After). A wrong
// secret for a known selector costs a scrypt that blocks this one-threaded server (~120 ms at
// ln=14, docs/wasmedge-server.md), so past the limit a client is refused before anything is hashed.
// The Node service also counts verifications in flight; here a verification finishes inside the
// request that started it, so there is never one pending between requests.
import { BoundedLru } from './bounded-lru';

class ClientRecord {
  windowStartMs: i64 = 0;
  failures: i32 = 0;
  /** Whether the refusal was already logged in this window (a guessing client is logged once). */
  refusalReported: bool = false;
}

// The Node service's DEFAULT_MAX_CLIENTS: the address that failed least recently is forgotten first.
const MAX_CLIENTS: i32 = 10_000;

export class FailedAuthLimiter {
  private readonly clients: BoundedLru<u32, ClientRecord> = new BoundedLru<u32, ClientRecord>(MAX_CLIENTS);

  constructor(
    readonly maxFailures: i32,
    readonly windowMs: i64,
  ) {}

  /** Whole seconds the client must wait before it may be verified again; -1 when it may try now. */
  retryAfterS(client: u32, nowMs: i64): i32 {
    const record = this.current(client, nowMs);
    if (record === null || record.failures < this.maxFailures) return -1;
    const leftMs = record.windowStartMs + this.windowMs - nowMs;
    return max(1, <i32>((leftMs + 999) / 1000));
  }

  /** True for the client's first refusal in its window (log it), false for the rest. */
  firstRefusal(client: u32, nowMs: i64): bool {
    const record = this.current(client, nowMs);
    if (record === null || record.refusalReported) return false;
    record.refusalReported = true;
    return true;
  }

  recordFailure(client: u32, nowMs: i64): void {
    let record = this.current(client, nowMs);
    if (record === null) {
      record = new ClientRecord();
      record.windowStartMs = nowMs;
    }
    record.failures++;
    // set() makes it the most recent: the client that failed least recently is evicted first.
    this.clients.set(client, record);
  }

  /** A verification succeeded: a client with no failures in its window is forgotten. */
  recordSuccess(client: u32, nowMs: i64): void {
    const record = this.current(client, nowMs);
    if (record !== null && record.failures == 0) this.clients.remove(client);
  }

  private current(client: u32, nowMs: i64): ClientRecord | null {
    const entry = this.clients.peek(client);
    if (entry === null) return null;
    const record = entry.value;
    if (nowMs - record.windowStartMs >= this.windowMs) {
      record.windowStartMs = nowMs;
      record.failures = 0;
      record.refusalReported = false;
    }
    return record;
  }
}
