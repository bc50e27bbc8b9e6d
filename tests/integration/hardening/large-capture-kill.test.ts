// A large capture goes through the ingest worker's own SQLite connection; killing the service with
// SIGKILL at any moment of it must still leave the document stored whole or not at all, keep every
// acknowledged one, and let the restarted service rebuild a state index that matches the store.
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue } from '../service/support/service-client.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  tempDataDir,
  type TempDir,
} from '../../helpers/service-process.js';
import { epc, epcDocument, eventsWithEpc } from './support/epc-document.js';

const EVENTS = 25;
const EPCS_PER_EVENT = 1000;
// Kill moments spread over the document's prepare, its write and its state update (about 1 MiB).
const KILL_AFTER_MS = [150, 600, 1500];
// Every document goes to the worker.
const ENV = { CAPTURE_WORKER_MIN_BYTES: '64KiB' };

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

describe('a large capture on the ingest worker, killed with SIGKILL', () => {
  const group = new ServiceGroup();
  let data: TempDir | null = null;
  afterEach(async () => {
    await group.killAll();
    data?.remove();
  });

  it('is stored whole or not at all, and kept whenever it was acknowledged', async () => {
    assertServiceBuilt();
    data = tempDataDir('edgetrace-large-kill-');
    const expected: boolean[] = [];
    for (const [round, delay] of KILL_AFTER_MS.entries()) {
      const service = await group.start({ dataDir: data.dir, env: ENV });
      const body = epcDocument(EVENTS, EPCS_PER_EVENT, round * EVENTS * EPCS_PER_EVENT);
      const capture = fetch(`${service.baseUrl}/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: new Uint8Array(body),
      }).then(
        (response) => response.status === 202,
        () => false,
      );
      const acked = await Promise.race([capture, sleep(delay).then(() => null)]);
      await service.kill();
      expected.push(acked === true);

      const restarted = await group.start({ dataDir: data.dir, env: ENV });
      let epcs = 0;
      for (const [r, mustHave] of expected.entries()) {
        const first = r * EVENTS * EPCS_PER_EVENT;
        const counts = [
          await eventsWithEpc(restarted.baseUrl, epc(first)),
          await eventsWithEpc(restarted.baseUrl, epc(first + EVENTS * EPCS_PER_EVENT - 1)),
        ];
        expect(counts, `round ${r}: first and last event stored alike`).toSatisfy(
          ([a, b]: number[]) => a === b && (a === 0 || a === 1),
        );
        if (mustHave) expect(counts, `round ${r} was acknowledged`).toEqual([1, 1]);
        epcs += counts[0]! * EVENTS * EPCS_PER_EVENT;
      }
      expect(await metricValue(restarted.baseUrl, 'edgetrace_state_index_epcs')).toBe(epcs);
      await restarted.kill();
    }
  }, 60_000);
});
