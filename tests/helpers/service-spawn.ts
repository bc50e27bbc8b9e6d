// What every test that spawns the built service shares: the environment it starts with and the
// wait until GET /ready answers 200.

export interface ServiceOptions {
  dataDir: string;
  /** Extra configuration, on top of PORT, HOST=127.0.0.1, DATA_DIR and LOG_LEVEL=info. */
  env?: Record<string, string>;
}

/**
 * The service's whole environment; `port` 0 lets the kernel choose. Only what the service needs:
 * the test runner's own environment may hold keys the service would refuse as misspelt configuration.
 */
export function serviceEnv(options: ServiceOptions, port: number): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'info',
    ...options.env,
  };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** The running child as the readiness wait sees it. */
export interface ReadinessTarget {
  baseUrl: string;
  /** The exit, once the process has exited; null while it runs. */
  exit: () => unknown;
  /** What the process wrote, for the error message. */
  describe: () => string;
}

/** Polls GET /ready until it answers 200; throws when the process exits first or time runs out. */
export async function waitUntilReady(
  target: ReadinessTarget,
  timeoutMs: number,
  pollMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exit = target.exit();
    if (exit !== null) throw new Error(`the service exited (${JSON.stringify(exit)})\n${target.describe()}`);
    const status = await fetch(`${target.baseUrl}/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`/ready did not turn 200 within ${timeoutMs} ms\n${target.describe()}`);
    await sleep(pollMs);
  }
}
