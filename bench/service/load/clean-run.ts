// A run during which other processes kept more than DISTURBED_ABOVE_CORES busy measured the
// neighbours as much as the service: it is repeated (at most MAX_ATTEMPTS times in all) and the
// number of discarded attempts is kept with the result.
import type { MachineDuringRun } from './run-load.js';

export const DISTURBED_ABOVE_CORES = 0.3;
const MAX_ATTEMPTS = 3;

export async function cleanRun<R extends { machine: MachineDuringRun }>(
  attempt: () => Promise<R>,
): Promise<R & { disturbedAttempts: number }> {
  let disturbedAttempts = 0;
  for (;;) {
    const result = await attempt();
    const other = result.machine.otherCores;
    if (other === null || other <= DISTURBED_ABOVE_CORES || disturbedAttempts + 1 === MAX_ATTEMPTS) {
      return { ...result, disturbedAttempts };
    }
    disturbedAttempts++;
    console.error(`  run disturbed by other processes (${other.toFixed(2)} cores busy), repeating it`);
  }
}
