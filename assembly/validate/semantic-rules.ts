// EPCIS rules the JSON schema cannot express (EPCIS.md §1.2, §1.3, §3.1; gs1/EPCIS draft test
// cases TCR53 SensorElement step 29 and TCR54 AssociationEvent step 3; draft M122). These make us
// stricter than the schema, on purpose:
// - an AggregationEvent with action ADD or DELETE needs a parentID (the schema only says so for
//   AssociationEvent, where it requires parentID outright);
// - a sensor attribute (time, deviceID, deviceMetadata, rawData, dataProcessingMethod, bizRules)
//   may be stated in sensorMetadata or in a sensorReport, not both;
// - sensorMetadata.time must not be later than eventTime.
// The two sensor rules apply only with validationOptions.strictSensorRules (see why there).
// Children for ADD/OBSERVE on Aggregation/AssociationEvent are already schema rules (presence-rules.ts).
import { daysFromCivil, DateTime } from '../time/date-time';
import { JsonArray, JsonKind, JsonObject, JsonString, JsonValue } from '../json/value';
import { parseDateTime } from '../time/date-time';
import { quote } from './describe-value';
import { Action, EventFacts } from './event-facts';
import { EventType, Field } from './event-fields';
import { NameTable } from './name-table';
import { ValidationContext } from './validation-context';
import { validationOptions } from './validation-options';

const SHARED = new NameTable([
  'time',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
]);

/** Orders two instants exactly (to any fractional precision): negative, zero or positive. */
function compareInstants(a: DateTime, b: DateTime): i32 {
  const sa =
    daysFromCivil(a.year, a.month, a.day) * 86400 +
    <i64>(a.hour * 3600 + a.minute * 60 + a.second - a.offsetMinutes * 60);
  const sb =
    daysFromCivil(b.year, b.month, b.day) * 86400 +
    <i64>(b.hour * 3600 + b.minute * 60 + b.second - b.offsetMinutes * 60);
  if (sa != sb) return sa < sb ? -1 : 1;
  const fa = a.fraction;
  const fb = b.fraction;
  const n = fa.length > fb.length ? fa.length : fb.length;
  for (let i = 0; i < n; i++) {
    const da = i < fa.length ? fa.charCodeAt(i) : 48;
    const db = i < fb.length ? fb.charCodeAt(i) : 48;
    if (da != db) return da - db;
  }
  return 0;
}

function timeOf(v: JsonValue | null): DateTime | null {
  if (v === null || v.kind != JsonKind.String) return null;
  return parseDateTime(changetype<JsonString>(v).value);
}

function checkMetadataTime(ctx: ValidationContext, metadata: JsonObject, eventTime: DateTime | null): void {
  const time = metadata.get('time');
  const metadataTime = timeOf(time);
  if (eventTime === null || metadataTime === null || compareInstants(metadataTime, eventTime) <= 0) return;
  const shown = quote(changetype<JsonString>(time).value);
  ctx.push('sensorMetadata');
  ctx.reportMember(
    'time',
    `sensorMetadata time ${shown} is later than the eventTime; a reading cannot postdate its event`,
  );
  ctx.pop();
}

/** Reports each sensorReport member that sensorMetadata already states (bit i of `shared` = SHARED name i). */
function checkRestated(ctx: ValidationContext, reports: JsonArray, shared: u32): void {
  ctx.push('sensorReport');
  for (let r = 0, m = reports.length; r < m && !ctx.full; r++) {
    const report = unchecked(reports.items[r]).asObject();
    if (report === null) continue;
    ctx.pushIndex(r);
    for (let i = 0, n = report.size; i < n && !ctx.full; i++) {
      const key = unchecked(report.keys[i]);
      const at = SHARED.indexOf(key);
      if (at < 0 || (shared & ((<u32>1) << (<u32>at))) == 0) continue;
      ctx.reportMember(
        key,
        `${key} is given both in sensorMetadata and in this sensorReport; state it in one place`,
      );
    }
    ctx.pop();
  }
  ctx.pop();
}

function checkSensorElement(ctx: ValidationContext, element: JsonObject, eventTime: DateTime | null): void {
  const metadata = element.getObject('sensorMetadata');
  if (metadata === null) return;
  checkMetadataTime(ctx, metadata, eventTime);
  let shared: u32 = 0;
  for (let i = 0, n = metadata.size; i < n; i++) {
    const at = SHARED.indexOf(unchecked(metadata.keys[i]));
    if (at >= 0) shared |= (<u32>1) << (<u32>at);
  }
  const reports = element.getArray('sensorReport');
  if (shared != 0 && reports !== null) checkRestated(ctx, reports, shared);
}

export function checkSemanticRules(
  ctx: ValidationContext,
  event: JsonObject,
  type: EventType,
  facts: EventFacts,
): void {
  const addOrDelete = facts.action == Action.Add || facts.action == Action.Delete;
  if (type == EventType.Aggregation && addOrDelete && !facts.has(Field.ParentID)) {
    ctx.reportMember(
      'parentID',
      'parentID is required for an AggregationEvent with action ADD or DELETE: it names the container',
    );
  }
  if (!validationOptions.strictSensorRules) return;
  if (!facts.has(Field.SensorElementList) || type == EventType.Extended) return;
  const list = event.getArray('sensorElementList');
  if (list === null) return;
  const eventTime = timeOf(event.get('eventTime'));
  ctx.push('sensorElementList');
  for (let i = 0, n = list.length; i < n && !ctx.full; i++) {
    const element = unchecked(list.items[i]).asObject();
    if (element === null) continue;
    ctx.pushIndex(i);
    checkSensorElement(ctx, element, eventTime);
    ctx.pop();
  }
  ctx.pop();
}
