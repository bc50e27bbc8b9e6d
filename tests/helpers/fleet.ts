// A fleet on one machine: one hub and N sites, each the real service as a child process with its
// own DATA_DIR (its own SQLite file), all on the real RabbitMQ under one SYNC_NAMESPACE of their own,
// and each behind a FaultProxy of its own, so a test can cut, stall or break one node's link to the
// broker while the others keep theirs. Nodes keep their data dir across kill -9 and restarts.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import amqplib from 'amqplib';
import Database from 'better-sqlite3';
import { FaultProxy } from './fault-proxy.js';
import { deleteSyncObjects } from './rabbitmq.js';
import { type Exit, ServiceProcess, type TempDir, tempDataDir } from './service-process.js';

export const BROKER_URL = process.env['SYNC_TEST_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

export type Role = 'site' | 'hub';

export interface FleetOptions {
  /** Site IDs, one process each. */
  sites: readonly string[];
  /** Location or party GLN → site ID, written as the SITE_ROUTES file of every node. */
  routes?: Readonly<Record<string, string>>;
  /** Extra configuration for every node (after the fleet's own). */
  env?: Readonly<Record<string, string>>;
  /** Extra configuration for one node, by name ('hub' or a site ID), after `env`. */
  nodeEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Start no processes yet (a test starts them in its own order). */
  deferStart?: boolean;
  brokerUrl?: string;
}

/** A namespace no other run uses: exchange and queue names start with it. */
export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Heartbeat of the test links, in seconds: short, so a stalled link is noticed within seconds. */
export const TEST_HEARTBEAT_S = 1;

export interface StoredEventRow {
  event_id: string;
  origin_site: string;
}

export class FleetNode {
  private current: ServiceProcess | null = null;
  private readonly dir: TempDir;
  /** How often this node was started, kill -9 restarts included. */
  starts = 0;

  constructor(
    readonly name: string,
    readonly role: Role,
    readonly proxy: FaultProxy,
    private readonly env: Record<string, string>,
  ) {
    this.dir = tempDataDir(`edgetrace-${role}-${name}-`);
  }

  get dataDir(): string {
    return this.dir.dir;
  }

  get dbPath(): string {
    return join(this.dir.dir, 'edgetrace.db');
  }

  get service(): ServiceProcess {
    if (this.current === null || this.current.hasExited !== null) {
      throw new Error(`${this.name} is not running`);
    }
    return this.current;
  }

  get running(): boolean {
    return this.current !== null && this.current.hasExited === null;
  }

  get baseUrl(): string {
    return this.service.baseUrl;
  }

  /** Spawns the service (on its existing data dir) and waits until /ready. */
  async start(timeoutMs = 30_000): Promise<ServiceProcess> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts++;
    this.current = await ServiceProcess.start({ dataDir: this.dir.dir, env: this.env }, timeoutMs);
    return this.current;
  }

  /** GET /health/sync: the sync status (ok, offline, starting, …) and the outbox depth it reports. */
  async syncHealth(): Promise<{ status: string; outboxDepth: number; links: Record<string, string> }> {
    const response = await fetch(`${this.baseUrl}/health/sync`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as {
      status: string;
      outbox: { depth: number };
      links: Record<string, { state: string }>;
    };
    const links = Object.fromEntries(Object.entries(body.links).map(([name, link]) => [name, link.state]));
    return { status: body.status, outboxDepth: body.outbox.depth, links };
  }

  /** Waits until both broker links of this node are connected. */
  /** Waits until one link (publish or consume) reports `connected`, whatever the other does. */
  async waitForLink(link: 'publish' | 'consume', timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await this.syncHealth();
      if (health.links[link] === 'connected') return;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: ${link} link is ${health.links[link]} after ${timeoutMs} ms\n${this.logTail()}`,
        );
      }
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  async waitForSyncOk(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await this.syncHealth();
      if (health.status === 'ok') return;
      if (Date.now() > deadline) {
        throw new Error(`${this.name}: sync is ${health.status} after ${timeoutMs} ms\n${this.logTail()}`);
      }
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /** kill -9. */
  async kill(): Promise<Exit | null> {
    const service = this.current;
    if (service === null || service.hasExited !== null) return service?.hasExited ?? null;
    return service.kill();
  }

  /** SIGTERM and wait (the graceful path). */
  async stop(): Promise<Exit | null> {
    const service = this.current;
    if (service === null || service.hasExited !== null) return service?.hasExited ?? null;
    return service.stop();
  }

  /** The last log lines of the current or last process, for failure messages. */
  logTail(chars = 3000): string {
    if (this.current === null) return '(never started)';
    return `${this.current.stdout.slice(-chars)}\n${this.current.stderr.slice(-chars)}`;
  }

  /**
   * Reads the node's SQLite file directly (read-only, safe beside the running writer in WAL mode):
   * what is stored, independent of any HTTP answer.
   */
  private read<T>(query: (db: Database.Database) => T): T {
    if (!existsSync(this.dbPath)) throw new Error(`${this.name} has no database yet`);
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return query(db);
    } finally {
      db.close();
    }
  }

  /** Every stored event's ID and origin, one row per stored event. */
  storedEvents(): StoredEventRow[] {
    return this.read(
      (db) => db.prepare('SELECT event_id, origin_site FROM events ORDER BY seq').all() as StoredEventRow[],
    );
  }

  /** Outbox rows the broker has not confirmed yet. */
  outboxDepth(): number {
    return this.read(
      (db) => (db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_ms IS NULL').get() as { n: number }).n,
    );
  }

  removeData(): void {
    this.dir.remove();
  }
}

export class Fleet {
  private constructor(
    readonly namespace: string,
    readonly hub: FleetNode,
    readonly sites: readonly FleetNode[],
    private readonly routesDir: TempDir,
    private readonly brokerUrl: string,
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const namespace = uniqueNamespace('et');
    const brokerUrl = options.brokerUrl ?? BROKER_URL;
    const upstream = new URL(brokerUrl);
    const routesDir = tempDataDir('edgetrace-fleet-');
    const routesFile = join(routesDir.dir, 'site-routes.json');
    writeFileSync(routesFile, JSON.stringify(options.routes ?? {}));

    const makeNode = async (name: string, role: Role): Promise<FleetNode> => {
      const proxy = await FaultProxy.start({
        upstreamHost: upstream.hostname,
        upstreamPort: Number(upstream.port || 5672),
      });
      const url = new URL(proxy.amqpUrl(brokerUrl));
      url.searchParams.set('heartbeat', String(TEST_HEARTBEAT_S));
      const env: Record<string, string> = {
        AMQP_URL: url.toString(),
        ROLE: role,
        SITE_ID: name,
        SYNC_NAMESPACE: namespace,
        SITE_ROUTES: routesFile,
        sync_interval: '200ms',
        // Process crashes are what these tests inflict; NORMAL survives them and is faster.
        SQLITE_SYNCHRONOUS: 'NORMAL',
        LOG_LEVEL: 'info',
        ...options.env,
        ...options.nodeEnv?.[name],
      };
      return new FleetNode(name, role, proxy, env);
    };

    const hub = await makeNode('hub', 'hub');
    const sites: FleetNode[] = [];
    for (const id of options.sites) sites.push(await makeNode(id, 'site'));
    const fleet = new Fleet(namespace, hub, sites, routesDir, brokerUrl);
    if (options.deferStart !== true) {
      try {
        // The hub first, so its queue exists before any site publishes.
        await hub.start();
        await Promise.all(sites.map((site) => site.start()));
        // Tests begin with every link up, so a fault strikes an established connection.
        await Promise.all(fleet.nodes.map((node) => node.waitForSyncOk()));
      } catch (error) {
        await fleet.close();
        throw error;
      }
    }
    return fleet;
  }

  get nodes(): FleetNode[] {
    return [this.hub, ...this.sites];
  }

  site(id: string): FleetNode {
    const found = this.sites.find((site) => site.name === id);
    if (found === undefined) throw new Error(`no site ${id}`);
    return found;
  }

  healAll(): void {
    for (const node of this.nodes) node.proxy.heal();
  }

  /** Polls `condition` every `everyMs` until it holds; throws with `describe()` after `timeoutMs`. */
  async waitUntil(
    condition: () => boolean | Promise<boolean>,
    describe: () => string,
    timeoutMs: number,
    everyMs = 100,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await condition()) return;
      if (Date.now() > deadline) {
        const logs = this.nodes.map((n) => `--- ${n.name}:\n${n.logTail(1500)}`).join('\n');
        throw new Error(`timed out after ${timeoutMs} ms: ${describe()}\n${logs}`);
      }
      await new Promise((done) => setTimeout(done, everyMs));
    }
  }

  /** Waits until every site's outbox is empty (all confirmed by the broker). */
  async waitForOutboxesDrained(timeoutMs: number): Promise<void> {
    await this.waitUntil(
      () => this.sites.every((site) => site.outboxDepth() === 0),
      () => `outboxes: ${this.sites.map((s) => `${s.name}=${s.outboxDepth()}`).join(', ')}`,
      timeoutMs,
    );
  }

  /** Kills every process, closes the proxies, deletes this run's broker objects and data dirs. */
  async close(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.kill()));
    await Promise.all(this.nodes.map((node) => node.proxy.close()));
    await deleteNamespace(
      this.brokerUrl,
      this.namespace,
      this.sites.map((n) => n.name),
    );
    for (const node of this.nodes) node.removeData();
    this.routesDir.remove();
  }
}

/**
 * Deletes the exchanges and queues a fleet declared under `namespace` (the sync runtime's names for
 * them), so test runs leave no queues growing on the shared broker.
 */
export async function deleteNamespace(
  brokerUrl: string,
  namespace: string,
  siteIds: readonly string[],
): Promise<void> {
  const connection = await amqplib.connect(brokerUrl);
  try {
    await deleteSyncObjects(connection, namespace, siteIds);
  } finally {
    await connection.close();
  }
}
