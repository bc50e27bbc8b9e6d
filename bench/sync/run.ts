// npm run bench:sync — the sync relay on the real RabbitMQ (127.0.0.1:5672 unless BENCH_SYNC_AMQP_URL),
// with the raw amqplib confirm-channel publish ceiling to the same broker measured in the same run:
//   raw    bare amqplib publishing the relay's own messages into the same topology (the ceiling)
//   hub    the hub queue filled with BENCH_SYNC_HUB_EVENTS backlog events by bare amqplib (timed:
//          the baseline), then one hub process started on it: events stored per second
//   relay  a site draining a pre-built outbox with nothing else running: relay events/s
//   lag    a site capturing POST /events at BENCH_SYNC_LAG_RATE/s (open loop), the hub consuming:
//          site record time → row visible in the hub's SQLite, P50/P99
//   drain  a site with a BENCH_SYNC_BACKLOG-event outbox (an outage's worth) comes back while it
//          keeps capturing: time until the backlog is confirmed by the broker, and until the hub
//          holds it
// Prints a table and writes bench/results/sync.{json,md}. Each run uses its own namespace and
// deletes its queues afterwards. BENCH_SYNC_SECTIONS picks sections (comma-separated);
// BENCH_CPU_PROF=1 writes a V8 CPU profile of every site and hub to BENCH_SYNC_DIR/logs/profiles/.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJsonScript } from '../lib/child-process.js';
import { type BenchRow, report } from '../lib/report.js';
import { percentile } from '../lib/stats.js';
import type { OpenLoopInput, OpenLoopResult } from '../service/load/open-loop.js';
import { cpuShare, sample } from '../service/machine-load.js';
import { BACKLOG_SITE, backlogStore, copyBacklog } from './backlog.js';
import type { HubFillInput, HubFillResult } from './hub-fill.js';
import type { RawConfirmInput, RawConfirmResult } from './raw-confirm.js';
import { deleteSyncNamespace, openReadOnly, startSyncService } from './sync-processes.js';

type Section = 'raw' | 'hub' | 'relay' | 'lag' | 'drain';

const env = process.env;
const settings = {
  amqpUrl: env['BENCH_SYNC_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672',
  dir: env['BENCH_SYNC_DIR'] ?? join(tmpdir(), 'edgetrace-bench-sync'),
  sections: (env['BENCH_SYNC_SECTIONS'] ?? 'raw,hub,relay,lag,drain').split(',') as Section[],
  rawMessages: Number(env['BENCH_SYNC_RAW_MESSAGES'] ?? 100_000),
  backlog: Number(env['BENCH_SYNC_BACKLOG'] ?? 1_000_000),
  relayEvents: Number(env['BENCH_SYNC_RELAY_EVENTS'] ?? 200_000),
  hubEvents: Number(env['BENCH_SYNC_HUB_EVENTS'] ?? 200_000),
  hubEnv: parseEnvList(env['BENCH_SYNC_HUB_ENV']),
  lagRate: Number(env['BENCH_SYNC_LAG_RATE'] ?? 2000),
  lagSeconds: Number(env['BENCH_SYNC_LAG_S'] ?? 20),
  drainCaptureRate: Number(env['BENCH_SYNC_DRAIN_CAPTURE_RATE'] ?? 200),
  drainTimeoutS: Number(env['BENCH_SYNC_DRAIN_TIMEOUT_S'] ?? 600),
  hubWaitS: Number(env['BENCH_SYNC_HUB_WAIT_S'] ?? 600),
  freshStore: env['BENCH_SYNC_FRESH_STORE'] === '1',
};

/** "A=1,B=2": extra environment for the hub of the hub section (a setting compared side by side). */
function parseEnvList(text: string | undefined): Record<string, string> {
  const pairs = (text ?? '').split(',').filter((pair) => pair.includes('='));
  return Object.fromEntries(
    pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const namespace = (section: string) => `bench-${section}-${randomBytes(3).toString('hex')}`;
const logs = join(settings.dir, 'logs');
mkdirSync(logs, { recursive: true });

/** Runs a compiled generator script of the service bench or this folder in its own process. */
function runProcess<T>(script: string, input: object, timeoutMs: number): Promise<T> {
  return runJsonScript<T>(fileURLToPath(new URL(script, import.meta.url)), script, input, timeoutMs);
}

async function rawSection(): Promise<{ rows: BenchRow[]; notes: object; ceiling: number }> {
  const ns = namespace('raw');
  const input: RawConfirmInput = {
    amqpUrl: settings.amqpUrl,
    namespace: ns,
    messages: settings.rawMessages,
    windows: [1000, 4000, 16000],
    warmup: 5000,
  };
  const before = sample(null);
  const result = await runProcess<RawConfirmResult>('./raw-confirm.js', input, 600_000);
  const machine = cpuShare(before, sample(null));
  await deleteSyncNamespace(settings.amqpUrl, ns, [BACKLOG_SITE]);
  return {
    ceiling: result.best.messagesPerS,
    rows: [
      {
        metric: `raw amqplib confirm-channel publish (window ${result.best.window})`,
        value: result.best.messagesPerS,
        unit: 'messages/s',
      },
    ],
    notes: { ...result, machineBusyCores: machine?.busyCores ?? null },
  };
}

/**
 * Unsent outbox rows among the first `limit` seqs (the backlog of seqs 1..limit; later rows are
 * fresh captures), counted from the first unsent seq. Counting the rows instead walked the outbox
 * index (≈ 50 ms at 1M rows, several times a second) on the cores the relay and broker share. The
 * relay marks rows sent in seq order, so every row from the first unsent one is unsent: exact then,
 * and never less than the true count otherwise; 0 exactly when no backlog row is left unsent.
 */
function unsentBacklog(db: ReturnType<typeof openReadOnly>, limit: number): number {
  const first = (
    db.prepare('SELECT min(seq) AS seq FROM outbox WHERE sent_ms IS NULL').get() as { seq: number | null }
  ).seq;
  return first === null ? 0 : Math.max(0, limit - first + 1);
}

/**
 * Hub ingest: a queue already holding `hubEvents` events (an outage's worth), one hub process
 * started on it, nothing else running. The rate is taken between 10% and 90% stored, past the
 * start-up and before the tail; the baseline is bare amqplib publishing the same messages.
 */
async function hubSection(): Promise<{ rows: BenchRow[]; notes: object }> {
  const backlog = await backlogStore(settings.dir, settings.backlog, settings.freshStore);
  const events = Math.min(settings.hubEvents, settings.backlog);
  const ns = namespace('hub');
  const hubDir = join(settings.dir, 'run-hub');
  rmSync(hubDir, { recursive: true, force: true });
  const fill = await runProcess<HubFillResult>(
    './hub-fill.js',
    {
      amqpUrl: settings.amqpUrl,
      namespace: ns,
      backlogDir: backlog.sourceDir,
      events,
      window: 4000,
    } satisfies HubFillInput,
    600_000,
  );
  const hub = await startSyncService({
    role: 'hub',
    siteId: 'hub',
    dataDir: hubDir,
    amqpUrl: settings.amqpUrl,
    namespace: ns,
    logFile: join(logs, 'hub-ingest.log'),
    readyTimeoutMs: 60_000,
    env: settings.hubEnv,
  });
  const db = openReadOnly(hubDir);
  const stored = () => (db.prepare('SELECT max(seq) AS n FROM events').get() as { n: number | null }).n ?? 0;
  const from = Math.round(events * 0.1);
  const to = Math.round(events * 0.9);
  let t0: number | null = null;
  let t1: number | null = null;
  let before = null;
  const deadline = performance.now() + settings.drainTimeoutS * 1000;
  while (t1 === null && performance.now() < deadline) {
    const n = stored();
    if (t0 === null && n >= from) {
      t0 = performance.now();
      before = sample(hub.pid);
    }
    if (t0 !== null && n >= to) t1 = performance.now();
    await sleep(100);
  }
  const machine = cpuShare(before, sample(hub.pid));
  db.close();
  await hub.stop();
  await deleteSyncNamespace(settings.amqpUrl, ns, []);
  rmSync(hubDir, { recursive: true, force: true });
  if (t0 === null || t1 === null) throw new Error('the hub did not store the measured events in time');
  const rate = (to - from) / ((t1 - t0) / 1000);
  return {
    rows: [
      {
        metric: 'hub: events stored per second from the broker, one hub process',
        value: rate,
        unit: 'events/s',
        ratio: rate / fill.messagesPerS,
        baseline: 'raw confirm publish of the same messages',
        goal: '≥ 10,000 events/s',
      },
      ...(machine === null
        ? []
        : [{ metric: 'hub CPU per stored event', value: (machine.serverCores / rate) * 1e6, unit: 'µs' }]),
    ],
    notes: {
      fill,
      hubReadyMs: hub.readyMs,
      measuredEvents: to - from,
      hubEnv: settings.hubEnv,
      hubCores: machine?.serverCores ?? null,
      machineBusyCores: machine?.busyCores ?? null,
    },
  };
}

async function relaySection(ceiling: number | null): Promise<{ rows: BenchRow[]; notes: object }> {
  const backlog = await backlogStore(settings.dir, settings.backlog, settings.freshStore);
  const ns = namespace('relay');
  const dataDir = copyBacklog(backlog, join(settings.dir, 'run-relay'));
  const site = await startSyncService({
    role: 'site',
    siteId: BACKLOG_SITE,
    dataDir,
    amqpUrl: settings.amqpUrl,
    namespace: ns,
    logFile: join(logs, 'relay-site.log'),
    readyTimeoutMs: 600_000,
  });
  const db = openReadOnly(dataDir);
  // The rate between 5% and 5% + relayEvents confirmed: past the connection set-up, before the end.
  const startAt = settings.backlog - Math.round(settings.backlog * 0.05);
  const endAt = startAt - settings.relayEvents;
  let t0: number | null = null;
  let t1: number | null = null;
  let before = null;
  const deadline = performance.now() + settings.drainTimeoutS * 1000;
  while (t1 === null && performance.now() < deadline) {
    const unsent = unsentBacklog(db, settings.backlog);
    if (t0 === null && unsent <= startAt) {
      t0 = performance.now();
      before = sample(site.pid);
    }
    if (t0 !== null && unsent <= endAt) t1 = performance.now();
    // Counting unsent rows walks the outbox index: poll gently, the harness shares the cores.
    await sleep(250);
  }
  const machine = cpuShare(before, sample(site.pid));
  db.close();
  await site.kill();
  await deleteSyncNamespace(settings.amqpUrl, ns, [BACKLOG_SITE]);
  rmSync(dataDir, { recursive: true, force: true });
  if (t0 === null || t1 === null) throw new Error('the relay did not publish the measured events in time');
  const rate = settings.relayEvents / ((t1 - t0) / 1000);
  return {
    rows: [
      {
        metric: 'relay: outbox → broker, confirmed (batch 500, window 8)',
        value: rate,
        unit: 'events/s',
        ...(ceiling === null
          ? {}
          : { ratio: rate / ceiling, baseline: 'raw confirm', goal: '≥ 0.70× raw confirm' }),
      },
    ],
    notes: {
      siteReadyMs: site.readyMs,
      measuredEvents: settings.relayEvents,
      siteCores: machine?.serverCores ?? null,
      machineBusyCores: machine?.busyCores ?? null,
    },
  };
}

/** Polls the hub's events table and records, for every new row, now − its origin record time. */
class HubWatch {
  private lastSeq = 0;
  readonly lags: number[] = [];
  rows = 0;
  private readonly next;
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly db: ReturnType<typeof openReadOnly>,
    private readonly recordFrom: () => boolean,
  ) {
    this.next = db.prepare('SELECT seq, record_time_ms FROM events WHERE seq > ? ORDER BY seq LIMIT 20000');
  }
  start(everyMs: number): void {
    this.timer = setInterval(() => this.poll(), everyMs);
  }
  poll(): void {
    const now = Date.now();
    const rows = this.next.all(this.lastSeq) as { seq: number; record_time_ms: number }[];
    const recording = this.recordFrom();
    for (const row of rows) {
      if (recording) this.lags.push(now - row.record_time_ms);
      this.lastSeq = row.seq;
    }
    this.rows += rows.length;
  }
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }
}

async function lagSection(): Promise<{ rows: BenchRow[]; notes: object }> {
  const ns = namespace('lag');
  const hubDir = join(settings.dir, 'run-lag-hub');
  const siteDir = join(settings.dir, 'run-lag-site');
  for (const dir of [hubDir, siteDir]) rmSync(dir, { recursive: true, force: true });
  const common = { amqpUrl: settings.amqpUrl, namespace: ns, readyTimeoutMs: 60_000 };
  const hub = await startSyncService({
    ...common,
    role: 'hub',
    siteId: 'hub',
    dataDir: hubDir,
    logFile: join(logs, 'lag-hub.log'),
  });
  const site = await startSyncService({
    ...common,
    role: 'site',
    siteId: 'lag-site',
    dataDir: siteDir,
    logFile: join(logs, 'lag-site.log'),
  });
  await sleep(1000);
  const warmupS = 3;
  const startedAt = Date.now();
  const watch = new HubWatch(openReadOnly(hubDir), () => Date.now() > startedAt + warmupS * 1000);
  watch.start(5);
  const input: OpenLoopInput = {
    origin: site.origin,
    stream: { kind: 'single-event', first: 50_000_000 },
    ratePerS: settings.lagRate,
    durationS: settings.lagSeconds,
    warmupS,
    expectStatus: 201,
    timeoutMs: 10_000,
  };
  const before = sample(null);
  const load = await runProcess<OpenLoopResult>('../service/load/open-loop.js', input, 600_000);
  const machine = cpuShare(before, sample(null));
  const expected = Math.round((warmupS + settings.lagSeconds) * settings.lagRate);
  const deadline = Date.now() + 60_000;
  while (watch.rows < load.expected && Date.now() < deadline) await sleep(50);
  watch.stop();
  await site.stop();
  await hub.stop();
  await deleteSyncNamespace(settings.amqpUrl, ns, ['lag-site']);
  for (const dir of [hubDir, siteDir]) rmSync(dir, { recursive: true, force: true });
  const p50 = percentile(watch.lags, 50);
  const p99 = percentile(watch.lags, 99);
  return {
    rows: [
      { metric: `end-to-end lag site → hub at ${settings.lagRate} events/s, P50`, value: p50, unit: 'ms' },
      {
        metric: `end-to-end lag site → hub at ${settings.lagRate} events/s, P99`,
        value: p99,
        unit: 'ms',
        goal: '≤ 100 ms',
      },
      // The lag runs from the site's record time (its commit), so a site that cannot keep up with
      // the rate hides its queue from the figure above: these say whether it kept up.
      {
        metric: `lag run: the site's POST /events answered per second (asked ${settings.lagRate})`,
        value: load.achievedRps,
        unit: 'req/s',
      },
      {
        metric: "lag run: the site's POST /events P50 meanwhile (from due time)",
        value: load.p50Ms,
        unit: 'ms',
      },
      {
        metric: "lag run: the site's POST /events that failed or timed out (10 s)",
        value: load.errors,
        unit: `of ${load.sent}`,
      },
    ],
    notes: {
      sent: expected,
      capture: load,
      hubRows: watch.rows,
      measuredLags: watch.lags.length,
      maxLagMs: percentile(watch.lags, 100),
      machineBusyCores: machine?.busyCores ?? null,
    },
  };
}

async function drainSection(): Promise<{ rows: BenchRow[]; notes: object }> {
  const backlog = await backlogStore(settings.dir, settings.backlog, settings.freshStore);
  const ns = namespace('drain');
  const hubDir = join(settings.dir, 'run-drain-hub');
  rmSync(hubDir, { recursive: true, force: true });
  const siteDir = copyBacklog(backlog, join(settings.dir, 'run-drain-site'));
  const common = { amqpUrl: settings.amqpUrl, namespace: ns };
  const hub = await startSyncService({
    ...common,
    role: 'hub',
    siteId: 'hub',
    dataDir: hubDir,
    logFile: join(logs, 'drain-hub.log'),
    readyTimeoutMs: 60_000,
  });
  // The outage ends when the site comes back: its state rebuild over the backlog comes first.
  const site = await startSyncService({
    ...common,
    role: 'site',
    siteId: BACKLOG_SITE,
    dataDir: siteDir,
    logFile: join(logs, 'drain-site.log'),
    readyTimeoutMs: 600_000,
  });
  const t0 = performance.now();
  const siteDb = openReadOnly(siteDir);
  const hubDb = openReadOnly(hubDir);
  // The site keeps capturing while it drains (open loop, single events).
  const capture = runProcess<OpenLoopResult>(
    '../service/load/open-loop.js',
    {
      origin: site.origin,
      stream: { kind: 'single-event', first: 60_000_000 },
      ratePerS: settings.drainCaptureRate,
      durationS: 60,
      warmupS: 0,
      expectStatus: 201,
      timeoutMs: 10_000,
    } satisfies OpenLoopInput,
    600_000,
  );
  let drainedS: number | null = null;
  const progress: [number, number][] = [];
  while (drainedS === null && performance.now() - t0 < settings.drainTimeoutS * 1000) {
    const unsent = unsentBacklog(siteDb, settings.backlog);
    progress.push([Math.round(performance.now() - t0), unsent]);
    if (unsent === 0) drainedS = (performance.now() - t0) / 1000;
    else await sleep(1000);
  }
  let hubCaughtUpS: number | null = null;
  const hubCount = () =>
    (hubDb.prepare('SELECT max(seq) AS n FROM events').get() as { n: number | null }).n ?? 0;
  while (
    hubCaughtUpS === null &&
    performance.now() - t0 < (settings.drainTimeoutS + settings.hubWaitS) * 1000
  ) {
    if (hubCount() >= settings.backlog) hubCaughtUpS = (performance.now() - t0) / 1000;
    else await sleep(1000);
  }
  const hubHeld = hubCount();
  const hubElapsedS = (performance.now() - t0) / 1000;
  const captured = await capture;
  siteDb.close();
  hubDb.close();
  await site.kill();
  await hub.kill();
  await deleteSyncNamespace(settings.amqpUrl, ns, [BACKLOG_SITE]);
  rmSync(siteDir, { recursive: true, force: true });
  rmSync(hubDir, { recursive: true, force: true });
  // The drain rate over the measured window; when the backlog did not drain within the bound, the
  // time it would take at that rate is reported and marked as a projection.
  const last = progress[progress.length - 1]!;
  const firstMoving = progress.find(([, unsent]) => unsent < settings.backlog) ?? progress[0]!;
  const drainRate = (firstMoving[1] - last[1]) / Math.max(0.001, (last[0] - firstMoving[0]) / 1000);
  const rows: BenchRow[] = [
    {
      metric: `drain of a ${settings.backlog.toLocaleString('en-US')}-event outbox while capturing ${settings.drainCaptureRate}/s${drainedS === null ? ` (projected: ${last[1].toLocaleString('en-US')} left after ${settings.drainTimeoutS} s)` : ''}`,
      value: drainedS ?? settings.backlog / drainRate,
      unit: 's',
      goal: '≤ 120 s',
    },
    { metric: 'relay drain rate while capturing and the hub consuming', value: drainRate, unit: 'events/s' },
    ...(hubCaughtUpS === null
      ? []
      : [
          {
            metric: 'hub: the whole backlog stored (from the site’s return)',
            value: hubCaughtUpS,
            unit: 's',
          },
        ]),
    {
      metric: 'hub ingest while catching up',
      value: hubHeld / (hubCaughtUpS ?? hubElapsedS),
      unit: 'events/s',
    },
  ];
  return {
    rows,
    notes: {
      backlog: {
        events: backlog.events,
        databaseBytes: backlog.databaseBytes,
        buildSeconds: backlog.buildSeconds,
      },
      siteReadyMs: site.readyMs,
      hubHeldAtEnd: hubHeld,
      captureDuringDrain: captured,
      progress: progress.filter((_, i) => i % 8 === 0),
    },
  };
}

console.error(`bench:sync settings ${JSON.stringify(settings)}`);
const started = performance.now();
const rows: BenchRow[] = [];
const notes: Record<string, unknown> = { settings };
let ceiling: number | null = null;
for (const section of settings.sections) {
  const sectionStarted = performance.now();
  console.error(`bench:sync ${section}…`);
  const result =
    section === 'raw'
      ? await rawSection().then((r) => {
          ceiling = r.ceiling;
          return r;
        })
      : section === 'hub'
        ? await hubSection()
        : section === 'relay'
          ? await relaySection(ceiling)
          : section === 'lag'
            ? await lagSection()
            : await drainSection();
  rows.push(...result.rows);
  notes[section] = { ...result.notes, seconds: (performance.now() - sectionStarted) / 1000 };
}
notes['totalSeconds'] = (performance.now() - started) / 1000;
notes['method'] = [
  'One RabbitMQ 3 node on 127.0.0.1; quorum queues as the service declares them; persistent messages, publisher confirms.',
  'Site, hub, broker, load generator and this harness share the machine’s cores.',
  'raw: bare amqplib, the relay’s own encoded messages, sliding window of unconfirmed publishes; best window is the ceiling.',
  'relay: events confirmed per second from the site’s SQLite outbox (sent_ms set only after the confirm).',
  'hub: the hub queue filled first (bare amqplib, timed: the baseline), then one hub started on it; rate between 10% and 90% stored.',
  'lag: hub row visible (read-only SQLite poll every 5 ms) minus the origin record time stamped at the site’s capture.',
];
report('sync', rows, notes);
