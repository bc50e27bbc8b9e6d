// While another connection holds SQLite's write lock — the ingest worker writing a large document,
// modelled here by the very runExclusive() call the ingest pipeline makes, around a BEGIN IMMEDIATE
// on a second connection — every write the main thread makes must wait as a promise, not inside
// SQLite on busy_timeout (5 s): the event loop keeps turning, nothing is answered as stored before
// it is, and each write lands once the lock is released.
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptureService } from '../../../host/capture/capture-service.js';
import type { GroupCommitter } from '../../../host/store/group-committer.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, post, type ServiceApp } from '../../helpers/service-app.js';
import { type IngestFixture, ingestFixture } from '../../unit/ingest/helpers/ingest-fixtures.js';
import { waitFor, WebhookReceiver } from '../subscriptions/support/webhook-receiver.js';

// A blocked write freezes the loop for busy_timeout (5000 ms); an unblocked one leaves timer jitter.
const LOOP_BLOCK_LIMIT_MS = 100;

let service: ServiceApp | null = null;
let fixture: IngestFixture | null = null;
const receivers: WebhookReceiver[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await service?.close();
  await fixture?.close();
  service = null;
  fixture = null;
  for (const receiver of receivers.splice(0)) await receiver.close();
});

/** The longest the event loop went without running a 5 ms interval timer, beyond those 5 ms. */
function loopLagProbe(): { maxLagMs: () => number } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 5);
    last = now;
  }, 5);
  cleanups.push(() => clearInterval(timer));
  return { maxLagMs: () => max };
}

/** Holds SQLite's write lock from a second connection, as the ingest worker does, until released. */
async function holdWriteLock(
  committer: GroupCommitter,
  databaseFile: string,
): Promise<{ release: () => Promise<void> }> {
  const other = new Database(databaseFile);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  // A test that failed while holding still lets the service close.
  cleanups.push(() => release());
  let holding = () => {};
  const held = new Promise<void>((resolve) => (holding = resolve));
  const done = committer.runExclusive(async () => {
    other.exec('BEGIN IMMEDIATE');
    holding();
    await released;
    other.exec('COMMIT');
    other.close();
    return { value: undefined, info: { requests: 1, events: 0, durationMs: 0 } };
  });
  await held;
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

/** A request's promise, and whether it has been answered yet. */
function track(request: Promise<LightMyRequestResponse>): {
  response: Promise<LightMyRequestResponse>;
  answered: () => boolean;
} {
  let answered = false;
  const response = request.finally(() => (answered = true));
  return { response, answered: () => answered };
}

const del = (app: ServiceApp, url: string) => app.app.inject({ method: 'DELETE', url });
const count = (app: ServiceApp, sql: string, ...args: string[]): number =>
  app.db.prepare<string[], { n: number }>(`SELECT count(*) AS n FROM ${sql}`).get(...args)!.n;
const position = (app: ServiceApp, id: string): number =>
  app.db
    .prepare<[string], { delivered_seq: number }>(
      'SELECT delivered_seq FROM subscriptions WHERE subscription_id = ?',
    )
    .get(id)!.delivered_seq;

async function subscribe(app: ServiceApp, name: string, dest: string): Promise<string> {
  const response = await post(app.app, `/queries/${name}/subscriptions`, { dest, stream: true });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ subscriptionID: string }>().subscriptionID;
}

async function defineQuery(app: ServiceApp, name: string, bizStep: string): Promise<void> {
  const response = await post(app.app, '/queries', { name, query: { EQ_bizStep: [bizStep] } });
  expect(response.statusCode, response.body).toBe(201);
}

const shipped = (n: number) =>
  epcisDocument([
    {
      ...objectEvent('2026-03-01T10:00:00Z', 'OBSERVE', [sgtin(n)], { bizStep: 'shipping' }),
      eventID: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    },
  ]);

describe('main-thread writes while the ingest worker holds the write lock', () => {
  it('keeps the event loop turning through named-query, subscription and webhook writes, and stores each once the lock is released', async () => {
    const [receiver, failing] = [await WebhookReceiver.start(), await WebhookReceiver.start()];
    receivers.push(receiver, failing);
    const app = (service = await buildServiceApp({
      onDisk: true,
      config: { webhookTimeoutMs: 300, webhookRetryMaxMs: 1000, webhookAllowedDestinations: ['127.0.0.1'] },
    }));
    await defineQuery(app, 'shipments', 'shipping');
    await defineQuery(app, 'arrivals', 'receiving');
    await defineQuery(app, 'doomed', 'receiving');
    const delivering = await subscribe(app, 'shipments', receiver.url);
    await subscribe(app, 'shipments', failing.url);
    const leaving = await subscribe(app, 'arrivals', receiver.url);
    receiver.mode = 'fail';
    failing.mode = 'fail';
    expect((await post(app.app, '/capture', shipped(1))).statusCode).toBe(202);
    // Recorded, so both runners sleep in their backoff when the hold begins.
    await waitFor(
      'refused deliveries recorded',
      () => count(app, 'subscriptions WHERE failed_attempts > 0') === 2,
    );
    const before = position(app, delivering);

    const probe = loopLagProbe();
    const lock = await holdWriteLock(app.committer, app.config.databaseFile);
    const writes = [
      track(post(app.app, '/queries', { name: 'added', query: { EQ_bizStep: ['shipping'] } })),
      track(post(app.app, '/queries/arrivals/subscriptions', { dest: receiver.url, stream: true })),
      track(del(app, `/queries/arrivals/subscriptions/${leaving}`)),
      track(del(app, '/queries/doomed')),
    ];
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(probe.maxLagMs(), 'the requests blocked the event loop').toBeLessThan(LOOP_BLOCK_LIMIT_MS);
    // The retries in the hold: one acknowledged (the position moves), one refused (its failure is recorded).
    receiver.mode = 'ok';
    const refusals = failing.attemptsIn('fail');
    await waitFor('a delivery during the hold', () => receiver.received.length >= 1);
    await waitFor('a refusal during the hold', () => failing.attemptsIn('fail') > refusals);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(probe.maxLagMs()).toBeLessThan(LOOP_BLOCK_LIMIT_MS);
    expect(writes.map((w) => w.answered())).toEqual([false, false, false, false]);
    expect(position(app, delivering)).toBe(before);
    expect(count(app, "named_queries WHERE name = 'added'")).toBe(0);

    await lock.release();
    const statuses = (await Promise.all(writes.map((w) => w.response))).map((r) => r.statusCode);
    expect(statuses).toEqual([201, 201, 204, 204]);
    expect(count(app, "named_queries WHERE name IN ('added', 'doomed')")).toBe(1);
    expect(count(app, 'subscriptions WHERE subscription_id = ?', leaving)).toBe(0);
    expect(count(app, "subscriptions WHERE query_name = 'arrivals'")).toBe(1);
    await waitFor('the acknowledged position stored', () => position(app, delivering) > before);
    expect(probe.maxLagMs()).toBeLessThan(LOOP_BLOCK_LIMIT_MS);
  });

  it('answers 404 to a subscription whose named query was deleted while both waited for the lock', async () => {
    const app = (service = await buildServiceApp({
      onDisk: true,
      config: { webhookAllowedDestinations: ['127.0.0.1'] },
    }));
    await defineQuery(app, 'brief', 'shipping');
    const lock = await holdWriteLock(app.committer, app.config.databaseFile);
    const dropping = del(app, '/queries/brief');
    // The query still exists when the subscription is checked; its delete is queued first.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const subscribing = post(app.app, '/queries/brief/subscriptions', {
      dest: 'http://127.0.0.1:9/epcis-callback',
      stream: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await lock.release();

    expect((await dropping).statusCode).toBe(204);
    const refused = await subscribing;
    expect(refused.statusCode, refused.body).toBe(404);
    expect(refused.json()).toMatchObject({ type: 'epcisException:NoSuchNameException' });
    expect(count(app, 'subscriptions')).toBe(0);
  });

  it('records a failed capture job without blocking the event loop when the next large capture holds the lock', async () => {
    // Every capture goes to the ingest worker (built in dist/), as large ones do.
    const f = (fixture = await ingestFixture({ workerMinBytes: 1 }));
    const capture = new CaptureService({
      ingest: f.ingest,
      jobs: f.jobs,
      writes: f.committer,
      metrics: f.metrics,
      siteId: 'here',
    });
    const body = () => Buffer.from(JSON.stringify(shipped(7)));
    expect(await capture.captureDocument(body(), 'rollback')).toMatchObject({ kind: 'job' });
    const exclusive = vi.spyOn(f.committer, 'runExclusive');

    const probe = loopLagProbe();
    const first = await holdWriteLock(f.committer, f.databaseFile);
    // The same document again (rollback): the worker's write fails on the duplicate, and the job
    // that says so is written on this thread, while the next writer already holds the lock.
    let answered = false;
    const duplicate = capture.captureDocument(body(), 'rollback').finally(() => (answered = true));
    await waitFor('the duplicate waiting for the lock', () => exclusive.mock.calls.length >= 2);
    const nextHold = holdWriteLock(f.committer, f.databaseFile);
    await first.release();
    const next = await nextHold;
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(probe.maxLagMs()).toBeLessThan(LOOP_BLOCK_LIMIT_MS);
    expect(answered).toBe(false);

    await next.release();
    const outcome = await duplicate;
    expect(outcome).toMatchObject({ kind: 'job', job: { job: { running: false, success: false } } });
    expect(f.count('capture_jobs')).toBe(2);
    expect(probe.maxLagMs()).toBeLessThan(LOOP_BLOCK_LIMIT_MS);
  });
});
