// fast-check arbitraries for random tracking histories: items packed into containers that are
// packed into each other (cycles included), shipments in transit and their receipts, associations,
// transformations (alone or sharing a transformationID, with lots as quantity inputs) and lot
// membership, over small pools and a few instants so that equal eventTimes are common.
import fc from 'fast-check';
import {
  aggregationEvent,
  type EpcisEvent,
  lgtin,
  objectEvent,
  sgln,
  sgtin,
  sscc,
  type Where,
} from './epcis-builders.js';

export const TRACKED_ITEMS = Array.from({ length: 6 }, (_, i) => sgtin(i + 1));
export const TRACKED_CONTAINERS = Array.from({ length: 3 }, (_, i) => sscc(i + 1));
export const LOTS = [lgtin('L1'), lgtin('L2')];
export const TRANSFORMATION_IDS = [
  'urn:uuid:7f1c0000-0000-4000-8000-000000000001',
  'urn:uuid:7f1c0000-0000-4000-8000-000000000002',
];
const LOCATIONS = ['00001', '00002', '00003'].map(sgln);

/** The instants events happen at (minutes past 08:00 on 2026-01-01). */
export const MINUTES = 8;
export const instant = (minute: number) => new Date(Date.UTC(2026, 0, 1, 8, minute)).toISOString();
const time = fc.integer({ min: 0, max: MINUTES }).map(instant);

const where: fc.Arbitrary<Where> = fc.record(
  {
    bizLocation: fc.constantFrom(...LOCATIONS),
    readPoint: fc.constantFrom(...LOCATIONS),
    disposition: fc.constantFrom('active', 'in_transit', 'damaged'),
    bizStep: fc.constantFrom('commissioning', 'shipping', 'packing'),
  },
  { requiredKeys: [] },
);

const someOf = <T>(pool: T[], min: number, max = 3) =>
  fc.uniqueArray(fc.constantFrom(...pool), { minLength: min, maxLength: max });

const objects = fc
  .tuple(
    time,
    fc.constantFrom<'ADD' | 'OBSERVE' | 'DELETE'>('ADD', 'OBSERVE', 'DELETE'),
    someOf([...TRACKED_ITEMS, ...TRACKED_CONTAINERS], 1),
    where,
  )
  .map(([t, action, epcs, w]) => objectEvent(t, action, epcs, w));

const aggregations = fc
  .tuple(
    time,
    fc.constantFrom<'ADD' | 'OBSERVE' | 'DELETE'>('ADD', 'ADD', 'OBSERVE', 'DELETE'),
    fc.constantFrom(...TRACKED_CONTAINERS),
    someOf([...TRACKED_ITEMS, ...TRACKED_CONTAINERS], 0),
    where,
  )
  .map(([t, action, parent, children, w]) => {
    const kids = children.filter((c) => c !== parent);
    return aggregationEvent(
      t,
      action,
      parent,
      action !== 'DELETE' && kids.length === 0 ? [TRACKED_ITEMS[0]!] : kids,
      w,
    );
  });

// A DELETE without childEPCs empties the container: everything packed before it leaves.
const unpackAll = fc
  .tuple(time, fc.constantFrom(...TRACKED_CONTAINERS), where)
  .map(([t, parent, w]) => aggregationEvent(t, 'DELETE', parent, [], w));

const associations = fc
  .tuple(
    time,
    fc.constantFrom<'ADD' | 'OBSERVE' | 'DELETE'>('ADD', 'OBSERVE', 'DELETE'),
    fc.constantFrom(...TRACKED_CONTAINERS),
    someOf(TRACKED_ITEMS, 0),
    where,
  )
  .map(([t, action, parent, children, w]) => ({
    ...aggregationEvent(
      t,
      action,
      parent,
      action !== 'DELETE' && children.length === 0 ? [TRACKED_ITEMS[1]!] : children,
      w,
    ),
    type: 'AssociationEvent',
  }));

const transformations = fc
  .tuple(
    time,
    someOf(TRACKED_ITEMS, 0),
    someOf(TRACKED_ITEMS, 1),
    fc.option(fc.constantFrom(...LOTS)),
    fc.option(fc.constantFrom(...TRANSFORMATION_IDS)),
    where,
  )
  .map(([t, inputs, outputs, lot, transformationId, w]) => {
    const event: EpcisEvent = {
      ...objectEvent(t, 'OBSERVE', [], w),
      type: 'TransformationEvent',
      outputEPCList: outputs,
    };
    delete event['epcList'];
    delete event['action'];
    if (inputs.length > 0 || lot === null)
      event['inputEPCList'] = inputs.length > 0 ? inputs : [TRACKED_ITEMS[5]!];
    if (lot !== null) event['inputQuantityList'] = [{ epcClass: lot, quantity: 10, uom: 'KGM' }];
    if (transformationId !== null) event['transformationID'] = transformationId;
    return event;
  });

const lotMembers = fc
  .tuple(time, fc.constantFrom(...LOTS), someOf(TRACKED_ITEMS, 1), where)
  .map(([t, lot, items, w]) => ({
    ...objectEvent(t, 'ADD', items, w),
    quantityList: [{ epcClass: lot, quantity: items.length }],
  }));

// The CBV shape of a shipment: bizStep shipping, disposition in_transit, the dock door as readPoint
// (or none) and no bizLocation, since the goods are at none. Receipts end it with a bizLocation,
// with or without a disposition of their own; a scan on the way has a readPoint only.
const shipped = someOf([...TRACKED_CONTAINERS, ...TRACKED_ITEMS], 1, 2);
const shipments = fc
  .tuple(time, shipped, fc.option(fc.constantFrom(...LOCATIONS)), fc.boolean())
  .map(([t, epcs, dock, withLocation]) =>
    objectEvent(t, 'OBSERVE', epcs, {
      bizStep: 'shipping',
      disposition: 'in_transit',
      ...(dock === null ? {} : { readPoint: dock }),
      // Some systems also name the site it leaves: it is still in transit from there.
      ...(withLocation && dock !== null ? { bizLocation: dock } : {}),
    }),
  );
const receipts = fc
  .tuple(time, shipped, fc.constantFrom(...LOCATIONS), fc.option(fc.constantFrom('in_progress', 'damaged')))
  .map(([t, epcs, site, disposition]) =>
    objectEvent(t, 'OBSERVE', epcs, {
      bizStep: 'receiving',
      bizLocation: site,
      readPoint: site,
      ...(disposition === null ? {} : { disposition }),
    }),
  );
const scansOnTheWay = fc
  .tuple(time, shipped, fc.constantFrom(...LOCATIONS), fc.option(fc.constantFrom('damaged', 'active')))
  .map(([t, epcs, reader, disposition]) =>
    objectEvent(t, 'OBSERVE', epcs, { readPoint: reader, ...(disposition === null ? {} : { disposition }) }),
  );

export const trackingHistory: fc.Arbitrary<EpcisEvent[]> = fc.array(
  fc.oneof(
    { weight: 2, arbitrary: shipments },
    { weight: 1, arbitrary: receipts },
    { weight: 1, arbitrary: scansOnTheWay },
    { weight: 3, arbitrary: objects },
    { weight: 4, arbitrary: aggregations },
    { weight: 1, arbitrary: unpackAll },
    { weight: 1, arbitrary: associations },
    { weight: 2, arbitrary: transformations },
    { weight: 1, arbitrary: lotMembers },
  ),
  { minLength: 1, maxLength: 30 },
);
