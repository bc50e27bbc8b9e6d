// GET /events/stream against the service as a real process: SIGTERM ends open streams, so graceful
// shutdown is not held open by them, and a client that reconnects to the restarted service with its
// Last-Event-ID receives exactly the events it had not seen, including those captured meanwhile.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin, type EpcisEvent } from '../../helpers/epcis-builders.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';
import { SseClient } from '../../helpers/sse-client.js';

const SHUTDOWN_LIMIT_MS = 10_000;

let serial = 0;
const start = Date.UTC(2026, 10, 26, 6, 0, 0);

function events(count: number): EpcisEvent[] {
  return Array.from({ length: count }, () => {
    serial++;
    return objectEvent(new Date(start + serial * 1000).toISOString(), 'OBSERVE', [sgtin(`live${serial}`)]);
  });
}

async function capture(base: string, list: EpcisEvent[]): Promise<void> {
  const response = await fetch(`${base}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify(epcisDocument(list)),
  });
  expect(response.status).toBe(202);
}

describe('GET /events/stream in the running service', () => {
  let tmp: TempDir;
  const services = new ServiceGroup();

  beforeAll(() => assertServiceBuilt());
  beforeEach(() => {
    tmp = tempDataDir('edgetrace-live-');
  });
  afterEach(async () => {
    await services.killAll();
    tmp.remove();
  });

  it('ends open streams on SIGTERM and exits 0 within the shutdown timeout', async () => {
    const service = await services.start({ dataDir: tmp.dir });
    const clients = await Promise.all([1, 2, 3].map(() => SseClient.open(service.url('/events/stream'))));
    await capture(service.baseUrl, events(2));
    for (const client of clients) await client.waitForEvents(2);
    const stopped = Date.now();
    const exit = await service.stop(SHUTDOWN_LIMIT_MS + 5000);
    expect(exit.code).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(SHUTDOWN_LIMIT_MS);
    await Promise.all(clients.map((c) => c.ended));
    expect(service.logLines().some((line) => line.msg === 'shutdown took too long; exiting')).toBe(false);
  });

  it('resumes after a restart from Last-Event-ID with every missed event exactly once', async () => {
    const first = await services.start({ dataDir: tmp.dir });
    const watcher = await SseClient.open(first.url('/events/stream'));
    await capture(first.baseUrl, events(3));
    await watcher.waitForEvents(3);
    await first.stop();
    await watcher.ended;

    const second = await services.start({ dataDir: tmp.dir });
    // Captured after the restart, before the client is back.
    await capture(second.baseUrl, events(2));
    const resumed = await SseClient.open(second.url('/events/stream'), {
      'last-event-id': watcher.lastEventId!,
    });
    await capture(second.baseUrl, events(1));
    await resumed.waitForEvents(3);
    await new Promise((r) => setTimeout(r, 100));
    resumed.close();

    const all = await fetch(`${second.baseUrl}/events?perPage=100`).then(
      (r) =>
        r.json() as Promise<{
          epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } };
        }>,
    );
    const stored = all.epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID);
    const seen = [...watcher.events, ...resumed.events].map(
      (e) => (JSON.parse(e.data) as { eventID: string }).eventID,
    );
    expect(seen).toEqual(stored);
    expect(stored).toHaveLength(6);
  });
});
