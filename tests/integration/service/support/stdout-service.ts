// Runs the built service as a child whose stdout the test controls, the way supervisors, log
// shippers and `npm start | tee` run it: a pipe the test reads, then closes (the reader has gone) or
// stops reading (the pipe fills up); or no stdout at all (closed at spawn). The port is chosen
// before the spawn, since a service without stdout cannot tell it.
import { type ChildProcess, spawn } from 'node:child_process';
import { assertServiceBuilt, type Exit, SERVICE_MAIN } from '../../../helpers/service-process.js';
import { freePort } from '../../../helpers/free-port.js';
import { type ServiceOptions, serviceEnv, waitUntilReady } from '../../../helpers/service-spawn.js';

export type StdoutMode = 'pipe' | 'closed';

export class StdoutService {
  private out = '';
  private err = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.out += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.err += chunk.toString('utf8')));
    // The test closes the reader on purpose; its own read end must not fail the test.
    child.stdout?.on('error', () => undefined);
    this.exited = new Promise((settle) =>
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        settle(this.exit);
      }),
    );
  }

  /** Spawns the service (PORT chosen here, HOST=127.0.0.1, LOG_LEVEL=info) and waits for GET /ready. */
  static async start(options: ServiceOptions & { stdout: StdoutMode }): Promise<StdoutService> {
    assertServiceBuilt();
    const port = await freePort();
    const env = serviceEnv(options, port);
    // `exec ... >&-` hands the service a closed descriptor 1, which a supervisor can do.
    const child =
      options.stdout === 'pipe'
        ? spawn(process.execPath, [SERVICE_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('/bin/sh', ['-c', 'exec "$0" "$1" >&-', process.execPath, SERVICE_MAIN], {
            env,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
    const service = new StdoutService(child, `http://127.0.0.1:${port}`);
    try {
      const target = {
        baseUrl: service.baseUrl,
        exit: () => service.exit,
        describe: () => service.describe(),
      };
      await waitUntilReady(target, 20_000, 25);
    } catch (error) {
      await service.kill();
      throw error;
    }
    return service;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get stdout(): string {
    return this.out;
  }

  /** The reader goes away: the parent closes its end of the pipe. */
  closeReader(): void {
    this.child.stdout?.destroy();
  }

  /** The reader stays open but reads no more: the pipe fills up once the service logs enough. */
  stopReading(): void {
    this.child.stdout?.pause();
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exit === null) this.child.kill(signal);
  }

  /** Resolves with the exit, or null if the process is still running after `timeoutMs`. */
  async exitWithin(timeoutMs: number): Promise<Exit | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((done) => (timer = setTimeout(() => done(null), timeoutMs)));
    const outcome = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    return outcome;
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  describe(): string {
    return `exit ${JSON.stringify(this.exit)}\nstdout:\n${this.out.slice(-2000)}\nstderr:\n${this.err.slice(-2000)}`;
  }
}
