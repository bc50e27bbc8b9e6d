// Runs an OCI bundle with crun as root: `crun run` in the foreground, then `crun state` / `kill` /
// `delete`, each with a private state directory (--root) so nothing meets other crun users'
// containers. crun 1.21 refuses a hybrid cgroup layout (cgroup v1 controllers with a cgroup2 mount
// beside them, as this VM has: "cgroups in hybrid mode not supported, drop all controllers from
// cgroupv2"), so there every crun call runs in a private mount namespace whose /sys/fs/cgroup is a
// plain cgroup2 mount, with --cgroup-manager=disabled: the container gets no cgroup of its own. On a
// pure cgroup2 host crun is called directly (still without cgroups, as the test needs no limits).
import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { statfsSync } from 'node:fs';
import type { Readable } from 'node:stream';

const CGROUP2_SUPER_MAGIC = 0x63677270;
const REMOUNT_CGROUP2 = 'umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && exec "$@"';

export interface CrunOptions {
  /** The crun command (scripts/ensure-crun.sh --print-path). */
  crun: string;
  /** crun's --root: where it keeps its containers' state. */
  stateDir: string;
  /** The environment crun runs with (LD_LIBRARY_PATH picks the libwasmedge.so.0 it loads). */
  env?: NodeJS.ProcessEnv;
}

/** Whether crun needs the mount-namespace workaround here (/sys/fs/cgroup is not a cgroup2 mount). */
export function hasHybridCgroups(): boolean {
  return statfsSync('/sys/fs/cgroup').type !== CGROUP2_SUPER_MAGIC;
}

/** The command line of `crun <args>` with the workaround when this host needs it. */
export function crunCommandLine(options: CrunOptions, args: readonly string[]): [string, string[]] {
  const crun = [options.crun, '--cgroup-manager=disabled', '--root', options.stateDir, ...args];
  if (!hasHybridCgroups()) return [crun[0]!, crun.slice(1)];
  return [
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', REMOUNT_CGROUP2, 'crun-cgroup2', ...crun],
  ];
}

/** The same private mount namespace and cgroup2 remount, running `command` instead of crun. */
export function workaroundCommandLine(command: readonly string[]): [string, string[]] {
  return [
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', REMOUNT_CGROUP2, 'noop', ...command],
  ];
}

function crunSync(options: CrunOptions, args: readonly string[]): string {
  const [file, argv] = crunCommandLine(options, args);
  return execFileSync(file, argv, { env: options.env, encoding: 'utf8', timeout: 30_000, stdio: 'pipe' });
}

export class CrunContainer {
  /** process.hrtime.bigint() just before `crun run` was spawned. */
  readonly startedAt: bigint;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output = '';
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;

  /** Spawns `crun run --bundle bundleDir id`; the container's stdout and stderr collect in `output`. */
  constructor(
    readonly options: CrunOptions,
    readonly id: string,
    bundleDir: string,
  ) {
    const [file, argv] = crunCommandLine(options, ['run', '--bundle', bundleDir, id]);
    this.startedAt = process.hrtime.bigint();
    this.child = spawn(file, argv, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => void (this.output += chunk.toString());
    this.child.stdout.on('data', collect);
    this.child.stderr.on('data', collect);
    this.exited = new Promise((done) => this.child.on('exit', (code, signal) => done({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The container process's host PID (`crun state`), or null once crun no longer knows it. */
  pid(): number | null {
    try {
      const state = JSON.parse(crunSync(this.options, ['state', this.id])) as {
        pid?: number;
        status?: string;
      };
      return state.status === 'stopped' ? null : (state.pid ?? null);
    } catch {
      return null;
    }
  }

  kill(signal: 'TERM' | 'KILL'): void {
    crunSync(this.options, ['kill', this.id, signal]);
  }

  /** `crun delete --force`: kills what is left and removes the state; never throws (used in clean-ups). */
  remove(): void {
    try {
      crunSync(this.options, ['delete', '--force', this.id]);
    } catch {
      // Already deleted, or never created: nothing is left to remove.
    }
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** The container ids crun's state directory still holds. */
export function listContainers(options: CrunOptions): string[] {
  const listing = JSON.parse(crunSync(options, ['list', '--format', 'json'])) as { id: string }[] | null;
  return (listing ?? []).map((entry) => entry.id);
}
