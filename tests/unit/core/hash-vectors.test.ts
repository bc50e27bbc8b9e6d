import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { loadCore } from '../../helpers/core.js';
import { hashVectors } from '../../helpers/shared-data.js';

/** Where two pre-hash strings part ways, with some context, for a readable failure. */
function firstDifference(actual: string, expected: string): string {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  const from = Math.max(0, i - 40);
  return `pre-hash differs at character ${i}:\n  ours:     …${actual.slice(from, i + 60)}\n  expected: …${expected.slice(from, i + 60)}\n  full ours: ${actual}`;
}

let core: TrackerCore;
beforeAll(async () => {
  core = await loadCore();
});

describe('CBV 2.0 event hash IDs', () => {
  for (const vector of hashVectors()) {
    it(`reproduces every expected hash of ${vector.name}`, () => {
      const result = core.prepare(vector.document.bytes, { withPrehash: true });
      core.discard(result.batchId);
      expect(result.issues).toEqual([]);
      const accepted = result.events.filter((e) => e.accepted);
      expect(accepted).toHaveLength(vector.hashes.length);
      accepted.forEach((event, i) => {
        const ours = result.prehashes?.[i] ?? '';
        const expectedPrehash = vector.prehashes[i];
        const context = expectedPrehash === undefined ? ours : firstDifference(ours, expectedPrehash);
        if (event.accepted) expect(event.hashId, `event ${i}: ${context}`).toBe(vector.hashes[i]);
      });
    });
  }
});
