// A restart on a data directory that already holds events: the service listens at once (so /health
// answers), but reports not ready until its state index holds every stored event, and only then.
// (The restart from a state snapshot, ready before it listens: tests/unit/state/state-snapshot.test.ts.)
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertServiceBuilt,
  ServiceGroup,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';
import { STORE_SNAPSHOT_DIR } from '../../../host/journal/snapshot-files.js';
import { epcisDocument, objectEvent, sgln, sgtin } from '../../helpers/epcis-builders.js';
import { getStatus, metricValue, REQUEST_TIMEOUT_MS } from './support/service-client.js';

const DOCUMENTS = 24;
const EVENTS_PER_DOCUMENT = 1000;
const CLIENTS = 4;
const READY_BOUND_MS = 20_000;

interface ReadyAnswer {
  status: number;
  report: Record<string, unknown>;
  /** GET /health, asked right after a 503 from /ready. */
  health: number | null;
}

function document(index: number): string {
  const events = Array.from({ length: EVENTS_PER_DOCUMENT }, (_, i) =>
    objectEvent('2026-01-01T00:00:00Z', 'ADD', [sgtin(`d${index}i${i}`)], {
      bizStep: 'commissioning',
      readPoint: sgln('00001'),
    }),
  );
  return JSON.stringify(epcisDocument(events));
}

describe('a restart on a store that holds events', () => {
  let tmp: TempDir;
  const services = new ServiceGroup();

  beforeAll(() => assertServiceBuilt());
  beforeEach(() => {
    tmp = tempDataDir();
  });
  afterEach(async () => {
    await services.killAll();
    tmp.remove();
  });

  it('answers /ready 503 while it rebuilds the state index, then 200 with every stored EPC indexed', async () => {
    const first = await services.start({ dataDir: tmp.dir });
    let next = 0;
    const client = async () => {
      for (let index = next++; index < DOCUMENTS; index = next++) {
        const response = await fetch(first.url('/capture'), {
          method: 'POST',
          headers: { 'content-type': 'application/ld+json' },
          body: document(index),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        expect(response.status, await response.text()).toBe(202);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const total = DOCUMENTS * EVENTS_PER_DOCUMENT;
    expect(await metricValue(first.baseUrl, 'edgetrace_state_index_epcs')).toBe(total);
    expect((await first.stop()).code).toBe(0);
    // The stop wrote a state snapshot, which a restart loads before it listens; without it (a
    // snapshot refused or never written) the index is rebuilt from the store, which this test is about.
    expect(existsSync(join(tmp.dir, STORE_SNAPSHOT_DIR)), 'no snapshot written at shutdown').toBe(true);
    rmSync(join(tmp.dir, STORE_SNAPSHOT_DIR), { recursive: true });

    const second = services.spawn({ dataDir: tmp.dir });
    await second.waitForPort();
    const answers: ReadyAnswer[] = [];
    const deadline = Date.now() + READY_BOUND_MS;
    let gaugeWhenReady: number | null = null;
    while (Date.now() < deadline) {
      const response = await fetch(second.url('/ready'), { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const answer: ReadyAnswer = {
        status: response.status,
        report: (await response.json()) as Record<string, unknown>,
        health: null,
      };
      if (answer.status === 503) answer.health = await getStatus(second.baseUrl, '/health');
      answers.push(answer);
      if (answer.status === 200) {
        gaugeWhenReady = await metricValue(second.baseUrl, 'edgetrace_state_index_epcs');
        break;
      }
    }

    const statuses = answers.map((a) => a.status);
    expect(statuses.at(-1), 'the service never became ready').toBe(200);
    expect(
      statuses.slice(0, -1).every((s) => s === 503),
      statuses.join(','),
    ).toBe(true);
    expect(statuses.filter((s) => s === 503).length, 'no /ready answer during the rebuild').toBeGreaterThan(
      0,
    );
    const first503 = answers[0]!;
    expect(first503.report).toMatchObject({
      ready: false,
      databaseOpen: true,
      coreLoaded: true,
      stateRebuilt: false,
    });
    expect(answers.filter((a) => a.status === 503).every((a) => a.health === 200)).toBe(true);
    expect(answers.at(-1)!.report).toMatchObject({ ready: true, stateRebuilt: true });
    expect(gaugeWhenReady).toBe(total);

    const rebuilt = await second.waitForLog((line) => line.msg === 'state index rebuilt from the store');
    expect(rebuilt['events']).toBe(total);
    // Once ready it stays ready.
    expect(await getStatus(second.baseUrl, '/ready')).toBe(200);
    expect((await second.stop()).code).toBe(0);
  });
});
