// Checks the value of one standard event member. The definitions are the same on every event type
// except two: epcList must hold distinct EPCs on ObjectEvent (the schema's `epcList`) but not on
// TransactionEvent, and a TransactionEvent's bizTransactionList must not be empty.
import { JsonArray, JsonKind, JsonString, JsonValue } from '../json/value';
import { Vocab } from '../vocab/cbv';
import {
  checkCertificationInfo,
  checkIlmd,
  checkLocation,
  checkPersistentDisposition,
  checkTypedList,
} from './business-context';
import { checkContext } from './context';
import { got } from './describe-value';
import { checkErrorDeclaration } from './error-declaration';
import { Action, EventFacts } from './event-facts';
import { bit, EventType, Field } from './event-fields';
import { checkQuantityList } from './quantity-element';
import { checkSensorElementList } from './sensor-element';
import { isTimeZoneOffset } from './string-patterns';
import { findDuplicate, repeatedAt } from './unique-items';
import { checkDateTime, checkUri, checkUriArray } from './value-checks';
import { ValidationContext } from './validation-context';
import { checkVocab } from './vocab-value';

function actionOf(v: JsonValue): Action {
  if (v.kind != JsonKind.String) return Action.Invalid;
  const s = changetype<JsonString>(v).value;
  if (s == 'ADD') return Action.Add;
  if (s == 'OBSERVE') return Action.Observe;
  if (s == 'DELETE') return Action.Delete;
  return Action.Invalid;
}

function checkEpcs(ctx: ValidationContext, v: JsonValue, label: string, unique: bool): i32 {
  const ok = checkUriArray(ctx, v, label);
  if (v.kind != JsonKind.Array) return -1;
  const items = changetype<JsonArray>(v).items;
  if (ok && unique) {
    const dup = findDuplicate(items);
    if (dup >= 0) ctx.report(label + ' must not list the same EPC twice' + repeatedAt(dup));
  }
  return items.length;
}

function checkTimeZoneOffset(ctx: ValidationContext, v: JsonValue): void {
  if (v.kind == JsonKind.String && isTimeZoneOffset(changetype<JsonString>(v).value)) return;
  ctx.report('eventTimeZoneOffset must be an offset like +01:00 or -05:30, from -14:00 to +14:00' + got(v));
}

/** Checks member `name` (Field `field`, allowed on `type`) and records facts about it. */
// prettier-ignore
export function checkEventMember(ctx: ValidationContext, type: EventType, field: Field, name: string, v: JsonValue, facts: EventFacts): void {
  let length = 0;
  switch (field) {
    case Field.Context: checkContext(ctx, v); break;
    case Field.EventTime:
    case Field.RecordTime: checkDateTime(ctx, v, name); break;
    case Field.EventTimeZoneOffset: checkTimeZoneOffset(ctx, v); break;
    case Field.EventID:
    case Field.ParentID:
    case Field.TransformationID: checkUri(ctx, v, name); break;
    case Field.CertificationInfo: checkCertificationInfo(ctx, v); break;
    case Field.ErrorDeclaration: checkErrorDeclaration(ctx, v); break;
    case Field.Action:
      facts.action = actionOf(v);
      if (facts.action == Action.Invalid) ctx.report('action must be "ADD", "OBSERVE" or "DELETE"' + got(v));
      break;
    // The schema's `epcList` (distinct items) on Object/TransformationEvent; plain arrays elsewhere.
    case Field.EpcList:
    case Field.InputEPCList:
    case Field.OutputEPCList:
    case Field.ChildEPCs:
      length = checkEpcs(ctx, v, name, field != Field.ChildEPCs && type != EventType.Transaction);
      break;
    case Field.QuantityList:
    case Field.ChildQuantityList:
    case Field.InputQuantityList:
    case Field.OutputQuantityList: length = checkQuantityList(ctx, v, name); break;
    case Field.BizStep: checkVocab(ctx, v, Vocab.BizStep, name); break;
    case Field.Disposition: checkVocab(ctx, v, Vocab.Disposition, name); break;
    case Field.PersistentDisposition: checkPersistentDisposition(ctx, v); break;
    case Field.ReadPoint:
    case Field.BizLocation: checkLocation(ctx, v, name); break;
    case Field.BizTransactionList:
      length = checkTypedList(ctx, v, name, 'bizTransaction', Vocab.BizTransactionType, false);
      if (length == 0 && type == EventType.Transaction) {
        ctx.report('a TransactionEvent must name at least one business transaction in bizTransactionList');
      }
      break;
    case Field.SourceList: checkTypedList(ctx, v, name, 'source', Vocab.SourceDestType, true); break;
    case Field.DestinationList: checkTypedList(ctx, v, name, 'destination', Vocab.SourceDestType, true); break;
    case Field.SensorElementList: length = checkSensorElementList(ctx, v); break;
    case Field.Ilmd: checkIlmd(ctx, v); break;
    default: break;
  }
  facts.present |= bit(field);
  if (length > 0) facts.nonEmpty |= bit(field);
  else if (length < 0) facts.malformed |= bit(field);
}
