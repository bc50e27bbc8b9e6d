// When to try a failed webhook delivery again: exponential backoff with "full jitter" (a random
// delay between half and all of the exponential step), capped. The jitter keeps many subscriptions
// to one receiver that came back from retrying in lockstep; the cap bounds how long a receiver that
// recovered waits for its events. Pure, so it is tested without a clock.
export interface BackoffPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { firstDelayMs: 1000, maxDelayMs: 5 * 60 * 1000 };

/** Delay before attempt `failures + 1`, after `failures` (≥ 1) consecutive failures; `random` in [0, 1). */
export function retryDelayMs(failures: number, policy: BackoffPolicy, random: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const step = Math.min(policy.firstDelayMs * 2 ** exponent, policy.maxDelayMs);
  return Math.round(step / 2 + (step / 2) * random);
}
