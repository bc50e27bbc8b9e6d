import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { json, loadCore } from '../../helpers/core.js';
import { epcisDocument, type EpcisEvent } from '../../helpers/epcis-builders.js';
import { ALL_EPCS, eventHistory } from '../../helpers/random-histories.js';

let core: TrackerCore;
beforeAll(async () => {
  core = await loadCore();
});

/** Captures the events in the given order, split into documents of random sizes. */
function captureAll(events: EpcisEvent[], splits: number[]): void {
  let at = 0;
  let split = 0;
  while (at < events.length) {
    const size = Math.max(1, splits[split++ % Math.max(1, splits.length)] ?? 1);
    const result = core.capture(json(epcisDocument(events.slice(at, at + size))));
    expect(result.issues).toEqual([]);
    at += size;
  }
}

function stateDump(): unknown {
  return ALL_EPCS.map((epc) => ({
    state: core.state(epc),
    contents: core.contents(epc).children.sort(),
  }));
}

function replay(events: EpcisEvent[], splits: number[]): unknown {
  core.resetState();
  captureAll(events, splits);
  return stateDump();
}

describe('the state index', () => {
  it('is the same whatever order the events arrive in, with duplicates and late events', () => {
    fc.assert(
      fc.property(
        eventHistory,
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }),
        fc.infiniteStream(fc.nat()),
        (events, splits, randomness) => {
          const inOrder = replay(events, [events.length]);
          const shuffled = [...events];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = randomness.next().value % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const duplicated = [...shuffled, ...shuffled.filter(() => randomness.next().value % 3 === 0)];
          expect(replay(duplicated, splits)).toEqual(inOrder);
        },
      ),
      { numRuns: 150 },
    );
  });
});
