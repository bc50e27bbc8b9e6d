// A POST /queries body's `query` (EPCIS 2.0 query schema, JSON) → the parameters GET /events takes
// → EventQuery. Named queries and GET /events share one parser (parseEventQuery) and one SQL
// compiler, so a query means the same thing whichever way it arrives; only the JSON-to-parameter
// step lives here. Every problem is a QueryValidationException naming the member to fix.
import type { EventQuery, IdentifierCanon } from '../query/event-query.js';
import { parseEventQuery } from '../query/parse-query.js';

export type QueryParams = Record<string, string>;

export interface QueryBodyProblem {
  /** The member of the query body (or of the request body) the client has to change. */
  field: string;
  detail: string;
}

export type QueryBodyResult =
  { ok: true; params: QueryParams; query: EventQuery } | { ok: false; problem: QueryBodyProblem };

// Paging belongs to the reader of a named query (GET /queries/{name}/events?perPage=…), not to its
// definition; the query schema does not list them either.
const PAGING = new Set(['perPage', 'nextPageToken']);

/** Checks a stored or submitted query body and parses it with the GET /events parser. */
export function parseQueryBody(body: unknown, canon: IdentifierCanon): QueryBodyResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(
      'query',
      'query must be a JSON object of EPCIS query parameters, like {"eventType":["ObjectEvent"]}.',
    );
  }
  // No prototype: a member named "__proto__" (JSON.parse keeps it as an own key) becomes a parameter
  // the parser refuses by name, instead of an assignment that replaces the prototype and vanishes.
  const params: QueryParams = Object.create(null) as QueryParams;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    // The query schema allows a JSON-LD @context; it names the schema and changes no parameter.
    if (name === '@context') continue;
    if (PAGING.has(name)) {
      return fail(
        `query.${name}`,
        `query.${name} is a paging parameter, not part of a query definition; pass it to GET /queries/{name}/events instead.`,
      );
    }
    const text = parameterText(name, value);
    if (typeof text !== 'string') return fail(`query.${name}`, `query.${name} ${text.problem}.`);
    params[name] = text;
  }
  const parsed = parseEventQuery(params, canon);
  if (!parsed.ok) {
    const { parameter, detail } = parsed.problem;
    return fail(
      `query.${parameter}`,
      `query.${detail.replace(/is not a query parameter of GET \/events/, 'is not an EPCIS query parameter')}`,
    );
  }
  return { ok: true, params, query: parsed.query };
}

/** One JSON member as the query-string value GET /events would get (lists pipe-delimited). */
function parameterText(name: string, value: unknown): string | { problem: string } {
  // EXISTS_* are "integer, nullable" in the query schema: their presence is the condition.
  if (name.startsWith('EXISTS_') && (value === null || typeof value === 'number')) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const scalar = typeof item === 'string' ? item : typeof item === 'number' ? String(item) : null;
      if (scalar === null) return { problem: 'must list strings or numbers only' };
      // The list travels pipe-delimited to the parser, so a value cannot itself hold a "|".
      if (scalar.includes('|')) return { problem: `has "${scalar}", which contains "|"; no query value may` };
      items.push(scalar);
    }
    if (items.length === 0) return { problem: 'is an empty list; give at least one value or leave it out' };
    return items.join('|');
  }
  return { problem: 'must be a string, a number, a boolean or a list of strings' };
}

function fail(field: string, detail: string): { ok: false; problem: QueryBodyProblem } {
  return { ok: false, problem: { field, detail } };
}
