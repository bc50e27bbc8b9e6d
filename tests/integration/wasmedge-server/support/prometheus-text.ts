// Reads the Prometheus text format 0.0.4 strictly enough to catch a malformed exposition: every
// sample belongs to a family declared by `# HELP` and `# TYPE` before it, names and label sets are
// well-formed, values are numbers. Used on tracker-server.wasm's GET /metrics/server.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface Exposition {
  /** Family name → its TYPE. */
  types: Map<string, MetricType>;
  /** `name{labels}` exactly as written (`name` alone without labels) → value. */
  samples: Map<string, number>;
}

const HELP = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$/;
const TYPE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\})? (\S+)$/;

/** The family a sample belongs to: histograms write `_bucket`, `_sum` and `_count` lines. */
function familyOf(name: string, types: Map<string, MetricType>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' ? base : undefined;
}

export function parseExposition(text: string): Exposition {
  const types = new Map<string, MetricType>();
  const samples = new Map<string, number>();
  const helped = new Set<string>();
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line);
    if (help !== null) {
      helped.add(help[1]!);
      continue;
    }
    const type = TYPE.exec(line);
    if (type !== null) {
      if (!helped.has(type[1]!)) throw new Error(`TYPE before HELP: ${line}`);
      if (types.has(type[1]!)) throw new Error(`family declared twice: ${line}`);
      types.set(type[1]!, type[2] as MetricType);
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`not a Prometheus text line: ${JSON.stringify(line)}`);
    if (familyOf(sample[1]!, types) === undefined) throw new Error(`sample of an undeclared family: ${line}`);
    const value = Number(sample[3]);
    if (Number.isNaN(value) && sample[3] !== 'NaN') throw new Error(`not a number: ${line}`);
    const key = `${sample[1]!}${sample[2] ?? ''}`;
    if (samples.has(key)) throw new Error(`sample written twice: ${line}`);
    samples.set(key, value);
  }
  return { types, samples };
}

/** The value of `key` (`name{labels}` as written); fails when the sample is missing. */
export function valueOf(exposition: Exposition, key: string): number {
  const value = exposition.samples.get(key);
  if (value === undefined) throw new Error(`no sample ${key}`);
  return value;
}

/** GET /metrics/server, parsed; fails on a status other than 200. */
export async function scrape(baseUrl: string): Promise<{ contentType: string; exposition: Exposition }> {
  const response = await fetch(`${baseUrl}/metrics/server`, { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics/server answered ${response.status}: ${text}`);
  return { contentType: response.headers.get('content-type') ?? '', exposition: parseExposition(text) };
}
