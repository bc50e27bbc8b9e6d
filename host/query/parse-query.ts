// GET /events query parameters → EventQuery. Every parameter must be known, given once, and well
// typed; the first one that is not becomes a QueryParameterException naming it, so the client learns
// exactly which parameter to fix (EPCIS 2.0 §8.2.7; openepcis Query_with_unknown_parameter).
import type { IdentifierCanon, ParseResult } from './event-query.js';
import { FIXED_PARAMETERS } from './fixed-parameters.js';
import { lookupPatternParameter } from './pattern-parameters.js';
import { createDraft, finishDraft, problem, type ParameterHandler } from './query-draft.js';
import { countListedValues, MAX_QUERY_VALUES, overBudget } from './query-value-budget.js';
import { SENSOR_PARAMETERS } from './sensor-parameters.js';
import { suggestParameter } from './suggest-parameter.js';

export type QueryParameters = URLSearchParams | Record<string, string | string[]>;

const KNOWN_NAMES = [...FIXED_PARAMETERS.keys(), ...SENSOR_PARAMETERS.keys()];

/**
 * Parses the query string of GET /events (and of the other event resources). A name that appears
 * more than once is an error: multiple values travel in one parameter, pipe-delimited
 * (`eventType=ObjectEvent|AggregationEvent`). A POST /queries body should be handed over in the same
 * form, with its arrays joined by "|".
 */
export function parseEventQuery(params: QueryParameters, canon: IdentifierCanon): ParseResult {
  const draft = createDraft();
  let listed = 0;
  for (const [name, values] of groupByName(params)) {
    const [value] = values;
    if (values.length !== 1 || value === undefined) {
      return problem(
        name,
        `${name} is given ${values.length} times; send it once, with several values separated by "|".`,
      );
    }
    // Checked before the values are read, so a huge list is refused without parsing every item.
    listed += countListedValues(value);
    if (listed > MAX_QUERY_VALUES) return problem(name, sentence(name, overBudget(listed)));
    const handler = resolve(name);
    if ('problem' in handler) return problem(name, sentence(name, handler.problem));
    const detail = handler.handler(draft, value, canon);
    if (detail !== null) return problem(name, sentence(name, detail));
  }
  return finishDraft(draft);
}

function resolve(name: string): { handler: ParameterHandler } | { problem: string } {
  const fixed = FIXED_PARAMETERS.get(name) ?? SENSOR_PARAMETERS.get(name);
  if (fixed !== undefined) return { handler: fixed };
  const pattern = lookupPatternParameter(name);
  if (pattern !== null) return pattern;
  const suggestion = suggestParameter(name, KNOWN_NAMES);
  return {
    problem:
      suggestion === null
        ? 'is not a query parameter of GET /events; see the EPCIS 2.0 query parameters (eventType, GE_eventTime, EQ_bizStep, MATCH_epc, …)'
        : `is not a query parameter of GET /events; did you mean ${suggestion}?`,
  };
}

function groupByName(params: QueryParameters): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  const entries: Iterable<[string, string | string[]]> =
    params instanceof URLSearchParams ? params.entries() : Object.entries(params);
  for (const [name, value] of entries) {
    const list = grouped.get(name) ?? [];
    list.push(...(Array.isArray(value) ? value : [value]));
    grouped.set(name, list);
  }
  return grouped;
}

function sentence(name: string, phrase: string): string {
  const text = `${name} ${phrase}`;
  return /[.?!]$/.test(text) ? text : `${text}.`;
}
