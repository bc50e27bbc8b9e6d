// A batch written by the ingest worker reaches the owning core's state index as JSON slices
// (encodeStateSlices on the worker, StateUpdate.applyEncoded on the owning thread): each slice
// takes the core a bounded time, and together they carry every event, whole and in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreTrapError } from '../../../host/core/errors.js';
import type { TrackerCore } from '../../../host/core/gateway.js';
import type { StoredStateEvent } from '../../../host/core/types.js';
import { encodeStateSlices, STATE_SLICE_EPCS } from '../../../host/ingest/state-slices.js';
import { StateUpdate } from '../../../host/ingest/state-update.js';

/** An event naming `epcs` EPCs; `n` makes its identifiers and hash its own. */
function stateEvent(n: number, epcs: number): StoredStateEvent {
  return {
    type: 'ObjectEvent',
    action: 'OBSERVE',
    eventTimeMs: Date.UTC(2026, 0, 1) + n,
    hashId: `ni:///sha-256;${n}?ver=CBV2.0`,
    eventId: `urn:uuid:event-${n}`,
    bizStep: null,
    disposition: null,
    readPoint: null,
    bizLocation: `urn:epc:id:sgln:0614141.00777.${n}`,
    isDeclaration: false,
    epcs: Array.from({ length: epcs }, (_, i) => [`urn:epc:id:sgtin:0614141.107346.${n}-${i}`, 'epcList']),
  };
}

const events = (sizes: readonly number[]) => sizes.map((epcs, n) => stateEvent(n, epcs));
const decode = (slices: readonly string[]) => slices.map((slice) => JSON.parse(slice) as StoredStateEvent[]);
const epcCount = (slice: readonly StoredStateEvent[]) => slice.reduce((sum, e) => sum + e.epcs.length, 0);

/** A core that records what each applyStored call received. */
function recordingCore(trapOnCall?: number) {
  const calls: StoredStateEvent[][] = [];
  const core = {
    applyStored(slice: readonly StoredStateEvent[]) {
      calls.push([...slice]);
      if (calls.length === trapOnCall) {
        throw new CoreTrapError('applyStored', { cause: new WebAssembly.RuntimeError('unreachable') });
      }
    },
  };
  return { calls, core: core as unknown as TrackerCore };
}

describe('encodeStateSlices', () => {
  it('sends nothing for a batch without events', () => {
    expect(encodeStateSlices([])).toEqual([]);
  });

  it('fills a slice with whole events up to STATE_SLICE_EPCS EPCs, and starts the next with the event that does not fit', () => {
    const half = STATE_SLICE_EPCS / 2;
    const slices = decode(encodeStateSlices(events([half, half - 1, 1, 1])));
    expect(slices.map((slice) => slice.map((e) => e.epcs.length))).toEqual([[half, half - 1, 1], [1]]);
  });

  it('sends an event larger than STATE_SLICE_EPCS alone in its slice', () => {
    const slices = decode(encodeStateSlices(events([3, STATE_SLICE_EPCS + 1, 3])));
    expect(slices.map((slice) => slice.map((e) => e.epcs.length))).toEqual([
      [3],
      [STATE_SLICE_EPCS + 1],
      [3],
    ]);
  });

  it('gives back every event, whole and in order, with no slice over the bound unless it holds one event', () => {
    const sizes = fc.array(
      fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 500, max: 2 * STATE_SLICE_EPCS })),
      {
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(sizes, (epcs) => {
        const batch = events(epcs);
        const slices = decode(encodeStateSlices(batch));
        // Compared as text: a deep equality over thousands of EPCs per run costs seconds.
        expect(JSON.stringify(slices.flat())).toBe(JSON.stringify(batch));
        for (const slice of slices) {
          expect(slice.length).toBeGreaterThan(0);
          if (slice.length > 1) expect(epcCount(slice)).toBeLessThanOrEqual(STATE_SLICE_EPCS);
        }
        // Each cut is needed: the next slice's first event would not have fitted in the one before.
        for (let i = 1; i < slices.length; i++) {
          expect(epcCount(slices[i - 1]!) + slices[i]![0]!.epcs.length).toBeGreaterThan(STATE_SLICE_EPCS);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('StateUpdate.applyEncoded', () => {
  it("applies the worker's slices to the owning core one call per slice, in order", async () => {
    const batch = events([STATE_SLICE_EPCS, 5, STATE_SLICE_EPCS - 5, 7]);
    const { calls, core } = recordingCore();
    await new StateUpdate(core, true).applyEncoded(encodeStateSlices(batch));
    expect(calls.map((slice) => slice.map((e) => e.eventId))).toEqual([
      ['urn:uuid:event-0'],
      ['urn:uuid:event-1', 'urn:uuid:event-2'],
      ['urn:uuid:event-3'],
    ]);
    expect(calls.flat()).toEqual(batch);
  });

  it('applies nothing when state tracking is off', async () => {
    const { calls, core } = recordingCore();
    await new StateUpdate(core, false).applyEncoded(encodeStateSlices(events([1, 2])));
    expect(calls).toEqual([]);
  });

  it('stops after a slice that traps: the rebuilt state already holds the rest', async () => {
    const { calls, core } = recordingCore(1);
    const slices = encodeStateSlices(events([STATE_SLICE_EPCS, STATE_SLICE_EPCS, STATE_SLICE_EPCS]));
    await expect(new StateUpdate(core, true).applyEncoded(slices)).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('passes on an error that is not a trap', async () => {
    const core = {
      applyStored: () => {
        throw new RangeError('not a trap');
      },
    } as unknown as TrackerCore;
    await expect(new StateUpdate(core, true).applyEncoded(encodeStateSlices(events([1])))).rejects.toThrow(
      'not a trap',
    );
  });
});
