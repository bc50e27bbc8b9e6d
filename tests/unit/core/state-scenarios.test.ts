import { beforeEach, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { CoreStatus } from '../../../host/core/status.js';
import { json, loadCore } from '../../helpers/core.js';
import {
  aggregationEvent,
  epcisDocument,
  type EpcisEvent,
  objectEvent,
  sgln,
  sgtin,
  sscc,
  transformationEvent,
} from '../../helpers/epcis-builders.js';

const PLANT = sgln('00001');
const DOCK = sgln('00002');
const WAREHOUSE = sgln('00003');
const pallet = sscc(1);
const cases = [sscc(11), sscc(12), sscc(13)];

const commission = objectEvent('2026-03-01T08:00:00Z', 'ADD', [...cases, pallet], {
  bizStep: 'commissioning',
  disposition: 'active',
  bizLocation: PLANT,
  readPoint: PLANT,
});
const pack = aggregationEvent('2026-03-01T09:00:00Z', 'ADD', pallet, cases, {
  bizStep: 'packing',
  bizLocation: PLANT,
});
const ship = objectEvent('2026-03-01T10:00:00Z', 'OBSERVE', [pallet], {
  bizStep: 'shipping',
  disposition: 'in_transit',
  readPoint: DOCK,
});
const receive = objectEvent('2026-03-02T07:00:00+02:00', 'OBSERVE', [pallet], {
  bizStep: 'receiving',
  disposition: 'in_progress',
  readPoint: WAREHOUSE,
  bizLocation: WAREHOUSE,
});
const unpackOne = aggregationEvent('2026-03-02T08:00:00Z', 'DELETE', pallet, [cases[0]!], {
  bizStep: 'unpacking',
  bizLocation: WAREHOUSE,
});
const unpackAll = aggregationEvent('2026-03-02T09:00:00Z', 'DELETE', pallet, [], {
  bizStep: 'unpacking',
  bizLocation: WAREHOUSE,
});

let core: TrackerCore;
const id = (uri: string) => core.canonical(uri).value;
const capture = (...events: EpcisEvent[]) => {
  const result = core.capture(json(epcisDocument(events)));
  expect(result.issues).toEqual([]);
  expect(result.status).toBe(CoreStatus.Ok);
};

beforeEach(async () => {
  core = await loadCore();
});

describe('current state of tracked items', () => {
  it('knows where a commissioned item is and how it is disposed', () => {
    capture(commission);
    const state = core.state(cases[0]!);
    expect(state).toMatchObject({
      epc: id(cases[0]!),
      bizLocation: id(PLANT),
      readPoint: id(PLANT),
      disposition: 'https://ref.gs1.org/cbv/Disp-active',
      lastBizStep: 'https://ref.gs1.org/cbv/BizStep-commissioning',
      parent: null,
      decommissioned: false,
    });
    expect(state?.lastEventTimeMs).toBe(Date.parse('2026-03-01T08:00:00Z'));
  });

  it('answers the same for the URN and the GS1 Digital Link of one item', () => {
    capture(commission);
    expect(core.state(id(cases[1]!))).toEqual(core.state(cases[1]!));
  });

  it('says it does not know an item it never saw', () => {
    capture(commission);
    expect(core.state(sgtin(999))).toBeNull();
  });

  it('lists the cases packed on a pallet, and the pallet as their parent', () => {
    capture(commission, pack);
    expect(core.contents(pallet).children.sort()).toEqual(cases.map(id).sort());
    expect(core.state(cases[2]!)?.parent).toBe(id(pallet));
    expect(core.state(pallet)?.childCount).toBe(3);
  });

  it('moves a shipped and received pallet while its cases stay inside', () => {
    capture(commission, pack, ship, receive);
    expect(core.state(pallet)).toMatchObject({
      bizLocation: id(WAREHOUSE),
      readPoint: id(WAREHOUSE),
      disposition: 'https://ref.gs1.org/cbv/Disp-in_progress',
      lastBizStep: 'https://ref.gs1.org/cbv/BizStep-receiving',
    });
    expect(core.contents(pallet).children).toHaveLength(3);
  });

  it('keeps the newest facts when an older event arrives late', () => {
    capture(commission, pack, receive);
    capture(ship);
    expect(core.state(pallet)).toMatchObject({
      bizLocation: id(WAREHOUSE),
      disposition: 'https://ref.gs1.org/cbv/Disp-in_progress',
      lastBizStep: 'https://ref.gs1.org/cbv/BizStep-receiving',
    });
  });

  it('unpacks listed cases, then every remaining case when no children are listed', () => {
    capture(commission, pack, ship, receive, unpackOne);
    expect(core.contents(pallet).children.sort()).toEqual([id(cases[1]!), id(cases[2]!)].sort());
    expect(core.state(cases[0]!)?.parent).toBeNull();
    capture(unpackAll);
    expect(core.contents(pallet).children).toEqual([]);
    expect(core.state(cases[1]!)?.parent).toBeNull();
  });

  it('does not let an unpack-all erase a later packing', () => {
    const repack = aggregationEvent('2026-03-02T10:00:00Z', 'ADD', pallet, [cases[2]!], {
      bizLocation: WAREHOUSE,
    });
    capture(commission, repack, pack);
    capture(unpackAll);
    expect(core.contents(pallet).children).toEqual([id(cases[2]!)]);
  });

  it('records transformation inputs as consumed and outputs as produced', () => {
    const inputs = [sgtin(1, '100001'), sgtin(2, '100001')];
    const outputs = [sgtin(1, '200002')];
    capture(objectEvent('2026-03-01T08:00:00Z', 'ADD', inputs, { bizLocation: PLANT }));
    const transform = transformationEvent('2026-03-03T08:00:00Z', inputs, outputs, { bizLocation: PLANT });
    const result = core.capture(json(epcisDocument([transform])));
    const hashId = result.events[0]?.accepted ? result.events[0].hashId : '';
    expect(core.state(inputs[0]!)?.consumedByEventId).toBe(hashId);
    expect(core.state(outputs[0]!)?.producedByEventId).toBe(hashId);
    expect(core.state(outputs[0]!)?.bizLocation).toBe(id(PLANT));
  });

  it('marks decommissioned items', () => {
    capture(
      commission,
      objectEvent('2026-03-04T08:00:00Z', 'DELETE', [cases[2]!], { bizStep: 'decommissioning' }),
    );
    expect(core.state(cases[2]!)?.decommissioned).toBe(true);
    expect(core.state(cases[1]!)?.decommissioned).toBe(false);
  });

  it('changes nothing for a prepared batch that was discarded', () => {
    const result = core.prepare(json(epcisDocument([commission])));
    expect(core.pendingBatches).toBe(1);
    core.discard(result.batchId);
    expect(core.pendingBatches).toBe(0);
    expect(core.state(cases[0]!)).toBeNull();
    expect(core.stats().epcs).toBe(0);
  });
});
