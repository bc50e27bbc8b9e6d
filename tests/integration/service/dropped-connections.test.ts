// Thousands of clients that open a connection, send the head and half the body of a capture and then
// go away (some closing politely, some with a reset): the service stays up and healthy, releases
// the connections, stores nothing from the half-sent captures, and captures normally afterwards.
import type { Socket } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrackerCore } from '../../../host/core/gateway.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';
import { planCapture } from './support/capture-plan.js';
import { openSocket, postHead, write } from './support/raw-http.js';
import { getStatus, listAllEvents, metricValue, send } from './support/service-client.js';

const CONNECTIONS = 2000;
const CONCURRENCY = 200;
const DISTINCT_BODIES = 10;
const FD_SETTLE_MS = 5000;
// prom-client's process_open_fds behind the registry's edgetrace_ prefix.
const OPEN_FDS = 'edgetrace_process_open_fds';
const FD_SLACK = 20;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Ends the connection the way client `i` does: a FIN now, a FIN a little later, or a reset. */
async function drop(socket: Socket, i: number): Promise<void> {
  if (i % 3 === 1) await sleep(5);
  if (i % 3 === 2) socket.resetAndDestroy();
  else socket.destroy();
}

describe('connections dropped in the middle of a capture', () => {
  let core: TrackerCore;
  let tmp: TempDir;
  const services = new ServiceGroup();

  beforeAll(async () => {
    assertServiceBuilt();
    core = await TrackerCore.load();
  });
  beforeEach(() => {
    tmp = tempDataDir();
  });
  afterEach(async () => {
    await services.killAll();
    tmp.remove();
  });

  it(`survives ${CONNECTIONS} half-sent captures and stores none of them`, async () => {
    const service = await services.start({ dataDir: tmp.dir });
    const before = await send(service.baseUrl, planCapture(core, 'document-50', 0, 0));
    expect(before.outcome.kind).toBe('acked');
    const eventsBefore = (await listAllEvents(service.baseUrl)).length;
    const capturedBefore = await metricValue(service.baseUrl, 'edgetrace_captured_events_total');
    const fdsBefore = await metricValue(service.baseUrl, OPEN_FDS);

    const dropped = Array.from({ length: DISTINCT_BODIES }, (_, i) => planCapture(core, 'document-50', 1, i));
    const bodies = dropped.map((capture) => Buffer.from(capture.body, 'utf8'));
    let next = 0;
    let opened = 0;
    const worker = async () => {
      for (let i = next++; i < CONNECTIONS; i = next++) {
        const body = bodies[i % bodies.length]!;
        const socket = await openSocket(service.port);
        socket.on('error', () => undefined);
        opened++;
        const head = Buffer.from(postHead(service.port, '/capture', body.length));
        await write(socket, Buffer.concat([head, body.subarray(0, Math.floor(body.length / 2))]));
        await drop(socket, i);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(opened).toBe(CONNECTIONS);

    expect(service.hasExited).toBeNull();
    expect(await getStatus(service.baseUrl, '/health')).toBe(200);
    expect(await getStatus(service.baseUrl, '/ready')).toBe(200);

    // The service lets go of every dropped connection.
    const settleBy = Date.now() + FD_SETTLE_MS;
    let fds = await metricValue(service.baseUrl, OPEN_FDS);
    while (fds > fdsBefore + FD_SLACK && Date.now() < settleBy) {
      await sleep(100);
      fds = await metricValue(service.baseUrl, OPEN_FDS);
    }
    expect(fds, `open descriptors: ${fdsBefore} before, ${fds} after`).toBeLessThanOrEqual(
      fdsBefore + FD_SLACK,
    );

    const events = await listAllEvents(service.baseUrl);
    expect(events.length).toBe(eventsBefore);
    const droppedIds = new Set(dropped.flatMap((capture) => capture.eventIds));
    expect(events.filter((event) => droppedIds.has(event.eventID))).toEqual([]);
    expect(await metricValue(service.baseUrl, 'edgetrace_captured_events_total')).toBe(capturedBefore);

    const after = await send(service.baseUrl, planCapture(core, 'document-50', 2, 0));
    expect(after.outcome.kind).toBe('acked');
    expect((await listAllEvents(service.baseUrl)).length).toBe(eventsBefore + 50);

    const errors = service.logLines().filter((line) => (line.level ?? 0) >= 50);
    expect(errors, 'error log lines').toEqual([]);
    expect((await service.stop()).code).toBe(0);
  });
});
