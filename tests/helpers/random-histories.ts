// fast-check arbitraries for random but schema-valid event histories over a small pool of items,
// containers and locations, with many equal timestamps so tie-breaking is exercised.
import fc from 'fast-check';
import {
  aggregationEvent,
  type EpcisEvent,
  objectEvent,
  sgln,
  sgtin,
  sscc,
  transformationEvent,
  type Where,
} from './epcis-builders.js';

export const ITEMS = Array.from({ length: 8 }, (_, i) => sgtin(i + 1));
export const CONTAINERS = Array.from({ length: 3 }, (_, i) => sscc(i + 1));
export const ALL_EPCS = [...ITEMS, ...CONTAINERS];
const LOCATIONS = ['00001', '00002', '00003'].map(sgln);
const DISPOSITIONS = ['active', 'in_transit', 'in_progress', 'damaged'];
const BIZ_STEPS = ['commissioning', 'shipping', 'receiving', 'packing', 'unpacking'];

// Few distinct instants on purpose: equal eventTimes must be ordered by hash ID.
const time = fc
  .integer({ min: 0, max: 12 })
  .map((minute) => new Date(Date.UTC(2026, 0, 1, 8, minute)).toISOString());

const where: fc.Arbitrary<Where> = fc.record(
  {
    bizLocation: fc.constantFrom(...LOCATIONS),
    readPoint: fc.constantFrom(...LOCATIONS),
    disposition: fc.constantFrom(...DISPOSITIONS),
    bizStep: fc.constantFrom(...BIZ_STEPS),
  },
  { requiredKeys: [] },
);

const someOf = <T>(pool: T[], min: number) =>
  fc.uniqueArray(fc.constantFrom(...pool), { minLength: min, maxLength: 4 });

const objectEvents = fc
  .tuple(
    time,
    fc.constantFrom<'ADD' | 'OBSERVE' | 'DELETE'>('ADD', 'OBSERVE', 'DELETE'),
    someOf(ALL_EPCS, 1),
    where,
  )
  .map(([t, action, epcs, w]) => objectEvent(t, action, epcs, w));

const aggregationEvents = fc
  .tuple(
    time,
    fc.constantFrom<'ADD' | 'DELETE'>('ADD', 'DELETE'),
    fc.constantFrom(...CONTAINERS),
    someOf(ITEMS, 0),
    where,
  )
  .map(([t, action, parent, children, w]) =>
    aggregationEvent(
      t,
      action,
      parent,
      action === 'ADD' && children.length === 0 ? [ITEMS[0]!] : children,
      w,
    ),
  );

const transformationEvents = fc
  .tuple(time, someOf(ITEMS, 1), someOf(ITEMS, 1), where)
  .map(([t, inputs, outputs, w]) => transformationEvent(t, inputs, outputs, w));

export const eventHistory: fc.Arbitrary<EpcisEvent[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: objectEvents },
    { weight: 3, arbitrary: aggregationEvents },
    transformationEvents,
  ),
  { minLength: 1, maxLength: 40 },
);
