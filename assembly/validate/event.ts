// One EPCIS event: dispatch on `type`, one pass over the members (names, then values), then the
// rules about what must be present and the semantic rules. Mirrors the schema's
// `EPCIS-Document-Event` (an event in an event list) and, for an event sent on its own, the root
// schema's event branches, which also require `@context`.
import { IssueList } from '../diagnostics/issue';
import { JsonKind, JsonObject, JsonString, JsonValue } from '../json/value';
import { got, notAField } from './describe-value';
import { EventFacts } from './event-facts';
import { eventTypeOf, EventType, Field, FIELDS, isAllowed } from './event-fields';
import { checkEventMember } from './event-members';
import { aType, checkPresence } from './presence-rules';
import { checkSemanticRules } from './semantic-rules';
import { isUri } from './uri-format';
import { ValidationContext } from './validation-context';

const FACTS = new EventFacts();

const TYPE_EXPECTED =
  'ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent, or a URI naming an extension event type';

function reportMisplaced(ctx: ValidationContext, type: EventType, field: Field, key: string): void {
  const what = aType(type);
  if (field == Field.PersistentDisposition || field == Field.Ilmd) {
    ctx.reportMember(
      key,
      `${key} is not allowed on ${what}; only ObjectEvent and TransformationEvent carry it`,
    );
  } else if (field >= 0) {
    ctx.reportMember(
      key,
      `${key} is not a field of ${what} (extension fields must be named by a URI or CURIE)`,
    );
  } else {
    ctx.reportMember(key, notAField(key, what));
  }
}

/** Validates the event at the context's current position; `isBare` when it is the whole document. */
export function checkEvent(ctx: ValidationContext, v: JsonValue, isBare: bool): void {
  if (v.kind != JsonKind.Object) {
    ctx.report('an event must be a JSON object' + got(v));
    return;
  }
  const event = changetype<JsonObject>(v);
  const typeValue = event.get('type');
  if (typeValue === null) {
    ctx.reportMember('type', 'an event must have a type: ' + TYPE_EXPECTED);
    return;
  }
  if (typeValue.kind != JsonKind.String) {
    ctx.reportMember('type', 'type must be a string: ' + TYPE_EXPECTED + got(typeValue));
    return;
  }
  const typeName = changetype<JsonString>(typeValue).value;
  const type = eventTypeOf(typeName);
  // An unknown bare word is almost always a misspelt type; checking members against nothing helps no one.
  if (type == EventType.Extended && !isUri(typeName)) {
    ctx.reportMember('type', 'type must be ' + TYPE_EXPECTED + got(typeValue));
    return;
  }
  const facts = FACTS;
  facts.reset();
  const keys = event.keys;
  const values = event.values;
  for (let i = 0, n = keys.length; i < n && !ctx.full; i++) {
    const key = unchecked(keys[i]);
    const field = <Field>FIELDS.indexOf(key);
    if (type == EventType.Extended) {
      // Extension event types are only held to the common `Event` members.
      if (field < 0 || field > Field.ErrorDeclaration) continue;
    } else if (field < 0 || !isAllowed(type, field)) {
      if (field >= 0 || !isUri(key)) reportMisplaced(ctx, type, field, key);
      continue;
    }
    if (field == Field.Type) continue;
    ctx.push(key);
    checkEventMember(ctx, type, field, key, unchecked(values[i]), facts);
    ctx.pop();
  }
  checkPresence(ctx, type, facts, isBare);
  checkSemanticRules(ctx, event, type, facts);
}

/**
 * Validates one event whose JSON pointer from the document root is `pointer` (e.g.
 * "/epcisBody/eventList/3"). An event at pointer "" is the whole document (POST /events), and the
 * schema then also requires its own `@context`.
 */
export function validateEvent(event: JsonValue, eventIndex: i32, pointer: string, issues: IssueList): void {
  const ctx = new ValidationContext(issues);
  ctx.begin(eventIndex, pointer);
  checkEvent(ctx, event, pointer.length == 0);
}
