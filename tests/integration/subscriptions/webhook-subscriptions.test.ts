// Webhook subscriptions against a real receiver on loopback that refuses, times out and recovers:
// every matching event arrives exactly once and in capture order, signed with GS1-Signature; the
// stored position moves only after a 2xx; a subscription survives a restart of the service.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyGs1Signature } from '../../../host/queries/gs1-signature.js';
import { epcisDocument, type EpcisEvent, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { freePort } from '../../helpers/free-port.js';
import { buildServiceApp, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { waitFor, WebhookReceiver } from './support/webhook-receiver.js';

const TOKEN = 'receiver-shared-secret-7f3a';
// Short timeout and backoff ceiling keep the outage scenarios to seconds. The receiver listens on
// loopback, which webhooks reach only when the site allow-lists it.
const FAST_RETRIES = {
  webhookTimeoutMs: 300,
  webhookRetryMaxMs: 1000,
  webhookAllowedDestinations: ['127.0.0.1'],
};

let receiver: WebhookReceiver;
let dataDir: string;
const services: ServiceApp[] = [];

beforeEach(async () => {
  receiver = await WebhookReceiver.start();
  dataDir = mkdtempSync(join(tmpdir(), 'edgetrace-webhooks-'));
});
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startService(
  webhookAllowedDestinations = FAST_RETRIES.webhookAllowedDestinations,
  liveBatchBytes?: number,
): Promise<ServiceApp> {
  const service = await buildServiceApp({
    config: {
      ...FAST_RETRIES,
      webhookAllowedDestinations,
      databaseFile: join(dataDir, 'edgetrace.db'),
      ...(liveBatchBytes === undefined ? {} : { liveBatchBytes }),
    },
  });
  services.push(service);
  return service;
}

let serial = 0;
/** Captures events (shipping ones match the test query) and returns their eventIDs in order. */
async function capture(service: ServiceApp, bizSteps: string[]): Promise<string[]> {
  const events: EpcisEvent[] = bizSteps.map((bizStep) => ({
    ...objectEvent('2026-03-01T10:00:00Z', 'OBSERVE', [sgtin(++serial)], { bizStep }),
    eventID: `urn:uuid:00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
  }));
  const response = await post(service.app, '/capture', epcisDocument(events));
  expect(response.statusCode, response.body).toBe(202);
  return events.filter((e) => e['bizStep'] === 'shipping').map((e) => String(e['eventID']));
}

async function defineShippingQuery(service: ServiceApp, name: string): Promise<void> {
  const response = await post(service.app, '/queries', { name, query: { EQ_bizStep: ['shipping'] } });
  expect(response.statusCode, response.body).toBe(201);
}

async function subscribe(service: ServiceApp, name: string, body: Record<string, unknown>): Promise<string> {
  const response = await post(service.app, `/queries/${name}/subscriptions`, {
    dest: receiver.url,
    signatureToken: TOKEN,
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  const id = response.json<{ subscriptionID: string }>().subscriptionID;
  expect(response.headers['location']).toBe(`/queries/${name}/subscriptions/${id}`);
  return id;
}

const storedPosition = (service: ServiceApp, id: string): number =>
  service.db
    .prepare<[string], { delivered_seq: number }>(
      'SELECT delivered_seq FROM subscriptions WHERE subscription_id = ?',
    )
    .get(id)!.delivered_seq;

const storedLastError = (service: ServiceApp, id: string): string | null =>
  service.db
    .prepare<[string], { last_error: string | null }>(
      'SELECT last_error FROM subscriptions WHERE subscription_id = ?',
    )
    .get(id)!.last_error;

describe('stream webhook subscription', () => {
  it('delivers every matching event once, in order, through refusals and timeouts', async () => {
    const service = await startService();
    await defineShippingQuery(service, 'shipments');
    receiver.mode = 'fail';
    const id = await subscribe(service, 'shipments', { stream: true });
    const positionBefore = storedPosition(service, id);

    const expected = await capture(service, ['shipping', 'receiving', 'shipping', 'shipping']);
    await waitFor('two refused attempts', () => receiver.attemptsIn('fail') >= 2);
    expect(storedPosition(service, id)).toBe(positionBefore);
    const failing = (await get(service.app, `/queries/shipments/subscriptions/${id}`)).json<
      Record<string, unknown>
    >();
    expect(failing['failedAttempts']).toBeGreaterThanOrEqual(1);
    expect(failing['lastError']).toBe('HTTP 500');

    receiver.mode = 'hang';
    await waitFor('two timed-out attempts', () => receiver.attemptsIn('hang') >= 2);
    expect(storedPosition(service, id)).toBe(positionBefore);
    expect(receiver.received).toEqual([]);

    receiver.mode = 'ok';
    await waitFor('the backlog', () => receiver.eventIds().length >= expected.length);
    expected.push(...(await capture(service, ['shipping', 'destroying', 'shipping'])));
    await waitFor('the new events', () => receiver.eventIds().length >= expected.length);

    expect(receiver.eventIds()).toEqual(expected);
    for (const delivery of receiver.received) {
      expect(verifyGs1Signature(delivery.body, TOKEN, delivery.signature)).toBe(true);
      expect(delivery.document.epcisBody.queryResults).toMatchObject({
        queryName: 'shipments',
        subscriptionID: id,
      });
    }
    expect(storedPosition(service, id)).toBeGreaterThan(positionBefore);
    const metrics = (await get(service.app, '/metrics')).body;
    expect(metrics).toMatch(/edgetrace_webhook_deliveries_total\{outcome="failure"\} [1-9]/);
    expect(metrics).toMatch(/edgetrace_webhook_retries_total [1-9]/);
  });

  it('resumes after a restart from the stored position, without repeating or skipping events', async () => {
    const first = await startService();
    await defineShippingQuery(first, 'restartable');
    const id = await subscribe(first, 'restartable', { stream: true });
    const expected = await capture(first, ['shipping', 'shipping']);
    await waitFor('the first events', () => receiver.eventIds().length >= 2);
    receiver.mode = 'fail';
    expected.push(...(await capture(first, ['shipping', 'receiving', 'shipping'])));
    await waitFor('a refused attempt', () => receiver.attemptsIn('fail') >= 1);
    await first.close();
    services.splice(services.indexOf(first), 1);

    receiver.mode = 'ok';
    const second = await startService();
    await waitFor('the events held back by the outage', () => receiver.eventIds().length >= expected.length);
    expected.push(...(await capture(second, ['shipping'])));
    await waitFor('an event captured after the restart', () => receiver.eventIds().length >= expected.length);

    expect(receiver.eventIds()).toEqual(expected);
    expect((await get(second.app, `/queries/restartable/subscriptions/${id}`)).statusCode).toBe(200);
  });

  it('starts at initialRecordTime: earlier events are not sent, later stored ones are', async () => {
    const service = await startService();
    await defineShippingQuery(service, 'fromNow');
    await capture(service, ['shipping']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const expected = await capture(service, ['shipping', 'shipping']);

    await subscribe(service, 'fromNow', { stream: true, initialRecordTime: since });
    await waitFor('the events recorded since initialRecordTime', () => receiver.eventIds().length >= 2);
    expected.push(...(await capture(service, ['shipping'])));
    await waitFor('the new event', () => receiver.eventIds().length >= expected.length);

    expect(receiver.eventIds()).toEqual(expected);
  });

  it('catches up a backlog in deliveries bounded by LIVE_BATCH_BYTES, each event once, in order', async () => {
    // About 700 bytes per stored event: a 2 KiB bound allows a few events per delivery, where the
    // 1,000-event limit alone would send the whole backlog in one.
    const service = await startService(FAST_RETRIES.webhookAllowedDestinations, 2048);
    await defineShippingQuery(service, 'backlog');
    const since = new Date(Date.now() - 60_000).toISOString();
    const expected = await capture(service, Array<string>(30).fill('shipping'));

    await subscribe(service, 'backlog', { stream: true, initialRecordTime: since });
    await waitFor('the whole backlog', () => receiver.eventIds().length >= expected.length);

    expect(receiver.eventIds()).toEqual(expected);
    const sizes = receiver.received.map(
      (d) => d.document.epcisBody.queryResults.resultsBody.eventList.length,
    );
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThan(expected.length / 3);
  });
});

describe('scheduled webhook subscription', () => {
  it('reports every second, empty when nothing is new (reportIfEmpty), each event once', async () => {
    const service = await startService();
    await defineShippingQuery(service, 'everySecond');
    await subscribe(service, 'everySecond', { schedule: { second: '*' }, reportIfEmpty: true });
    await waitFor('two empty reports', () => receiver.received.length >= 2);
    expect(receiver.eventIds()).toEqual([]);

    const expected = await capture(service, ['shipping', 'receiving', 'shipping']);
    await waitFor('the report with the new events', () => receiver.eventIds().length >= 2);
    const reportsAfter = receiver.received.length;
    await waitFor('two more reports', () => receiver.received.length >= reportsAfter + 2);

    expect(receiver.eventIds()).toEqual(expected);
  });
});

describe('ending subscriptions', () => {
  it('DELETE /queries/{name} ends its webhook subscriptions', async () => {
    const service = await startService();
    await defineShippingQuery(service, 'doomed');
    const id = await subscribe(service, 'doomed', { stream: true });
    await capture(service, ['shipping']);
    await waitFor('the first delivery', () => receiver.received.length >= 1);

    expect((await service.app.inject({ method: 'DELETE', url: '/queries/doomed' })).statusCode).toBe(204);
    expect((await get(service.app, `/queries/doomed/subscriptions/${id}`)).statusCode).toBe(404);
    await capture(service, ['shipping']);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(receiver.received.length).toBe(1);
  });

  it('DELETE of one subscription stops its deliveries and answers 404 after', async () => {
    const service = await startService();
    await defineShippingQuery(service, 'unsubscribed');
    const id = await subscribe(service, 'unsubscribed', { stream: true });
    const url = `/queries/unsubscribed/subscriptions/${id}`;

    expect((await service.app.inject({ method: 'DELETE', url })).statusCode).toBe(204);
    expect((await service.app.inject({ method: 'DELETE', url })).statusCode).toBe(404);
    await capture(service, ['shipping']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.attempts).toEqual([]);
  });
});

describe('webhook destinations', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/hook',
    'http://[fd00::1]/hook',
    'http://0x7f.1/hook',
    'http://localhost/hook',
  ])('refuses %s at POST …/subscriptions with 400 naming dest, and stores nothing', async (dest) => {
    const service = await startService([]);
    await defineShippingQuery(service, 'guarded');

    const response = await post(service.app, '/queries/guarded/subscriptions', { dest, stream: true });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      field: 'dest',
      detail: expect.stringMatching(/refused by policy/),
    });
    expect((await get(service.app, '/queries/guarded/subscriptions')).json()).toEqual([]);
  });

  it('refuses the loopback receiver when the allow-list does not name it', async () => {
    const service = await startService(['10.0.0.0/8']);
    await defineShippingQuery(service, 'unlisted');

    const response = await post(service.app, '/queries/unlisted/subscriptions', {
      dest: receiver.url,
      stream: true,
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'dest' });
  });

  it('tells a failing subscription\'s lastError as "unreachable", not the address or the network error', async () => {
    const service = await startService();
    await defineShippingQuery(service, 'closedPort');
    const created = await post(service.app, '/queries/closedPort/subscriptions', {
      dest: `http://127.0.0.1:${await freePort()}/hook`,
      stream: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ subscriptionID: string }>().subscriptionID;

    await capture(service, ['shipping']);
    await waitFor('a failed attempt', () => storedLastError(service, id) !== null);

    const shown = await get(service.app, `/queries/closedPort/subscriptions/${id}`);
    expect(shown.json()).toMatchObject({ lastError: 'unreachable' });
  });
});
