/**
 * Counts failed authentications per client address in fixed windows. A wrong secret for a known
 * API key selector costs a full scrypt (~40 ms of CPU and 16 MiB); measured before this limit,
 * 200 of them took 10 s of CPU. Past the limit a client is refused with 429 before any verification
 * runs, so guessing costs the service almost nothing and other clients keep their CPU.
 *
 * Verifications still running count against the limit too (`pending`): otherwise a client sending
 * its guesses all at once would have every one of them verified before the first failure is known.
 *
 * Memory is bounded: at most `maxClients` addresses are tracked, and the one that failed least
 * recently is forgotten first. An attacker with more addresses than that can only make the service
 * forget its own oldest ones; each address still gets no more than `maxFailures` per window.
 */
export interface FailedAuthLimits {
  /** Failed (and in-flight) verifications allowed per address and window. */
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at once. */
  maxClients?: number;
  now?: () => number;
}

interface ClientRecord {
  windowStartMs: number;
  failures: number;
  pending: number;
  /** Whether a refusal was already reported in this window (see firstRefusal). */
  refusalReported: boolean;
}

// ~100 bytes a record: 10,000 addresses hold about 1 MiB.
const DEFAULT_MAX_CLIENTS = 10_000;
// A client held back only by its own verifications in flight may retry as soon as they finish.
const PENDING_RETRY_AFTER_S = 1;

export class FailedAuthLimiter {
  private readonly clients = new Map<string, ClientRecord>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(limits: FailedAuthLimits) {
    this.maxFailures = limits.maxFailures;
    this.windowMs = limits.windowMs;
    this.maxClients = limits.maxClients ?? DEFAULT_MAX_CLIENTS;
    this.now = limits.now ?? Date.now;
    if (!(this.maxFailures >= 1 && this.windowMs >= 1 && this.maxClients >= 1)) {
      throw new RangeError('maxFailures, windowMs and maxClients must be at least 1');
    }
  }

  /** Addresses tracked now; never more than maxClients. */
  get trackedClients(): number {
    return this.clients.size;
  }

  /** Whole seconds the client must wait before it may be verified again; null when it may try now. */
  retryAfterS(client: string): number | null {
    const record = this.current(client);
    if (record === undefined || record.failures + record.pending < this.maxFailures) return null;
    if (record.failures < this.maxFailures) return PENDING_RETRY_AFTER_S;
    return Math.max(1, Math.ceil((record.windowStartMs + this.windowMs - this.now()) / 1000));
  }

  /**
   * True for the first refusal of the client in its current window, false for the rest: a guessing
   * client is then logged once per window, not once per refused request (measured: the second log
   * line of every refused request was a quarter of the service's main-thread time under attack).
   */
  firstRefusal(client: string): boolean {
    const record = this.current(client);
    if (record === undefined || record.refusalReported) return false;
    record.refusalReported = true;
    return true;
  }

  /** A verification that may fail starts; settle() must follow with its outcome. */
  begin(client: string): void {
    this.touch(client).pending += 1;
  }

  settle(client: string, succeeded: boolean): void {
    const record = this.current(client);
    if (record === undefined) return;
    record.pending = Math.max(0, record.pending - 1);
    if (succeeded) this.forgetIfIdle(client, record);
    else this.recordFailure(client);
  }

  /** A failure that needed no verification (a malformed token, an unknown key selector). */
  recordFailure(client: string): void {
    this.touch(client).failures += 1;
  }

  private current(client: string): ClientRecord | undefined {
    const record = this.clients.get(client);
    if (record !== undefined && this.now() - record.windowStartMs >= this.windowMs) {
      record.windowStartMs = this.now();
      record.failures = 0;
      record.refusalReported = false;
    }
    return record;
  }

  /** The client's record, created if needed and moved to the most recent end of the map. */
  private touch(client: string): ClientRecord {
    const record = this.current(client) ?? {
      windowStartMs: this.now(),
      failures: 0,
      pending: 0,
      refusalReported: false,
    };
    this.clients.delete(client);
    this.clients.set(client, record);
    if (this.clients.size > this.maxClients) {
      const oldest = this.clients.keys().next();
      if (oldest.done !== true) this.clients.delete(oldest.value);
    }
    return record;
  }

  private forgetIfIdle(client: string, record: ClientRecord): void {
    if (record.failures === 0 && record.pending === 0) this.clients.delete(client);
  }
}
