import { CoreStatus } from './status.js';

/** A call into the core that returned a status the caller cannot proceed with. */
export class CoreError extends Error {
  readonly code: string;
  constructor(
    readonly status: CoreStatus,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
    this.code = `CORE_${CoreStatus[status] ?? 'UNKNOWN'}`.toUpperCase();
  }
}

/**
 * The Wasm instance trapped. Its memory can no longer be trusted, so the gateway has discarded it
 * and started a fresh one; the call that trapped had no effect.
 */
export class CoreTrapError extends Error {
  readonly code = 'CORE_TRAP';
  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(`tracker.wasm trapped during ${operation}; the instance was replaced`, options);
    this.name = 'CoreTrapError';
  }
}
