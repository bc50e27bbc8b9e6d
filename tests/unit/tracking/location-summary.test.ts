import { describe, expect, it } from 'vitest';
import type { BriefState } from '../../../host/core/types.js';
import { summarizeByLocation } from '../../../host/tracking/location-summary.js';

const PLANT = 'https://id.gs1.org/414/0614141000012';
const WAREHOUSE = 'https://id.gs1.org/414/0614141000036';

const at = (bizLocation: string | null): BriefState => ({
  bizLocation,
  readPoint: null,
  disposition: null,
  decommissioned: false,
  inTransit: null,
});
const leftFrom = (bizLocation: string | null, via: string | null = null): BriefState => ({
  ...at(null),
  inTransit: { since: '2026-03-01T08:00:00.000Z', from: { bizLocation, readPoint: null }, via },
});

describe('the per-location summary of a forward trace', () => {
  it('counts nodes on their way by where they left, whatever container they travel in, apart from those there', () => {
    const summary = summarizeByLocation([
      at(PLANT),
      leftFrom(PLANT, 'https://id.gs1.org/00/006141410000000512'),
      leftFrom(PLANT),
      leftFrom(PLANT, 'https://id.gs1.org/00/006141410000000529'),
    ]);
    expect(summary).toEqual([
      { bizLocation: null, inTransit: true, from: PLANT, count: 3 },
      { bizLocation: PLANT, inTransit: false, from: null, count: 1 },
    ]);
  });

  it('keeps "in transit from an unknown place" apart from "location unknown" and orders equal counts stably', () => {
    const states = [
      null,
      at(null),
      leftFrom(null),
      leftFrom(WAREHOUSE),
      leftFrom(PLANT),
      at(WAREHOUSE),
      at(PLANT),
    ];
    const expected = [
      { bizLocation: null, inTransit: false, from: null, count: 2 },
      { bizLocation: PLANT, inTransit: false, from: null, count: 1 },
      { bizLocation: WAREHOUSE, inTransit: false, from: null, count: 1 },
      { bizLocation: null, inTransit: true, from: PLANT, count: 1 },
      { bizLocation: null, inTransit: true, from: WAREHOUSE, count: 1 },
      { bizLocation: null, inTransit: true, from: null, count: 1 },
    ];
    expect(summarizeByLocation(states)).toEqual(expected);
    expect(summarizeByLocation([...states].reverse())).toEqual(expected);
  });
});
