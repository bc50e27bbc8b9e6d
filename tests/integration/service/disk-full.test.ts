// The data directory's file system runs out of space (a 2 MiB tmpfs filled with a filler file):
// captures are refused with 503 problem+json and leave nothing behind, in the store or in the state
// index; once space returns the same captures succeed. Needs root to mount the tmpfs; without it
// the test fails (it does not skip).
import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackerCore } from '../../../host/core/gateway.js';
import { assertServiceBuilt, ServiceGroup } from '../../helpers/service-process.js';
import { planCapture } from './support/capture-plan.js';
import {
  distinctInstanceEpcs,
  getStatus,
  listAllEvents,
  metricValue,
  send,
} from './support/service-client.js';
import { auditStore } from './support/store-audit.js';
import { fillUp, mountTmpfs, unmountTmpfs } from '../../helpers/small-tmpfs.js';

const TMPFS_SIZE = '2m';

describe('a full disk under the data directory', () => {
  let core: TrackerCore;
  let mountPoint: string | null = null;
  const services = new ServiceGroup();

  beforeAll(async () => {
    assertServiceBuilt();
    core = await TrackerCore.load();
    mountPoint = mountTmpfs(TMPFS_SIZE, 'edgetrace-disk-full-');
  });
  afterAll(async () => {
    await services.killAll();
    if (mountPoint !== null) unmountTmpfs(mountPoint);
  });

  it('refuses captures with 503 problem+json, keeps nothing of them, and recovers when space returns', async () => {
    const dataDir = join(mountPoint!, 'data');
    mkdirSync(dataDir);
    const service = await services.start({ dataDir });
    const first = planCapture(core, 'document-50', 0, 0);
    expect((await send(service.baseUrl, first)).outcome.kind).toBe('acked');
    const epcsBefore = await metricValue(service.baseUrl, 'edgetrace_state_index_epcs');

    const filler = join(mountPoint!, 'filler');
    expect(fillUp(filler)).toBeGreaterThan(0);
    const refusedCaptures = [planCapture(core, 'document-50', 0, 1), planCapture(core, 'event', 0, 2)];
    for (const capture of refusedCaptures) {
      const { outcome } = await send(service.baseUrl, capture);
      expect(outcome, capture.path).toMatchObject({ kind: 'refused', status: 503 });
      if (outcome.kind !== 'refused') continue;
      expect(outcome.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(outcome.body)).toMatchObject({
        type: 'epcisException:ServiceUnavailableException',
        status: 503,
        detail: expect.stringContaining('SQLITE_FULL') as unknown,
      });
    }

    // Still serving, and nothing of the refused captures reached the store or the state index.
    expect(await getStatus(service.baseUrl, '/health')).toBe(200);
    expect(await getStatus(service.baseUrl, '/ready')).toBe(200);
    const whileFull = await listAllEvents(service.baseUrl);
    expect(whileFull.map((e) => e.eventID).sort()).toEqual([...first.eventIds].sort());
    expect(await metricValue(service.baseUrl, 'edgetrace_state_index_epcs')).toBe(epcsBefore);

    unlinkSync(filler);
    for (const capture of refusedCaptures) {
      expect((await send(service.baseUrl, capture)).outcome.kind, capture.path).toBe('acked');
    }
    const expected = [first, ...refusedCaptures].flatMap((c) => c.eventIds);
    const afterwards = await listAllEvents(service.baseUrl);
    expect(afterwards.map((e) => e.eventID).sort()).toEqual(expected.sort());
    expect(await metricValue(service.baseUrl, 'edgetrace_state_index_epcs')).toBe(
      distinctInstanceEpcs(afterwards).size,
    );

    const failures = service.logLines().filter((line) => line.msg === 'request failed');
    expect(failures, 'requests that failed with an unexplained error').toEqual([]);
    expect((await service.stop()).code).toBe(0);

    const audit = auditStore(join(dataDir, 'edgetrace.db'));
    expect(audit.integrity).toBe('ok');
    expect(audit.rows.map((r) => r.event_id).sort()).toEqual(expected.sort());
    expect(audit.duplicateIds).toEqual([]);
    expect(audit.withoutOutbox).toBe(0);
    expect(audit.badJobs).toEqual([]);
  });
});
