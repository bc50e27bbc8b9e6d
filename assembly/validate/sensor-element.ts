// sensorElementList: `[{sensorMetadata?, sensorReport: [≥1 report]}]`, with the schema's member
// lists for sensorMetadata and sensorReport (other members must be URI-named extensions).
import { JsonKind, JsonObject, JsonString, JsonValue } from '../json/value';
import { Vocab } from '../vocab/cbv';
import { got, notAField } from './describe-value';
import { NameTable } from './name-table';
import { isHexBinary } from './string-patterns';
import { isUri } from './uri-format';
import {
  checkBoolean,
  checkDateTime,
  checkNumber,
  checkString,
  checkUri,
  expectArray,
  expectObject,
} from './value-checks';
import { ValidationContext } from './validation-context';
import { checkVocab } from './vocab-value';

// prettier-ignore
enum Kind { Uri, Time, Number, Text, Boolean, Hex, Measurement, Alert, Component }

// prettier-ignore
const METADATA = new NameTable([
  'time', 'deviceID', 'deviceMetadata', 'rawData', 'startTime', 'endTime', 'dataProcessingMethod', 'bizRules',
]);
// prettier-ignore
const METADATA_KINDS: Kind[] = [
  Kind.Time, Kind.Uri, Kind.Uri, Kind.Uri, Kind.Time, Kind.Time, Kind.Uri, Kind.Uri,
];

// prettier-ignore
const REPORT = new NameTable([
  'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod',
  'bizRules', 'time', 'microorganism', 'chemicalSubstance', 'coordinateReferenceSystem', 'value',
  'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue',
  'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue', 'uom',
]);
// prettier-ignore
const REPORT_KINDS: Kind[] = [
  Kind.Measurement, Kind.Alert, Kind.Uri, Kind.Uri, Kind.Uri, Kind.Uri,
  Kind.Uri, Kind.Time, Kind.Uri, Kind.Uri, Kind.Uri, Kind.Number,
  Kind.Component, Kind.Text, Kind.Boolean, Kind.Hex, Kind.Uri, Kind.Number,
  Kind.Number, Kind.Number, Kind.Number, Kind.Number, Kind.Number, Kind.Text,
];

// prettier-ignore
function checkMember(ctx: ValidationContext, kind: Kind, v: JsonValue, name: string): void {
  switch (kind) {
    case Kind.Uri: checkUri(ctx, v, name); break;
    case Kind.Time: checkDateTime(ctx, v, name); break;
    case Kind.Number: checkNumber(ctx, v, name); break;
    case Kind.Text: checkString(ctx, v, name); break;
    case Kind.Boolean: checkBoolean(ctx, v, name); break;
    case Kind.Measurement: checkVocab(ctx, v, Vocab.MeasurementType, 'sensorReport type'); break;
    case Kind.Alert: checkVocab(ctx, v, Vocab.SensorAlertType, name); break;
    case Kind.Component: checkVocab(ctx, v, Vocab.Component, name); break;
    case Kind.Hex:
      if (v.kind != JsonKind.String || !isHexBinary(changetype<JsonString>(v).value)) {
        ctx.report(name + ' must be a non-empty string of hexadecimal digits' + got(v));
      }
      break;
  }
}

/** Checks the members of `o` against `table`; other members must be URI-named extensions. */
function checkMembers(
  ctx: ValidationContext,
  o: JsonObject,
  table: NameTable,
  kinds: Kind[],
  what: string,
): void {
  for (let i = 0, n = o.size; i < n && !ctx.full; i++) {
    const key = unchecked(o.keys[i]);
    const at = table.indexOf(key);
    if (at >= 0) {
      ctx.push(key);
      checkMember(ctx, unchecked(kinds[at]), unchecked(o.values[i]), key);
      ctx.pop();
    } else if (!isUri(key)) {
      ctx.reportMember(key, notAField(key, what));
    }
  }
}

function checkReports(ctx: ValidationContext, v: JsonValue): void {
  const reports = expectArray(ctx, v, 'sensorReport');
  if (reports === null) return;
  if (reports.length == 0) ctx.report('sensorReport must hold at least one report');
  for (let r = 0, m = reports.length; r < m && !ctx.full; r++) {
    ctx.pushIndex(r);
    const report = expectObject(ctx, unchecked(reports.items[r]), 'each sensorReport entry');
    if (report !== null) {
      checkMembers(ctx, report, REPORT, REPORT_KINDS, 'a sensorReport');
      if (!report.has('type'))
        ctx.reportMember('type', 'a sensorReport must have a type such as "Temperature"');
    }
    ctx.pop();
  }
}

function checkSensorElement(ctx: ValidationContext, v: JsonValue): void {
  const element = expectObject(ctx, v, 'each sensorElementList entry');
  if (element === null) return;
  let hasReport = false;
  for (let i = 0, n = element.size; i < n && !ctx.full; i++) {
    const key = unchecked(element.keys[i]);
    const value = unchecked(element.values[i]);
    ctx.push(key);
    if (key == 'sensorMetadata') {
      const metadata = expectObject(ctx, value, 'sensorMetadata');
      if (metadata !== null) checkMembers(ctx, metadata, METADATA, METADATA_KINDS, 'sensorMetadata');
    } else if (key == 'sensorReport') {
      hasReport = true;
      checkReports(ctx, value);
    } else if (!isUri(key)) {
      ctx.report(notAField(key, 'a sensor element (sensorMetadata, sensorReport)'));
    }
    ctx.pop();
  }
  if (!hasReport) ctx.reportMember('sensorReport', 'a sensor element must have a sensorReport list');
}

/** Checks sensorElementList at the current position; returns its length, or -1 when not an array. */
export function checkSensorElementList(ctx: ValidationContext, v: JsonValue): i32 {
  const array = expectArray(ctx, v, 'sensorElementList');
  if (array === null) return -1;
  for (let i = 0, n = array.length; i < n && !ctx.full; i++) {
    ctx.pushIndex(i);
    checkSensorElement(ctx, unchecked(array.items[i]));
    ctx.pop();
  }
  return array.length;
}
