// Offline autonomy and addressing: a site whose broker is unreachable (or with sync off) captures,
// answers queries and stays ready while its outbox grows; an event destined to another site waits
// in that site's queue while it is offline and is applied when it starts; credentials stay out of
// logs and reports.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { syncNames } from '../../../host/sync/topology.js';
import { BROKER_URL, eventually, uniqueNamespace } from '../../helpers/rabbitmq.js';
import { buildServiceApp, eventList, get, type ServiceApp } from '../../helpers/service-app.js';
import { brokerSuite } from './support/broker-suite.js';
import { startSyncApp } from './support/sync-app.js';
import { captureEvents, eventIdOf, glnOf, observedEvent } from './support/sync-events.js';

const depthOf = async (site: ServiceApp) =>
  (await get(site.app, '/health/sync')).json<{ outbox: { depth: number } }>().outbox.depth;

/** A pino logger writing every line (debug and up) into `lines`. */
function capturingLogger(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

describe('offline autonomy', () => {
  const namespace = uniqueNamespace('offline');
  const credentialsNamespace = uniqueNamespace('creds');
  const names = syncNames(namespace);
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-sync-offline-'));
  const suite = brokerSuite(
    [
      [namespace, ['site-a', 'site-b']],
      [credentialsNamespace, ['site-c', 'site-d']],
    ],
    { afterwards: () => rmSync(dir, { recursive: true, force: true }) },
  );
  const started = suite.started;

  it('keeps capturing, answering queries and ready without a broker; the outbox grows; /health/sync says offline', async () => {
    const site = await started(
      startSyncApp(namespace, { siteId: 'site-a', amqpUrl: 'amqp://guest:guest@127.0.0.1:1' }),
    );
    await captureEvents(site.app, [observedEvent('o', 1), observedEvent('o', 2)]);
    await captureEvents(site.app, [observedEvent('o', 3)]);
    expect((await get(site.app, '/ready')).statusCode).toBe(200);
    expect(eventList(await get(site.app, '/events?eventType=ObjectEvent'))).toHaveLength(3);
    expect(await depthOf(site)).toBe(3);
    const health = await eventually('the failed connection to be reported', async () => {
      const response = await get(site.app, '/health/sync');
      return response.statusCode === 503 ? response : undefined;
    });
    expect(health.json()).toMatchObject({
      status: 'offline',
      enabled: true,
      links: {
        publish: { state: 'disconnected', lastError: { message: expect.stringMatching(/ECONNREFUSED/) } },
      },
      outbox: { depth: 3 },
    });
    expect(health.json<{ outbox: { oldestAgeMs: number } }>().outbox.oldestAgeMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps events in the outbox when sync is off, and says so at /health/sync', async () => {
    const site = await started(buildServiceApp());
    await captureEvents(site.app, [observedEvent('d', 1)]);
    const health = await get(site.app, '/health/sync');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'disabled',
      enabled: false,
      siteId: 'local',
      queue: null,
      broker: null,
      outbox: { depth: 1 },
    });
    expect((await get(site.app, '/metrics')).body).toMatch(/^edgetrace_sync_outbox_depth 1$/m);
  });

  it("delivers an event destined to another site's GLN to that site's queue while it is offline, and applies it when it starts", async () => {
    const glnB = glnOf('061414100888');
    const routes = join(dir, 'site-routes.json');
    // The table names B by its bare GLN; the event names B's location as an SGLN URN.
    writeFileSync(routes, JSON.stringify({ [glnB]: 'site-b' }));
    const siteA = await started(startSyncApp(namespace, { siteId: 'site-a', siteRoutesFile: routes }));
    const shipment = observedEvent('s', 1, {
      destinationList: [{ type: 'location', destination: 'urn:epc:id:sgln:0614141.00888.0' }],
    });
    await captureEvents(siteA.app, [shipment, observedEvent('s', 2)]);
    await eventually("the shipment in site B's queue", async () =>
      (await suite.broker.depth(names.siteQueue('site-b'))) === 1 ? true : undefined,
    );
    // B is not running, nor ever was: its queue exists because A declared it from SITE_ROUTES.
    expect(await suite.broker.depth(names.siteQueue('site-a'))).toBe(0);

    const siteB = await started(startSyncApp(namespace, { siteId: 'site-b', siteRoutesFile: routes }));
    await eventually('the shipment applied at site B', async () => {
      const events = eventList(await get(siteB.app, '/events?eventType=ObjectEvent'));
      return events.length > 0 ? events : undefined;
    });
    const atB = eventList(await get(siteB.app, '/events?eventType=ObjectEvent'));
    expect(atB.map((e) => e['eventID'])).toEqual([eventIdOf('s', 1)]);
    const row = siteB.db.prepare('SELECT origin_site FROM events WHERE event_id = ?').get(eventIdOf('s', 1));
    expect(row).toEqual({ origin_site: 'site-a' });
    // Applied to B's state index too: B can track the shipped item while offline.
    const epc = (shipment['epcList'] as string[])[0]!;
    const state = await get(siteB.app, `/epcs/${encodeURIComponent(epc)}/state`);
    expect(state.statusCode).toBe(200);
    expect(state.json()).toMatchObject({ lastEvent: { eventID: eventIdOf('s', 1) } });
    await eventually("site B's queue drained", async () =>
      (await suite.broker.depth(names.siteQueue('site-b'))) === 0 ? true : undefined,
    );
  });

  it('never writes the broker password to the log or /health/sync, from AMQP_URL or a secret file', async () => {
    const secret = 'Wr0ng-Secret-42';
    const lines: string[] = [];
    const refused = await started(
      startSyncApp(
        credentialsNamespace,
        { siteId: 'site-c', amqpUrl: `amqp://guest:${secret}@127.0.0.1:5672` },
        { logger: capturingLogger(lines) },
      ),
    );
    const health = await eventually('the refused login to be reported', async () => {
      const response = await get(refused.app, '/health/sync');
      return response.json<{ links: { publish: { lastError: unknown } } }>().links.publish.lastError !== null
        ? response
        : undefined;
    });
    expect(health.body).toMatch(/ACCESS.REFUSED/);
    expect(health.json<{ broker: string }>().broker).toBe('amqp://guest:***@127.0.0.1:5672?heartbeat=5');
    await eventually('a log line about the refused connection', () =>
      lines.some((l) => l.includes('broker connection lost or refused')) ? true : undefined,
    );
    expect(health.body).not.toContain(secret);
    expect(lines.join('')).not.toContain(secret);

    const secretFile = join(dir, 'amqp-url');
    writeFileSync(secretFile, `${BROKER_URL}\n`);
    const fileLines: string[] = [];
    const fromFile = await started(
      startSyncApp(
        credentialsNamespace,
        { siteId: 'site-d', amqpUrl: null, amqpUrlFile: secretFile },
        { logger: capturingLogger(fileLines) },
      ),
    );
    await eventually('a connection with the URL from the secret file', async () =>
      (await get(fromFile.app, '/health/sync')).statusCode === 200 ? true : undefined,
    );
    expect(fileLines.join('')).toContain('connected to the broker');
    expect(fileLines.join('')).not.toContain('guest:guest');
  });
});
