import { describe, expect, it } from 'vitest';
import { CoreTrapError } from '../../../host/core/errors.js';
import { TrackerCore } from '../../../host/core/gateway.js';
import { instantiateTracker, type TrackerExports } from '../../../host/core/wasm-instance.js';
import { json } from '../../helpers/core.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';

const commission = (serial: number) =>
  json(epcisDocument([objectEvent('2026-01-01T00:00:00Z', 'ADD', [sgtin(serial)])]));

/** The real instance, except that its next commit traps like an AssemblyScript abort would. */
function trappingOnce(): { instantiate: (m: WebAssembly.Module) => TrackerExports; arm: () => void } {
  let armed = false;
  return {
    arm: () => (armed = true),
    instantiate: (module) => {
      const real = instantiateTracker(module);
      return {
        ...real,
        commit: (id: number) => {
          if (armed) {
            armed = false;
            throw new WebAssembly.RuntimeError('unreachable');
          }
          return real.commit(id);
        },
      };
    },
  };
}

describe('a trap inside tracker.wasm', () => {
  it('replaces the instance, reports a typed error and lets the owner rebuild the state', async () => {
    const trap = trappingOnce();
    const rebuilt: number[] = [];
    const core = await TrackerCore.load({
      instantiate: trap.instantiate,
      onInstanceReplaced: (fresh) => {
        rebuilt.push(fresh.instances);
        fresh.capture(commission(1));
      },
    });
    core.capture(commission(1));
    trap.arm();
    const prepared = core.prepare(commission(2));
    expect(() => core.commit(prepared.batchId)).toThrow(CoreTrapError);
    expect(core.instances).toBe(2);
    expect(rebuilt).toEqual([2]);
    // The fresh instance holds what the owner replayed, and nothing of the batch that trapped.
    expect(core.state(sgtin(1))).not.toBeNull();
    expect(core.state(sgtin(2))).toBeNull();
    core.capture(commission(3));
    expect(core.stats().epcs).toBe(2);
  });

  it('passes errors that are not traps through unchanged, keeping the instance', async () => {
    const core = await TrackerCore.load();
    expect(() => core.commit(12345)).toThrow(/no prepared batch 12345/);
    expect(core.instances).toBe(1);
  });
});
