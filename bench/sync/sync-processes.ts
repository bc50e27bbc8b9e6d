// Processes and broker objects of the sync benchmark: the real service (dist/host/main.js) as a
// site or the hub, each in its own process on 127.0.0.1 with a clean environment; a read-only view
// of a service's SQLite file; and deletion of a run's exchanges and queues. Every wait is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import amqplib from 'amqplib';
import Database from 'better-sqlite3';
import { syncNames } from '../../host/sync/topology.js';
import { freePort } from '../lib/child-process.js';

const SERVICE_MAIN = fileURLToPath(new URL('../../host/main.js', import.meta.url));

export interface SyncService {
  origin: string;
  pid: number;
  dataDir: string;
  /** From spawn until /ready answered 200 (includes rebuilding the state index from the store). */
  readyMs: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface SyncServiceOptions {
  role: 'site' | 'hub';
  siteId: string;
  dataDir: string;
  amqpUrl: string;
  namespace: string;
  logFile: string;
  readyTimeoutMs: number;
  env?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

export async function startSyncService(options: SyncServiceOptions): Promise<SyncService> {
  const port = await freePort();
  const log = openSync(options.logFile, 'a');
  const started = performance.now();
  // BENCH_CPU_PROF=1 (as in bench:service): a V8 CPU profile of each service, next to its log.
  const profile =
    process.env['BENCH_CPU_PROF'] === '1'
      ? ['--cpu-prof', '--cpu-prof-dir', join(dirname(options.logFile), 'profiles', options.siteId)]
      : [];
  const child = spawn(process.execPath, [...profile, SERVICE_MAIN], {
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      // Both ends survive process crashes with NORMAL; the relay marks rows sent only after confirms.
      SQLITE_SYNCHRONOUS: 'NORMAL',
      // One line per request at 2,000 requests/s would weigh on the site: warnings only.
      LOG_LEVEL: 'warn',
      ROLE: options.role,
      SITE_ID: options.siteId,
      AMQP_URL: options.amqpUrl,
      SYNC_NAMESPACE: options.namespace,
      ...options.env,
    },
    stdio: ['ignore', log, 'pipe'],
  });
  closeSync(log);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.kill('SIGTERM');
    await exited(child);
    clearTimeout(kill);
  };
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  while (performance.now() - started < options.readyTimeoutMs) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}): ${stderr}`);
    const ready = await fetch(`${origin}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) {
      return {
        origin,
        pid: child.pid!,
        dataDir: options.dataDir,
        readyMs: performance.now() - started,
        stop,
        kill,
      };
    }
    await sleep(100);
  }
  await kill();
  throw new Error(`the service was not ready within ${options.readyTimeoutMs} ms: ${stderr}`);
}

/** A read-only connection to a running service's database (WAL: reads never block its writer). */
export function openReadOnly(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, 'edgetrace.db'), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Deletes the exchanges and queues declared under `namespace`. */
export async function deleteSyncNamespace(
  amqpUrl: string,
  namespace: string,
  siteIds: string[],
): Promise<void> {
  const names = syncNames(namespace);
  const connection = await amqplib.connect(amqpUrl);
  try {
    for (const queue of [
      names.hubQueue,
      names.deadLetterQueue,
      ...siteIds.map((id) => names.siteQueue(id)),
    ]) {
      const channel = await connection.createChannel();
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
    for (const exchange of [names.exchange, names.deadLetterExchange]) {
      const channel = await connection.createChannel();
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}
