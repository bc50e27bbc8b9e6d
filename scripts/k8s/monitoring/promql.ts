// PromQL as Prometheus' own editor grammar (@prometheus-io/lezer-promql) reads it: whether an
// expression parses, and which metric names its selectors use. The monitoring checks hold every
// dashboard query and rule to it.
import { parser } from '@prometheus-io/lezer-promql';

export interface ParsedPromql {
  /** Empty when the expression parses; else where it stops making sense. */
  errors: string[];
  /** Metric names of its vector selectors, sorted, once each. */
  metricNames: string[];
}

export function parsePromql(expr: string): ParsedPromql {
  const errors: string[] = [];
  const names = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError)
      errors.push(`syntax error at ${cursor.from}: '${expr.slice(cursor.from, cursor.from + 20)}'`);
    if (cursor.type.name === 'Identifier' && cursor.node.parent?.type.name === 'VectorSelector')
      names.add(expr.slice(cursor.from, cursor.to));
    // {__name__=...} would hide a metric name from this check: refuse it rather than miss it.
    if (cursor.type.name === 'LabelName' && expr.slice(cursor.from, cursor.to) === '__name__')
      errors.push('selects by __name__: name the metric instead');
  } while (cursor.next());
  return { errors, metricNames: [...names].sort() };
}

/** The family a sample name belongs to: a histogram's _bucket, _sum and _count series are its own. */
export function familyName(metric: string, histograms: ReadonlySet<string>): string {
  const base = metric.replace(/_(bucket|sum|count)$/, '');
  return base !== metric && histograms.has(base) ? base : metric;
}
