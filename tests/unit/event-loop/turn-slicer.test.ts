// Catch-ups that are all due in one loop turn share it: once their reads took the slice, the rest
// wait for the next turn, so whatever else is due (an incoming /health request) runs in between.
import { describe, expect, it } from 'vitest';
import { TurnSlicer } from '../../../host/event-loop/turn-slicer.js';

/** Holds the thread like a synchronous SQLite read and render do. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('TurnSlicer', () => {
  it('lets the catch-ups due in one loop turn work for one slice, then lets other callbacks run', async () => {
    const slicer = new TurnSlicer(5);
    const order: string[] = [];
    const done = Array.from(
      { length: 10 },
      (_, i) =>
        new Promise<void>((resolve) =>
          // Like drain events: ten callbacks in one loop phase, each continuing a catch-up.
          setImmediate(() => {
            void (async () => {
              await slicer.take();
              work(3);
              order.push(`catch-up ${i}`);
              // What arrives meanwhile: due in the next loop turn.
              if (i === 0) setTimeout(() => order.push('other work'), 0);
              resolve();
            })();
          }),
        ),
    );
    await Promise.all(done);

    expect(order.filter((entry) => entry.startsWith('catch-up'))).toHaveLength(10);
    expect(order.indexOf('other work')).toBeGreaterThan(0);
    expect(order.indexOf('other work')).toBeLessThan(order.indexOf('catch-up 9'));
  });
});
