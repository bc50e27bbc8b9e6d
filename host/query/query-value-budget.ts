// How many values one event query may list, over all its parameters. Each value becomes at least one
// bound SQL parameter, and a pattern or a parameter also an OR term, a UNION ALL arm or an AND term.
// SQLite (as better-sqlite3 builds it) refuses a statement with more than 32,766 bound parameters, 500
// terms in one compound SELECT or an expression nested 1,000 deep; past those a query failed only
// when it ran, so a stored named query answered 500 "too many SQL variables" on every read. 500
// values keep every compiled query under all three (tests/unit/queries/named-query-limits.test.ts
// runs each list kind at the budget). A GET /events URL within the default MAX_URL_LENGTH of 8192
// characters reaches it only with values of a dozen characters or fewer.
export const MAX_QUERY_VALUES = 500;

/** The values one parameter lists: pipe-delimited lists count each item, anything else counts one. */
export function countListedValues(value: string): number {
  let count = 1;
  for (let i = value.indexOf('|'); i !== -1; i = value.indexOf('|', i + 1)) count += 1;
  return count;
}

/** The sentence for the parameter that takes the query past the budget (the parser adds its name). */
export function overBudget(listed: number): string {
  return `brings the query to ${listed} values; a query may list at most ${MAX_QUERY_VALUES} values over all its parameters. Split it into several queries`;
}
