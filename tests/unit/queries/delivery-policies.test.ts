// The pure policies of webhook delivery: GS1-Signature and retry backoff.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gs1Signature, verifyGs1Signature } from '../../../host/queries/gs1-signature.js';
import { DEFAULT_BACKOFF, retryDelayMs } from '../../../host/queries/retry-backoff.js';

describe('GS1-Signature', () => {
  const body = Buffer.from('{"type":"EPCISQueryDocument"}');

  it('is sha256= and the hex HMAC-SHA256 of the exact body bytes under signatureToken', () => {
    const expected = createHmac('sha256', 'token-1').update(body).digest('hex');

    expect(gs1Signature(body, 'token-1')).toBe(`sha256=${expected}`);
  });

  it('verifies only the same bytes under the same token', () => {
    const signature = gs1Signature(body, 'token-1');

    expect(verifyGs1Signature(body, 'token-1', signature)).toBe(true);
    expect(verifyGs1Signature(Buffer.from(`${body.toString()} `), 'token-1', signature)).toBe(false);
    expect(verifyGs1Signature(body, 'token-2', signature)).toBe(false);
    expect(verifyGs1Signature(body, 'token-1', undefined)).toBe(false);
  });
});

describe('retry backoff', () => {
  it('doubles from 1 s per failure, between half and all of each step', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, DEFAULT_BACKOFF, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, DEFAULT_BACKOFF, 0.999_999))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('never waits longer than the cap, however many failures', () => {
    for (const failures of [10, 50, 10_000]) {
      expect(retryDelayMs(failures, DEFAULT_BACKOFF, 0.999_999)).toBeLessThanOrEqual(
        DEFAULT_BACKOFF.maxDelayMs,
      );
    }
  });
});
