// The performance goals of issue 12 ("at the ceilings"), each tied to the bench row that measures it
// and to the figure the first wave measured, so `npm run bench` ends with one table: before → now,
// ratio to the same run's baseline, goal met or not. A goal reads the row's ratio where the goal is
// a ratio and its value where the goal is absolute.
import type { BenchRow } from '../lib/report.js';

export interface PerformanceGoal {
  figure: string;
  /** bench/results/<bench>.json */
  bench: string;
  /** The row that carries the figure (first match). */
  row: RegExp;
  before: string;
  goal: string;
  /** Which number of the row the goal is about. */
  reads: 'value' | 'ratio';
  met: (n: number) => boolean;
}

const atLeast = (floor: number) => (n: number) => n >= floor;
const atMost = (ceiling: number) => (n: number) => n <= ceiling;

export const PERFORMANCE_GOALS: readonly PerformanceGoal[] = [
  {
    figure: 'core capture, 1000-event documents, V8',
    bench: 'core',
    row: /^capture, 1000-event documents \(Node\)/,
    before: '25,700–32,800 events/s (0.08× JSON.parse)',
    goal: '≥ 100,000 events/s',
    reads: 'value',
    met: atLeast(100_000),
  },
  {
    figure: 'core SHA-256 incl. copy-in, 1000 pre-hash strings',
    bench: 'core',
    row: /^SHA-256 over 1000 pre-hash strings \(core/,
    before: '0.34–0.65× native',
    goal: '≥ 0.8× native crypto.hash',
    reads: 'ratio',
    met: atLeast(0.8),
  },
  {
    figure: 'Wasm memory per tracked EPC, 1,000,000 EPCs',
    bench: 'core',
    row: /^Wasm memory per tracked EPC/,
    before: '134–285 B',
    goal: '≤ 200 B',
    reads: 'value',
    met: atMost(200),
  },
  {
    figure: 'durable batch capture, POST /capture 1000-event documents (FULL)',
    bench: 'service',
    row: /^POST \/capture, 1000-event documents, FULL: durable events\/s/,
    before: '9,571 events/s',
    goal: '≥ 30,000 events/s',
    reads: 'value',
    met: atLeast(30_000),
  },
  {
    figure: 'single-event POST /events at 2,000/s, P99 (FULL)',
    bench: 'service',
    row: /^POST \/events at [\d,]+\/s, FULL: P99$/,
    before: '4.7× bare node:http',
    goal: '≤ 1.5× bare node:http',
    reads: 'ratio',
    met: atMost(1.5),
  },
  {
    figure: 'single-event POST /events at 2,000/s, P99.9 (FULL)',
    bench: 'service',
    row: /^POST \/events at [\d,]+\/s, FULL: P99\.9$/,
    before: '5.1× bare node:http',
    goal: '≤ 2× bare node:http',
    reads: 'ratio',
    met: atMost(2),
  },
  {
    figure: 'GET /epcs/{epc}/state, 1M EPCs, max throughput',
    bench: 'tracking',
    row: /^GET \/epcs\/\{epc\}\/state, .* EPCs, .*: max throughput/,
    before: '0.40× bare node:http',
    goal: '≥ 0.6× bare node:http',
    reads: 'ratio',
    met: atLeast(0.6),
  },
  {
    figure: 'GET /events one item (MATCH_anyEPC), 1M events, max throughput',
    bench: 'service',
    row: /^GET \/events MATCH_anyEPC \(one item\): max throughput/,
    before: '0.08× bare node:http',
    goal: '≥ 0.3× bare node:http',
    reads: 'ratio',
    met: atLeast(0.3),
  },
  {
    figure: 'GET /events bizLocation + one day, 1M events, max throughput',
    bench: 'service',
    row: /^GET \/events EQ_bizLocation \+ 1-day eventTime: max throughput/,
    before: '0.02× bare node:http',
    goal: '≥ 0.2× bare node:http',
    reads: 'ratio',
    met: atLeast(0.2),
  },
  {
    figure: 'start → /ready, 1,000,000 stored events',
    bench: 'service',
    row: /^service start to ready with [\d,]+ stored events \(restart from its state snapshot\)/,
    before: '31 s',
    goal: '≤ 1 s',
    reads: 'value',
    met: atMost(1),
  },
  {
    figure: 'live feed, 100 SSE subscribers, 2,000 captures/s: delivery P99',
    bench: 'tracking',
    row: /: delivery latency P99$/,
    before: '12,600 ms',
    goal: '≤ 50 ms',
    reads: 'value',
    met: atMost(50),
  },
  {
    figure: 'hub: events stored per second from the broker',
    bench: 'sync',
    row: /^hub: events stored per second from the broker/,
    before: '1,950 events/s',
    goal: '≥ 10,000 events/s',
    reads: 'value',
    met: atLeast(10_000),
  },
  {
    figure: 'end-to-end lag site → hub at 2,000 events/s, P99',
    bench: 'sync',
    row: /^end-to-end lag site → hub at .*P99$/,
    before: '656 ms',
    goal: '≤ 100 ms',
    reads: 'value',
    met: atMost(100),
  },
  {
    figure: '1,000,000-event outbox drained while capturing 200/s',
    bench: 'sync',
    row: /^drain of a [\d,]+-event outbox/,
    before: '195 s',
    goal: '≤ 120 s',
    reads: 'value',
    met: atMost(120),
  },
];

export interface GoalOutcome {
  goal: PerformanceGoal;
  row: BenchRow | undefined;
  met: boolean | undefined;
}

export function judge(goal: PerformanceGoal, rows: readonly BenchRow[]): GoalOutcome {
  const row = rows.find((r) => goal.row.test(r.metric));
  const n = row === undefined ? undefined : goal.reads === 'ratio' ? row.ratio : row.value;
  return { goal, row, met: n === undefined ? undefined : goal.met(n) };
}
