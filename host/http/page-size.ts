// perPage (OpenAPI PerPage), read one way by every paged route: whole decimal digits, at least 1,
// with the same rule GET /events applies (parseCount), so `1e2`, `30.0` or `1e400` are a 400
// naming perPage everywhere. A value above the route's ceiling is served as the ceiling: the
// OpenAPI lets a server keep a global upper limit the client cannot override.
import { parseCount } from '../query/parse-scalar-values.js';
import { problem, type Problem } from './problem.js';

export interface PageSizeRule {
  /** Served when perPage is absent (the OpenAPI default is 30). */
  defaultSize: number;
  /** Most items one page of this route holds. */
  ceiling: number;
}

export type PageSize = { ok: true; size: number } | { ok: false; problem: Problem };

export const DEFAULT_PAGE_SIZE = 30;

/** `value` as the query string parser gives it: absent, one string, or an array when repeated. */
export function readPageSize(value: unknown, rule: PageSizeRule): PageSize {
  if (value === undefined) return { ok: true, size: Math.min(rule.defaultSize, rule.ceiling) };
  if (typeof value !== 'string') return refuse('perPage may be given once');
  const count = parseCount(value);
  if (!count.ok) return refuse(`perPage ${count.detail}`);
  return { ok: true, size: Math.min(count.value, rule.ceiling) };
}

function refuse(detail: string): PageSize {
  return { ok: false, problem: problem('QueryParameterException', detail, { parameter: 'perPage' }) };
}
