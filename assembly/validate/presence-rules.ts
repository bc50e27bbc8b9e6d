// Which members an event must have: the schema's `required` lists and its per-type `anyOf`
// alternatives (what an event must list, and when ilmd may appear). Checked after the member pass,
// from the facts it gathered. A rule stays quiet when what it depends on was already reported as
// malformed (an invalid action, a list that is not an array), so one mistake gives one issue.
import { Action, ACTION_NAMES, EventFacts } from './event-facts';
import { EVENT_TYPE_NAMES, EventType, Field } from './event-fields';
import { ValidationContext } from './validation-context';

/** "an ObjectEvent", "a TransactionEvent", "an event" (extension types). */
export function aType(type: EventType): string {
  if (type == EventType.Extended) return 'an event';
  const name = unchecked(EVENT_TYPE_NAMES[type]);
  const first = name.charCodeAt(0);
  return (first == 65 || first == 79 ? 'an ' : 'a ') + name;
}

function require(ctx: ValidationContext, facts: EventFacts, field: Field, name: string, what: string): void {
  if (!facts.has(field)) ctx.reportMember(name, `${name} is required: ${what}`);
}

function checkRequired(ctx: ValidationContext, type: EventType, facts: EventFacts, isBare: bool): void {
  if (isBare)
    require(ctx, facts, Field.Context, '@context', 'an event sent on its own carries its JSON-LD context');
  require(ctx, facts, Field.EventTime, 'eventTime', 'the date-time with offset at which the event happened');
  require(ctx, facts, Field.EventTimeZoneOffset, 'eventTimeZoneOffset', 'the local offset, such as +01:00');
  if (type == EventType.Extended || type == EventType.Transformation) return;
  require(ctx, facts, Field.Action, 'action', 'one of ADD, OBSERVE or DELETE');
  if (type == EventType.Transaction) {
    require(ctx, facts, Field.BizTransactionList, 'bizTransactionList', 'a TransactionEvent names its transactions');
  } else if (type == EventType.Association) {
    require(ctx, facts, Field.ParentID, 'parentID', 'an AssociationEvent names what its children are associated with');
  }
}

function actionName(facts: EventFacts): string {
  return unchecked(ACTION_NAMES[facts.action]);
}

function checkObjectEvent(ctx: ValidationContext, facts: EventFacts): void {
  const sensorOnly = facts.hasItems(Field.SensorElementList) && facts.has(Field.ReadPoint);
  if (!facts.has(Field.EpcList) && !facts.hasItems(Field.QuantityList) && !sensorOnly) {
    ctx.report(
      'an ObjectEvent must have an epcList, a non-empty quantityList, or sensor data with a readPoint',
    );
  }
  if (facts.has(Field.Ilmd) && (facts.action == Action.Observe || facts.action == Action.Delete)) {
    ctx.reportMember(
      'ilmd',
      `ilmd is only allowed on an ObjectEvent with action ADD (not ${actionName(facts)})`,
    );
  }
}

/** Aggregation, Association and TransactionEvent: only DELETE may leave out what it is about. */
function checkListed(ctx: ValidationContext, type: EventType, facts: EventFacts): void {
  if (facts.action != Action.Add && facts.action != Action.Observe) return;
  const what = `${aType(type)} with action ${actionName(facts)}`;
  if (type == EventType.Transaction) {
    if (facts.has(Field.EpcList) || facts.hasItems(Field.QuantityList)) return;
    ctx.report(`${what} must have an epcList or a non-empty quantityList (only DELETE may leave them out)`);
  } else if (!facts.hasItems(Field.ChildEPCs) && !facts.hasItems(Field.ChildQuantityList)) {
    ctx.report(
      `${what} must list its children in childEPCs or childQuantityList (only DELETE may leave them out)`,
    );
  }
}

function checkTransformation(ctx: ValidationContext, facts: EventFacts): void {
  const inputs = facts.hasItems(Field.InputEPCList) || facts.hasItems(Field.InputQuantityList);
  const outputs = facts.hasItems(Field.OutputEPCList) || facts.hasItems(Field.OutputQuantityList);
  if ((inputs && outputs) || (facts.has(Field.TransformationID) && (inputs || outputs))) return;
  ctx.report(
    'a TransformationEvent needs non-empty inputs (inputEPCList/inputQuantityList) and outputs ' +
      '(outputEPCList/outputQuantityList), or a transformationID with at least one of them',
  );
}

export function checkPresence(
  ctx: ValidationContext,
  type: EventType,
  facts: EventFacts,
  isBare: bool,
): void {
  checkRequired(ctx, type, facts, isBare);
  if (type == EventType.Object) checkObjectEvent(ctx, facts);
  else if (type == EventType.Transformation) checkTransformation(ctx, facts);
  else if (type != EventType.Extended) checkListed(ctx, type, facts);
}
