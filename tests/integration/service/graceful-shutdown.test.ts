// SIGTERM while clients capture: the service stops taking new work, finishes what it has started
// (including a capture whose body is still arriving), commits, closes the database and exits 0
// within its 10 s shutdown timeout. Every capture it acknowledged is stored; nothing hangs.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrackerCore } from '../../../host/core/gateway.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';
import { planCapture, shapeFor } from './support/capture-plan.js';
import { openSocket, postHead, readResponse, write } from './support/raw-http.js';
import { type Attempt, runStream, send } from './support/service-client.js';
import { auditStore } from './support/store-audit.js';

const SHUTDOWN_LIMIT_MS = 10_000;
const CLIENTS = 4;

describe('SIGTERM during captures', () => {
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

  it('drains in-flight captures, refuses new requests without hanging, and exits 0 within 10 s', async () => {
    const service = await services.start({ dataDir: tmp.dir });
    const port = service.port;

    // A capture in progress when the signal comes: its head and half its body have arrived. Its
    // client keeps the connection open (keep-alive), so the service has to close it once answered.
    const slow = planCapture(core, 'document-50', 90, 0);
    const bytes = Buffer.from(slow.body, 'utf8');
    const half = Math.floor(bytes.length / 2);
    const socket = await openSocket(port);
    const slowResponse = readResponse(socket, 15_000);
    await write(
      socket,
      Buffer.concat([
        Buffer.from(postHead(port, '/capture', bytes.length, 'keep-alive')),
        bytes.subarray(0, half),
      ]),
    );

    let acks = 0;
    let enoughAcks: (() => void) | null = null;
    const midStream = new Promise<void>((done) => (enoughAcks = done));
    const stream = runStream(service.baseUrl, {
      clients: CLIENTS,
      next: (client, step) => planCapture(core, shapeFor(client, step), client, step),
      maxPerClient: 5000,
      deadlineMs: Date.now() + 20_000,
      stopOnFirstFailure: true,
      onAttempt: (attempt) => {
        if (attempt.outcome.kind === 'acked' && ++acks >= 40) enoughAcks?.();
      },
    });
    await Promise.race([midStream, stream]);
    expect(acks, 'acknowledged captures before the signal').toBeGreaterThanOrEqual(40);

    const signalledMs = Date.now();
    service.signal('SIGTERM');
    await service.waitForLog((line) => line.msg === 'shutting down', 5000);

    // Requests after the signal: refused (503) or not connected, never accepted, never hanging.
    const late: Attempt[] = await Promise.all(
      Array.from({ length: 6 }, (_, i) => send(service.baseUrl, planCapture(core, 'document-1', 91, i))),
    );
    for (const attempt of late) {
      expect(attempt.settledMs - attempt.sentMs, 'a request after SIGTERM hung').toBeLessThan(5000);
      const { outcome } = attempt;
      if (outcome.kind === 'failed') expect(outcome.error).not.toMatch(/timeout|abort/i);
      else
        expect(outcome, 'a request after SIGTERM was accepted').toMatchObject({
          kind: 'refused',
          status: 503,
          contentType: expect.stringContaining('application/problem+json'),
        });
    }

    // The rest of the slow body: the capture that was in progress completes, and the service closes
    // the connection after answering instead of waiting for the client to do it.
    await write(socket, bytes.subarray(half));
    const answer = await slowResponse;
    expect(Date.now() - signalledMs, 'the answered keep-alive connection stayed open').toBeLessThan(5000);
    expect(answer.status, answer.head).toBe(202);
    expect(JSON.parse(answer.body)).toMatchObject({ running: false, success: true });

    const exit = await service.exited;
    const shutdownMs = Date.now() - signalledMs;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(SHUTDOWN_LIMIT_MS);

    const attempts = await stream;
    for (const attempt of attempts) {
      const { outcome } = attempt;
      if (outcome.kind === 'failed') expect(outcome.error, 'a capture hung').not.toMatch(/timeout|abort/i);
      if (outcome.kind === 'refused') expect(outcome.status, outcome.body).toBe(503);
    }
    expect(attempts.length).toBeGreaterThan(CLIENTS);

    const messages = service.logLines().map((line) => line.msg);
    expect(messages).toContain('shutting down');
    const closed = service.logLines().flatMap((line) => (line.msg === 'closed' ? [line['step']] : []));
    expect(closed).toEqual([
      'http',
      'sync',
      'webhooks',
      'group-commit',
      'ingest-worker',
      'wal-checkpointer',
      'snapshot',
      'live-feed',
      'database',
    ]);

    const audit = auditStore(join(tmp.dir, 'edgetrace.db'));
    expect(audit.integrity).toBe('ok');
    const stored = new Set(audit.rows.map((row) => row.event_id));
    const all = [...attempts, ...late];
    const count = (a: Attempt) => a.capture.eventIds.filter((id) => stored.has(id)).length;
    const lost = all.filter((a) => a.outcome.kind === 'acked' && count(a) !== a.capture.eventIds.length);
    expect(
      lost.map((a) => a.capture.key),
      'acknowledged captures not stored',
    ).toEqual([]);
    const refusedButStored = all.filter((a) => a.outcome.kind === 'refused' && count(a) > 0);
    expect(
      refusedButStored.map((a) => a.capture.key),
      'refused captures stored',
    ).toEqual([]);
    const partial = all.filter((a) => count(a) !== 0 && count(a) !== a.capture.eventIds.length);
    expect(
      partial.map((a) => a.capture.key),
      'captures stored in part',
    ).toEqual([]);
    expect(slow.eventIds.filter((id) => !stored.has(id))).toEqual([]);
    expect(audit.duplicateIds).toEqual([]);
    expect(audit.badJobs).toEqual([]);
  });
});
