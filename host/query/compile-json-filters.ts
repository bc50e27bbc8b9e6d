// Conditions on what only the stored event JSON holds (extension fields, sensor data), written with
// SQLite's JSON functions over `e.body`. These cannot use an index; they narrow rows that the indexed
// filters (or the order index) already produce. Field names reach SQL only as bound JSON paths.
import { OPERATOR, placeholders, type SqlFragment } from './sql-fragment.js';
import type { ExtensionScope, QueryFilter, SensorCondition, ValueTest } from './event-query.js';

type Expr = (params: unknown[]) => string;

// ISO 8601 text → epoch ms; NULL (so no match) when the stored text is not a date-time. Numbers are
// excluded first: SQLite would read them as Julian day numbers.
function instantOf(v: Expr, params: unknown[]): string {
  const typed = v(params);
  return `iif(typeof(${typed}) = 'text', round(unixepoch(${v(params)}, 'subsec') * 1000))`;
}
const member = (field: string): string => `$."${field}"`;
// The store flags events with sensor data; checking the flag first spares parsing every other body.
const SENSOR_GUARD = 'e.has_sensor_data = 1';

/** SQL testing the value `v` yields; `v` pushes its own parameters each time it is used. */
function valueTest(v: Expr, test: ValueTest, params: unknown[]): string {
  if (test.op === 'EXISTS') return `${v(params)} IS NOT NULL`;
  if (test.op === 'EQ') {
    const arms: string[] = [];
    if (test.texts.length > 0) {
      arms.push(`${v(params)} IN (${placeholders(test.texts)})`);
      params.push(...test.texts);
    }
    if (test.numbers.length > 0) {
      arms.push(`${v(params)} IN (${placeholders(test.numbers)})`);
      params.push(...test.numbers);
    }
    if (test.instantsMs.length > 0) {
      arms.push(`${instantOf(v, params)} IN (${placeholders(test.instantsMs)})`);
      params.push(...test.instantsMs);
    }
    return arms.length === 0 ? '0' : `(${arms.join(' OR ')})`;
  }
  if ('number' in test) {
    const typed = `typeof(${v(params)}) IN ('integer', 'real')`;
    const sql = `(${typed} AND ${v(params)} ${OPERATOR[test.op]} ?)`;
    params.push(test.number);
    return sql;
  }
  const sql = `${instantOf(v, params)} ${OPERATOR[test.op]} ?`;
  params.push(test.instantMs);
  return sql;
}

const bound =
  (sql: string, ...values: unknown[]): Expr =>
  (params) => {
    params.push(...values);
    return sql;
  };

// Where each scope's fields live: the JSON path of its object and, for repeated structures, the
// json_each joins that enumerate them.
const SCOPE: Readonly<Record<ExtensionScope, { from: string; doc: string; path: string }>> = {
  event: { from: '', doc: 'e.body', path: '$' },
  ilmd: { from: '', doc: 'e.body', path: '$.ilmd' },
  errorDeclaration: { from: '', doc: 'e.body', path: '$.errorDeclaration' },
  readPoint: { from: '', doc: 'e.body', path: '$.readPoint' },
  bizLocation: { from: '', doc: 'e.body', path: '$.bizLocation' },
  sensorElement: { from: `json_each(e.body, '$.sensorElementList') se`, doc: 'se.value', path: '$' },
  sensorMetadata: {
    from: `json_each(e.body, '$.sensorElementList') se`,
    doc: 'se.value',
    path: '$.sensorMetadata',
  },
  sensorReport: {
    from: `json_each(e.body, '$.sensorElementList') se, json_each(se.value, '$.sensorReport') sr`,
    doc: 'sr.value',
    path: '$',
  },
};

/**
 * EQ_/GT_/…/EXISTS_ on an extension field. Without INNER_ the field is a direct member of the scope's
 * object; with INNER_ it is anywhere deeper inside it (nested in another extension element).
 */
export function compileExtensionFilter(filter: Extract<QueryFilter, { kind: 'extension' }>): SqlFragment {
  const scope = SCOPE[filter.scope];
  const params: unknown[] = [];
  if (filter.inner) {
    // json_tree rows directly under the scope object have that object's path ('$' for the root row
    // itself), so excluding both leaves the deeper ones.
    const from = [scope.from, `json_tree(${scope.doc}, ?) t`].filter((f) => f !== '').join(', ');
    const guard = scope.from === '' ? '' : `${SENSOR_GUARD} AND `;
    params.push(scope.path, filter.field, scope.path);
    const test = filter.test.op === 'EXISTS' ? '1' : valueTest(bound('t.atom'), filter.test, params);
    return {
      sql: `${guard}EXISTS (SELECT 1 FROM ${from} WHERE t.key = ? AND t.path NOT IN ('$', ?) AND ${test})`,
      params,
    };
  }
  const path = scope.path === '$' ? member(filter.field) : `${scope.path}.${member(filter.field).slice(2)}`;
  const v: Expr =
    filter.test.op === 'EXISTS'
      ? bound(`json_type(${scope.doc}, ?)`, path)
      : bound(`json_extract(${scope.doc}, ?)`, path);
  const test = valueTest(v, filter.test, params);
  return {
    sql: scope.from === '' ? test : `${SENSOR_GUARD} AND EXISTS (SELECT 1 FROM ${scope.from} WHERE ${test})`,
    params,
  };
}

/** All sensor conditions, which must hold for one sensorReport and its element's sensorMetadata. */
export function compileSensorFilter(conditions: SensorCondition[]): SqlFragment {
  const params: unknown[] = [];
  const tests = conditions.map((c) =>
    c.kind === 'field' ? fieldTest(c, params) : measurementTest(c, params),
  );
  return {
    sql: `${SENSOR_GUARD} AND EXISTS (SELECT 1 FROM ${SCOPE.sensorReport.from} WHERE ${tests.join(' AND ')})`,
    params,
  };
}

function fieldTest(c: Extract<SensorCondition, { kind: 'field' }>, params: unknown[]): string {
  const report = `json_extract(sr.value, ?)`;
  const metadata = `json_extract(se.value, ?)`;
  const v: Expr = (p) => {
    if (c.from === 'report') p.push(member(c.field));
    else if (c.from === 'metadata') p.push(`$.sensorMetadata.${member(c.field).slice(2)}`);
    else p.push(member(c.field), `$.sensorMetadata.${member(c.field).slice(2)}`);
    return c.from === 'report'
      ? report
      : c.from === 'metadata'
        ? metadata
        : `coalesce(${report}, ${metadata})`;
  };
  return valueTest(v, c.test, params);
}

// Thresholds were converted into every unit of the measured dimension when the query was parsed
// (uom-conversion.ts); equality allows for the rounding those conversions introduce.
function measurementTest(c: Extract<SensorCondition, { kind: 'measurement' }>, params: unknown[]): string {
  const arms = c.thresholds.map(({ uom, value }) => {
    params.push(uom, member(c.field));
    const compare =
      c.op === 'EQ'
        ? `abs(json_extract(sr.value, ?) - ?) <= ?`
        : `json_extract(sr.value, ?) ${OPERATOR[c.op]} ?`;
    params.push(...(c.op === 'EQ' ? [value, Math.max(1, Math.abs(value)) * 1e-9] : [value]));
    return `(json_extract(sr.value, '$.uom') = ? AND ${compare})`;
  });
  return `(${arms.join(' OR ')})`;
}
