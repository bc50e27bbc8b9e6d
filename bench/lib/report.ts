// Prints a benchmark table and writes it, with the machine it ran on, to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** Ratio to the baseline measured in the same run, when there is one. */
  ratio?: number;
  baseline?: string;
  goal?: string;
}

export function machine(): Record<string, unknown> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/results');

function format(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

export function report(name: string, rows: BenchRow[], notes: Record<string, unknown> = {}): string {
  const header = '| metric | value | unit | ratio to baseline | goal |\n|---|---:|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.metric} | ${format(r.value)} | ${r.unit} | ${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}× ${r.baseline ?? ''}`} | ${r.goal ?? ''} |`,
  );
  const info = machine();
  const table = `${header}\n${lines.join('\n')}\n\nmachine: ${info['cpu']}, ${info['cores']} cores, node ${info['node']}`;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify({ machine: info, rows, notes }, null, 2));
  writeFileSync(join(RESULTS_DIR, `${name}.md`), `# ${name}\n\n${table}\n`);
  console.log(table);
  return table;
}
