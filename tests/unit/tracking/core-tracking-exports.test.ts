import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { json, loadCore } from '../../helpers/core.js';
import {
  aggregationEvent,
  epcisDocument,
  objectEvent,
  sgln,
  sgtin,
  sscc,
} from '../../helpers/epcis-builders.js';

let core: TrackerCore;
const id = (uri: string) => core.canonical(uri).value;

beforeAll(async () => {
  core = await loadCore();
});

function captureItems(count: number, item: string): string[] {
  const epcs = Array.from({ length: count }, (_, i) => sgtin(i + 1, item));
  const result = core.capture(
    json(epcisDocument([objectEvent('2026-03-01T08:00:00Z', 'ADD', epcs, { bizLocation: sgln('00001') })])),
  );
  expect(result.issues).toEqual([]);
  return epcs.map(id);
}

describe('tracker.wasm tracking exports', () => {
  it('gives a reset index’s memory back instead of growing with every rebuild', () => {
    core.resetState();
    captureItems(20_000, '500001');
    core.resetState();
    const settled = core.stats().memoryBytes;
    for (let round = 0; round < 5; round++) {
      captureItems(20_000, '500001');
      core.resetState();
    }
    expect(core.stats().memoryBytes).toBe(settled);
  });

  it('answers from a scratch index without touching the live one', () => {
    core.resetState();
    const [live] = captureItems(1, '500002');
    core.resetScratch();
    expect(core.scratchState(live!)).toBeNull();
    core.applyScratch([
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTimeMs: Date.parse('2026-03-01T09:00:00Z'),
        hashId: `ni:///sha-256;${'ab'.repeat(32)}?ver=CBV2.0`,
        eventId: 'urn:uuid:scratch-only',
        bizStep: null,
        disposition: null,
        readPoint: null,
        bizLocation: 'https://id.gs1.org/414/0614141000029',
        isDeclaration: false,
        epcs: [[live!, 'epcList']],
      },
    ]);
    expect(core.scratchState(live!)?.bizLocation).toBe('https://id.gs1.org/414/0614141000029');
    expect(core.state(live!)?.bizLocation).toBe('https://id.gs1.org/414/0614141000012');
    core.resetScratch();
    expect(core.scratchState(live!)).toBeNull();
  });

  it('looks up many EPCs in one call, with the effective location and null for unknown ones', () => {
    core.resetState();
    const pallet = sscc(5);
    const items = [sgtin(1, '500003'), sgtin(2, '500003')];
    core.capture(
      json(
        epcisDocument([
          objectEvent('2026-03-01T08:00:00Z', 'ADD', items, {
            bizLocation: sgln('00001'),
            disposition: 'active',
          }),
          aggregationEvent('2026-03-01T09:00:00Z', 'ADD', pallet, [items[0]!]),
          objectEvent('2026-03-01T10:00:00Z', 'OBSERVE', [pallet], { bizLocation: sgln('00003') }),
        ]),
      ),
    );
    const states = core.briefStates([id(items[0]!), id(items[1]!), id(sgtin(3, '500003'))]);
    expect(states).toEqual([
      {
        bizLocation: 'https://id.gs1.org/414/0614141000036',
        readPoint: null,
        disposition: 'https://ref.gs1.org/cbv/Disp-active',
        decommissioned: false,
        inTransit: null,
      },
      {
        bizLocation: 'https://id.gs1.org/414/0614141000012',
        readPoint: null,
        disposition: 'https://ref.gs1.org/cbv/Disp-active',
        decommissioned: false,
        inTransit: null,
      },
      null,
    ]);
  });

  it('answers no location but the transit in a batch lookup for an item on its way, as its state does', () => {
    core.resetState();
    const pallet = sscc(6);
    const item = sgtin(1, '500004');
    core.capture(
      json(
        epcisDocument([
          objectEvent('2026-03-01T08:00:00Z', 'ADD', [item], {
            bizLocation: sgln('00001'),
            readPoint: sgln('00001'),
          }),
          aggregationEvent('2026-03-01T09:00:00Z', 'ADD', pallet, [item]),
          objectEvent('2026-03-01T10:00:00Z', 'OBSERVE', [pallet], {
            bizStep: 'shipping',
            disposition: 'in_transit',
            readPoint: sgln('00002'),
          }),
        ]),
      ),
    );
    expect(core.briefStates([id(item)])).toEqual([
      {
        bizLocation: null,
        readPoint: null,
        disposition: null,
        decommissioned: false,
        inTransit: {
          since: '2026-03-01T10:00:00.000Z',
          from: {
            bizLocation: 'https://id.gs1.org/414/0614141000012',
            readPoint: 'https://id.gs1.org/414/0614141000029',
          },
          via: id(pallet),
        },
      },
    ]);
    expect(core.state(id(item))).toMatchObject({
      locationBizLocation: null,
      inTransit: true,
      transitFromBizLocation: 'https://id.gs1.org/414/0614141000012',
      transitFromReadPoint: 'https://id.gs1.org/414/0614141000029',
      transitVia: id(pallet),
    });
  });
});
