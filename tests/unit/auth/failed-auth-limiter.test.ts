// The per-address counter behind 429 for clients that keep failing to authenticate: what a
// guessing client is allowed, when it may try again, and that tracking it costs bounded memory.
import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from '../../../host/auth/failed-auth-limiter.js';

function limiter(options: { maxFailures?: number; windowMs?: number; maxClients?: number } = {}) {
  const clock = { ms: 1_000_000 };
  const limits = new FailedAuthLimiter({
    maxFailures: options.maxFailures ?? 3,
    windowMs: options.windowMs ?? 60_000,
    maxClients: options.maxClients,
    now: () => clock.ms,
  });
  return { limits, clock };
}

describe('FailedAuthLimiter', () => {
  it('lets a client try until it has failed the limit, then says how long to wait', () => {
    const { limits, clock } = limiter();
    for (let i = 0; i < 3; i++) {
      expect(limits.retryAfterS('10.0.0.7')).toBeNull();
      limits.recordFailure('10.0.0.7');
    }
    expect(limits.retryAfterS('10.0.0.7')).toBe(60);
    clock.ms += 45_500;
    expect(limits.retryAfterS('10.0.0.7')).toBe(15);
  });

  it('forgives the failures once their window has passed', () => {
    const { limits, clock } = limiter();
    for (let i = 0; i < 3; i++) limits.recordFailure('10.0.0.7');
    clock.ms += 60_000;
    expect(limits.retryAfterS('10.0.0.7')).toBeNull();
  });

  it('counts per address: one failing client does not hold back another', () => {
    const { limits } = limiter();
    for (let i = 0; i < 3; i++) limits.recordFailure('10.0.0.7');
    expect(limits.retryAfterS('10.0.0.8')).toBeNull();
  });

  it('counts verifications still running, so guesses sent all at once are not all verified', () => {
    const { limits } = limiter();
    for (let i = 0; i < 3; i++) limits.begin('10.0.0.7');
    expect(limits.retryAfterS('10.0.0.7')).toBe(1);
    limits.settle('10.0.0.7', false);
    limits.settle('10.0.0.7', false);
    limits.settle('10.0.0.7', false);
    expect(limits.retryAfterS('10.0.0.7')).toBe(60);
  });

  it('does not count a verification that succeeded', () => {
    const { limits } = limiter();
    for (let i = 0; i < 5; i++) {
      limits.begin('10.0.0.7');
      limits.settle('10.0.0.7', true);
    }
    expect(limits.retryAfterS('10.0.0.7')).toBeNull();
    expect(limits.trackedClients).toBe(0);
  });

  it('reports the first refusal of a client once per window, so a guessing client is logged once', () => {
    const { limits, clock } = limiter();
    for (let i = 0; i < 3; i++) limits.recordFailure('10.0.0.7');
    expect([1, 2, 3].map(() => limits.firstRefusal('10.0.0.7'))).toEqual([true, false, false]);
    expect(limits.firstRefusal('10.0.0.8')).toBe(false);

    clock.ms += 60_000;
    for (let i = 0; i < 3; i++) limits.recordFailure('10.0.0.7');
    expect(limits.firstRefusal('10.0.0.7')).toBe(true);
  });

  it('tracks at most maxClients addresses, forgetting the one that failed least recently', () => {
    const { limits } = limiter({ maxFailures: 1, maxClients: 100 });
    for (let i = 0; i < 1000; i++) limits.recordFailure(`10.0.${i >> 8}.${i & 255}`);

    expect(limits.trackedClients).toBe(100);
    expect(limits.retryAfterS('10.0.3.231')).not.toBeNull();
    expect(limits.retryAfterS('10.0.0.0')).toBeNull();
  });
});
