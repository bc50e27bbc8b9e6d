// The last step of `npm run bench`: reads the results every bench just wrote and prints issue 12's
// goal table (before → now, ratio to the same run's baseline, met or not), written as well to
// bench/results/goals.{json,md}. A goal whose row is missing (its bench not run) says so.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '../lib/report.js';
import { machine } from '../lib/report.js';
import { type GoalOutcome, PERFORMANCE_GOALS, judge } from './performance-goals.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/results');

function resultRows(bench: string): BenchRow[] {
  const file = join(RESULTS_DIR, `${bench}.json`);
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { rows: BenchRow[] }).rows;
}

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

function nowCell({ row }: GoalOutcome): string {
  if (row === undefined) return 'not measured';
  const ratio = row.ratio === undefined ? '' : ` (${row.ratio.toFixed(2)}× ${row.baseline ?? ''})`.trimEnd();
  return `${formatNumber(row.value)} ${row.unit}${ratio}`;
}

const outcomes = PERFORMANCE_GOALS.map((goal) => judge(goal, resultRows(goal.bench)));
const lines = outcomes.map(
  (o) =>
    `| ${o.goal.figure} | ${o.goal.before} | ${nowCell(o)} | ${o.goal.goal} | ${o.met === undefined ? '—' : o.met ? 'met' : 'missed'} |`,
);
const info = machine();
const table = [
  '| figure | before (first wave) | now | goal | |',
  '|---|---|---|---|---|',
  ...lines,
  '',
  `machine: ${String(info['cpu'])}, ${String(info['cores'])} cores, node ${String(info['node'])}`,
].join('\n');
console.log(`\n## Performance goals (issue 12)\n\n${table}`);
writeFileSync(
  join(RESULTS_DIR, 'goals.json'),
  JSON.stringify(
    {
      machine: info,
      goals: outcomes.map((o) => ({
        figure: o.goal.figure,
        before: o.goal.before,
        goal: o.goal.goal,
        row: o.row ?? null,
        met: o.met ?? null,
      })),
    },
    null,
    2,
  ),
);
writeFileSync(join(RESULTS_DIR, 'goals.md'), `# Performance goals (issue 12)\n\n${table}\n`);
