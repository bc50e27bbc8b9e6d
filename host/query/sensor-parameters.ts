// Sensor-data parameters: the fixed ones of the OpenAPI (GE_/LT_ startTime, endTime, time; EQ_type,
// EQ_deviceID, …; GE_/GT_/LT_/LE_percRank) and the unit-bearing value forms of QSCHEMA
// (EQ_value_CEL, GE_maxValue_KEL, …). All sensor conditions of one query must hold for the same
// sensorReport (and its element's sensorMetadata): "a reading of type Temperature above 30 °C" is one
// reading, not a Temperature reading somewhere and a hot reading elsewhere.
//
// Sensor data lives only in the stored event JSON, kept as captured, so identifier-valued fields are
// matched in the spelling the query gives and in its canonical Digital Link form.
import { measurementTypeSpellings } from './cbv-vocabulary.js';
import type { Comparison, SensorCondition, ValueTest } from './event-query.js';
import { readValueTest } from './parse-extension-parameter.js';
import { parseDecimal, parseFlag, readUri, type Read } from './parse-scalar-values.js';
import { mapRead, readEach } from './parameter-readers.js';
import type { ParameterHandler } from './query-draft.js';
import { equivalentThresholds } from './uom-conversion.js';

type From = 'report' | 'metadata' | 'either';

const condition =
  (
    field: string,
    from: From,
    read: (value: string, canon: (id: string) => string) => Read<ValueTest | null>,
  ): ParameterHandler =>
  (draft, value, canon) => {
    const test = read(value, (id) => canon.canonical(id));
    if (!test.ok) return test.detail;
    if (test.value !== null) draft.sensor.push({ kind: 'field', field, from, test: test.value });
    return null;
  };

const equalTexts = (texts: string[]): ValueTest => ({
  op: 'EQ',
  texts: [...new Set(texts)],
  numbers: [],
  instantsMs: [],
});

const timeBound = (field: string, from: From, op: 'GE' | 'LT') =>
  condition(field, from, (value) => {
    const test = readValueTest(op, value);
    if (test.ok && test.value !== null && !('instantMs' in test.value)) {
      return {
        ok: false,
        detail: `must be an RFC 3339 date-time, like 2026-03-01T08:00:00Z; got "${value}"`,
      };
    }
    return test;
  });

const uriField = (field: string, from: From) =>
  condition(field, from, (value, canonical) => {
    const items = readEach(value, readUri);
    return items.ok
      ? { ok: true, value: equalTexts(items.value.flatMap((id) => [id, canonical(id)])) }
      : items;
  });

const stringField = (field: string, caseless = false) =>
  condition(field, 'report', (value) => {
    const items = readEach(value, (item) => ({ ok: true, value: item }));
    if (!items.ok) return items;
    // hexBinary is case-insensitive (XML Schema), so both common spellings are looked for.
    const texts = caseless ? items.value.flatMap((t) => [t, t.toUpperCase(), t.toLowerCase()]) : items.value;
    return { ok: true, value: equalTexts(texts) };
  });

const measurementType = condition('type', 'report', (value) => {
  const spellings = readEach(value, measurementTypeSpellings);
  return spellings.ok ? { ok: true, value: equalTexts(spellings.value.flat()) } : spellings;
});

// JSON true/false read back from SQLite as 1/0.
const booleanValue = condition('booleanValue', 'report', (value) => {
  const on = parseFlag(value, false);
  return on.ok
    ? { ok: true, value: { op: 'EQ', texts: [], numbers: [on.value ? 1 : 0], instantsMs: [] } }
    : on;
});

const percRank = (op: 'GT' | 'GE' | 'LT' | 'LE') =>
  condition('percRank', 'report', (value) => {
    const number = parseDecimal(value);
    return number.ok ? { ok: true, value: { op, number: number.value } } : number;
  });

export const SENSOR_PARAMETERS: ReadonlyMap<string, ParameterHandler> = new Map<string, ParameterHandler>([
  ['GE_time', timeBound('time', 'either', 'GE')],
  ['LT_time', timeBound('time', 'either', 'LT')],
  ['GE_startTime', timeBound('startTime', 'metadata', 'GE')],
  ['LT_startTime', timeBound('startTime', 'metadata', 'LT')],
  ['GE_endTime', timeBound('endTime', 'metadata', 'GE')],
  ['LT_endTime', timeBound('endTime', 'metadata', 'LT')],
  ['EQ_type', measurementType],
  ['EQ_deviceID', uriField('deviceID', 'either')],
  ['EQ_dataProcessingMethod', uriField('dataProcessingMethod', 'either')],
  ['EQ_bizRules', uriField('bizRules', 'either')],
  ['EQ_microorganism', uriField('microorganism', 'report')],
  ['EQ_chemicalSubstance', uriField('chemicalSubstance', 'report')],
  ['EQ_uriValue', uriField('uriValue', 'report')],
  ['EQ_stringValue', stringField('stringValue')],
  ['EQ_hexBinaryValue', stringField('hexBinaryValue', true)],
  ['EQ_booleanValue', booleanValue],
  ['GT_percRank', percRank('GT')],
  ['GE_percRank', percRank('GE')],
  ['LT_percRank', percRank('LT')],
  ['LE_percRank', percRank('LE')],
]);

const MEASUREMENT = /^(EQ|GT|GE|LT|LE)_(value|minValue|maxValue|meanValue|sDev|percValue)_([A-Z0-9]{2,4})$/;

/** EQ_value_<UOM> (a list) and GT_/GE_/LT_/LE_ <measurement>_<UOM>; null when `name` is not one. */
export function measurementParameter(name: string): ParameterHandler | null {
  const m = MEASUREMENT.exec(name);
  if (m === null || (m[1] === 'EQ' && m[2] !== 'value')) return null;
  const op = m[1] as Comparison;
  const field = m[2] ?? '';
  const uom = m[3] ?? '';
  return (draft, value) => {
    const numbers = op === 'EQ' ? readEach(value, parseDecimal) : mapRead([value], parseDecimal);
    if (!numbers.ok) return numbers.detail;
    const thresholds = numbers.value.flatMap((n) => equivalentThresholds(uom, n));
    const measurement: SensorCondition = { kind: 'measurement', field, op, thresholds };
    draft.sensor.push(measurement);
    return null;
  };
}
