// Building blocks shared by the fixed- and pattern-named parameter tables: each turns a raw value
// into a filter on the draft, or returns the sentence explaining why it cannot.
import { expandVocabularyValue, type Vocabulary } from './cbv-vocabulary.js';
import type {
  Comparison,
  EpcRole,
  EventColumn,
  IdentifierCanon,
  LinkKind,
  TimeColumn,
} from './event-query.js';
import { readCanonicalIds, readIdentifierMatch, readLocations } from './parse-identifier-values.js';
import { parseDecimal, parseInstantMs, splitPipeList, type Read } from './parse-scalar-values.js';
import type { ParameterHandler } from './query-draft.js';

/** Reads a pipe-delimited list item by item. */
export function readEach<T>(value: string, read: (item: string) => Read<T>): Read<T[]> {
  const items = splitPipeList(value);
  return items.ok ? mapRead(items.value, read) : items;
}

/** Reads every item, stopping at the first that fails. */
export function mapRead<T>(items: string[], read: (item: string) => Read<T>): Read<T[]> {
  const out: T[] = [];
  for (const item of items) {
    const one = read(item);
    if (!one.ok) return one;
    out.push(one.value);
  }
  return { ok: true, value: out };
}

/** Reads a pipe-delimited list as a whole (for readers that take the list). */
export function readList<T>(value: string, read: (items: string[]) => Read<T>): Read<T> {
  const items = splitPipeList(value);
  return items.ok ? read(items.value) : items;
}

export const columnIn =
  (column: EventColumn, read: (item: string) => Read<string>): ParameterHandler =>
  (draft, value) => {
    const values = readEach(value, read);
    if (!values.ok) return values.detail;
    draft.filters.push({ kind: 'column-in', column, values: values.value });
    return null;
  };

export const vocabularyIn = (column: EventColumn, vocabulary: Vocabulary): ParameterHandler =>
  columnIn(column, (item) => expandVocabularyValue(vocabulary, item));

export const identifiersIn =
  (column: EventColumn): ParameterHandler =>
  (draft, value, canon) => {
    const values = readList(value, (items) => readCanonicalIds(items, canon));
    if (!values.ok) return values.detail;
    draft.filters.push({ kind: 'column-in', column, values: values.value });
    return null;
  };

export const locationWithin =
  (column: 'read_point' | 'biz_location'): ParameterHandler =>
  (draft, value, canon) => {
    const match = readList(value, (items) => readLocations(items, canon, true));
    if (!match.ok) return match.detail;
    draft.filters.push({ kind: 'location-within', column, ...match.value });
    return null;
  };

export const identifierMatch =
  (roles: EpcRole[], level: 'instance' | 'class'): ParameterHandler =>
  (draft, value, canon) => {
    const match = readList(value, (items) => readIdentifierMatch(items, canon, level));
    if (!match.ok) return match.detail;
    draft.filters.push({ kind: 'identifier', roles, ...match.value });
    return null;
  };

export const linkIn =
  (
    link: LinkKind,
    type: string | null,
    read: (items: string[], canon: IdentifierCanon) => Read<string[]>,
  ): ParameterHandler =>
  (draft, value, canon) => {
    const values = readList(value, (items) => read(items, canon));
    if (!values.ok) return values.detail;
    draft.filters.push({ kind: 'link', link, type, values: values.value });
    return null;
  };

export const timeBound =
  (column: TimeColumn, bound: 'geMs' | 'ltMs'): ParameterHandler =>
  (draft, value) => {
    const instant = parseInstantMs(value);
    if (!instant.ok) return instant.detail;
    const range = (draft.times[column] ??= {});
    // Only reachable through the two spellings of the error declaration time (OAS vs QSCHEMA).
    if (range[bound] !== undefined)
      return 'is given twice under its two spellings (…errorDeclarationTime and …errorDeclaration_Time); send it once';
    range[bound] = instant.value;
    return null;
  };

/**
 * EQ_/GT_/GE_/LT_/LE_quantity and their _<UOM> forms (`uom` '' for the forms without a unit). The
 * OpenAPI words the unit-less form as "a quantity field as part of a QuantityElement", so it looks
 * at every quantity element whatever its uom; the _<UOM> forms look only at elements in that unit.
 * All conditions sharing a unit must hold for one and the same quantity element.
 */
export const quantityCondition =
  (op: Comparison, uom: string): ParameterHandler =>
  (draft, value) => {
    const entry = draft.quantities.get(uom) ?? { equals: null, bounds: [] };
    if (op === 'EQ') {
      const values = readEach(value, parseDecimal);
      if (!values.ok) return values.detail;
      entry.equals = values.value;
    } else {
      const number = parseDecimal(value);
      if (!number.ok) return number.detail;
      entry.bounds.push({ op, value: number.value });
    }
    draft.quantities.set(uom, entry);
    return null;
  };
