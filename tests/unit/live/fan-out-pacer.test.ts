// When the live feed fans out: a tick shared by every request made before it runs, spaced so that
// fan-out takes at most FAN_OUT_SHARE of the event loop, and never held back longer than
// MAX_TICK_INTERVAL_MS. Time here is vitest's fake clock; a tick's cost is simulated by moving that
// clock inside the tick (the pacer measures a tick up to the process.nextTick after it).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAN_OUT_SHARE, FanOutPacer, MAX_TICK_INTERVAL_MS } from '../../../host/live/fan-out-pacer.js';

/** The pacer records a tick's cost in a process.nextTick callback queued by the tick. */
const costRecorded = () => new Promise<void>((done) => process.nextTick(done));

/** A pacer whose ticks each take `costs[i]` ms of the (fake) clock, the last cost repeating. */
function pacer(costs: number[] = [0]) {
  const startedAt: number[] = [];
  const pace = new FanOutPacer(() => {
    startedAt.push(performance.now());
    vi.advanceTimersByTime(costs[Math.min(startedAt.length - 1, costs.length - 1)]!);
  });
  return { pace, startedAt };
}

describe('FanOutPacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs one tick for every request made before it runs, and not within the request', async () => {
    const { pace, startedAt } = pacer();
    pace.request();
    pace.request();
    pace.request();
    expect(startedAt).toHaveLength(0);
    vi.advanceTimersByTime(0);
    await costRecorded();
    vi.advanceTimersByTime(MAX_TICK_INTERVAL_MS * 2);
    expect(startedAt).toHaveLength(1);
  });

  it('ticks again at once for a request after a cheap tick', async () => {
    const { pace, startedAt } = pacer([0]);
    pace.request();
    vi.advanceTimersByTime(0);
    await costRecorded();
    pace.request();
    vi.advanceTimersByTime(0);
    expect(startedAt).toHaveLength(2);
  });

  it('after a costly tick, waits until the fan-out has had no more than its share of the time since that tick started', async () => {
    const cost = 10;
    const { pace, startedAt } = pacer([cost, 0]);
    pace.request();
    vi.advanceTimersByTime(0);
    await costRecorded();
    pace.request();
    const due = startedAt[0]! + cost / FAN_OUT_SHARE;
    vi.advanceTimersByTime(due - performance.now() - 1);
    expect(startedAt).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(startedAt).toEqual([startedAt[0], due]);
  });

  it('waits no longer than MAX_TICK_INTERVAL_MS after a tick however costly it was', async () => {
    const cost = MAX_TICK_INTERVAL_MS * FAN_OUT_SHARE * 4;
    const { pace, startedAt } = pacer([cost, 0]);
    pace.request();
    vi.advanceTimersByTime(0);
    await costRecorded();
    pace.request();
    vi.advanceTimersByTime(startedAt[0]! + MAX_TICK_INTERVAL_MS - performance.now());
    expect(startedAt).toEqual([startedAt[0], startedAt[0]! + MAX_TICK_INTERVAL_MS]);
  });

  it("counts in a tick's cost the socket writes it queued for after it", async () => {
    const cost = 10;
    const startedAt: number[] = [];
    const pace = new FanOutPacer(() => {
      startedAt.push(performance.now());
      // As a corked socket does: its writev runs in a process.nextTick callback after the tick.
      if (startedAt.length === 1) process.nextTick(() => vi.advanceTimersByTime(cost));
    });
    pace.request();
    vi.advanceTimersByTime(0);
    await costRecorded();
    pace.request();
    vi.advanceTimersByTime(startedAt[0]! + cost / FAN_OUT_SHARE - performance.now() - 1);
    expect(startedAt).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(startedAt).toHaveLength(2);
  });

  it('ticks at once for a request that comes after the spacing has passed', async () => {
    const cost = 10;
    const { pace, startedAt } = pacer([cost, 0]);
    pace.request();
    vi.advanceTimersByTime(0);
    await costRecorded();
    vi.advanceTimersByTime(cost / FAN_OUT_SHARE);
    const asked = performance.now();
    pace.request();
    vi.advanceTimersByTime(0);
    expect(startedAt[1]).toBe(asked);
  });

  it('drops a requested tick on cancel, and ticks again on the next request', () => {
    const { pace, startedAt } = pacer();
    pace.request();
    pace.cancel();
    vi.advanceTimersByTime(MAX_TICK_INTERVAL_MS * 2);
    expect(startedAt).toHaveLength(0);
    pace.request();
    vi.advanceTimersByTime(0);
    expect(startedAt).toHaveLength(1);
  });
});
