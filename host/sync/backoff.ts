// Reconnect delays: exponential growth with "equal jitter" (half fixed, half random), so a fleet of
// sites that lost the broker together does not reconnect in lock-step when it comes back, yet each
// site still retries within a bounded, predictable time. Pure, so it is tested without a broker.
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const RECONNECT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({
  initialMs: 250,
  maxMs: 15_000,
  factor: 2,
});

/** The delay before retry number `attempt` (1 for the first retry); always within [ceiling/2, ceiling]. */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
