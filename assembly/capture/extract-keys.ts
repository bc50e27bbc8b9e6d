// Derives the normalised fields and index keys of one schema-valid event. Identifiers become the
// canonical GS1 Digital Link form, so a URN and its Digital Link are found by the same key; CBV
// words become their full URIs. An identifier that looks like a GS1 key but is malformed (a wrong
// check digit, say) is reported as an issue and rejects the event: storing it would make the item
// unfindable under its real key. Check digits are enforced for the keys everything is tracked by
// (GTIN, GLN, SSCC); a wrong check digit on another key (a GRAI, say: OpenEPCIS's published
// examples carry one) is tolerated, since the key still identifies the object consistently.
import { CanonicalIdentifier, canonicalIdentifier, IdentifierStatus } from '../identifiers/canonical';
import { IssueList, pointerToken } from '../diagnostics/issue';
import { JsonArray, JsonObject, JsonValue } from '../json/value';
import { parseDateTime } from '../time/date-time';
import { expandVocabValue, Vocab } from '../vocab/cbv';
import {
  EpcKey,
  EpcRole,
  ErrorDeclarationKeys,
  NO_STRINGS,
  NO_TYPED_VALUES,
  NormalisedEvent,
  TypedValue,
} from './normalised-event';

const CHECKED_KEYS: string[] = ['01', '00', '414', '417'];

function isToleratedCheckDigit(result: CanonicalIdentifier): bool {
  return result.onlyCheckDigit && !CHECKED_KEYS.includes(result.primaryAi);
}

class KeyContext {
  issues: IssueList = new IssueList(0);
  eventIndex: i32 = 0;
  /** The event's pointer is eventsPointer + "/" + eventIndex, or "" when pointerIndex < 0. */
  eventsPointer: string = '';
  pointerIndex: i32 = 0;
  ok: bool = true;

  /** Points the context at the next event. */
  reset(issues: IssueList, eventIndex: i32, eventsPointer: string, pointerIndex: i32): KeyContext {
    this.issues = issues;
    this.eventIndex = eventIndex;
    this.eventsPointer = eventsPointer;
    this.pointerIndex = pointerIndex;
    this.ok = true;
    return this;
  }

  /**
   * Canonical form of an identifier; records an issue (and returns the input) when it is malformed.
   * The issue's pointer (`/field[/index][/tail]` below the event) is built only then: building it
   * for every identifier cost 2-6 allocations each, about a third of this file's allocations.
   */
  canonical(value: string, field: string, index: i32 = -1, tail: string | null = null): string {
    const result = canonicalIdentifier(value);
    if (result.status == IdentifierStatus.Invalid && !isToleratedCheckDigit(result)) {
      this.ok = false;
      let pointer = this.pointerIndex < 0 ? '' : this.eventsPointer + '/' + this.pointerIndex.toString();
      pointer += '/' + field;
      if (index >= 0) pointer += '/' + index.toString();
      if (tail !== null) pointer += '/' + pointerToken(tail);
      this.issues.add(this.eventIndex, pointer, result.reason);
    }
    return result.value;
  }
}

// One per module, reset for each event: extraction never nests.
const keyContext = new KeyContext();

// One object is one EPC. A list may name the same object twice in two spellings (an EPC URN and
// its Digital Link): the schema's uniqueItems compares the text, so both pass validation. Such an
// entry is dropped here, so the event is indexed once per object (one event_epcs row, one state
// observation) and the output, which removes the same repeats (host/http/distinct-identifiers.ts),
// lists it once, as uniqueItems requires of what we answer.
// The event hash ID is NOT computed from this reduced list. CBV 2.0's algorithm canonicalises and
// sorts the list and keeps duplicates (the reference implementation does; no GS1 vector holds
// one), and the ID must be what any conformant implementation derives from the same captured
// event: partners and our own sync peers recompute it from the stored text, which stays as
// captured. So the ID of such an event differs from that of the same event written with the
// object once; they are different captures, and the state, being a set of facts, ends up the same.
// Only the four EPC lists are reduced: quantity lists have no uniqueItems, and two elements of one
// class are two quantities, which neither dropping nor summing would report faithfully.

/** Above this many entries, repeats are found with a set instead of by comparing with each other. */
const LINEAR_SEARCH_MAX = 16;
const listed = new Set<string>();

function addEpcList(
  ctx: KeyContext,
  event: JsonObject,
  field: string,
  role: EpcRole,
  out: Array<EpcKey>,
): void {
  const list = event.getArray(field);
  if (list === null) return;
  const items = list.items;
  const n = items.length;
  const first = out.length;
  const hashed = n > LINEAR_SEARCH_MAX;
  if (hashed) listed.clear();
  for (let i = 0; i < n; i++) {
    const s = unchecked(items[i]).asString();
    if (s === null) continue;
    const id = ctx.canonical(s, field, i);
    if (hashed) {
      if (listed.has(id)) continue;
      listed.add(id);
    } else if (isListedFrom(out, first, id)) {
      continue;
    }
    out.push(new EpcKey(id, role));
  }
  if (hashed) listed.clear();
}

function isListedFrom(keys: Array<EpcKey>, first: i32, id: string): bool {
  for (let k = first, n = keys.length; k < n; k++) {
    if (unchecked(keys[k]).id == id) return true;
  }
  return false;
}

function addQuantityList(
  ctx: KeyContext,
  event: JsonObject,
  field: string,
  role: EpcRole,
  out: Array<EpcKey>,
): void {
  const list = event.getArray(field);
  if (list === null) return;
  const items = list.items;
  for (let i = 0, n = items.length; i < n; i++) {
    const element = unchecked(items[i]).asObject();
    if (element === null) continue;
    const epcClass = element.getString('epcClass');
    if (epcClass === null) continue;
    const quantityValue = element.get('quantity');
    const quantity =
      quantityValue !== null && quantityValue.isNumber() ? quantityValue.asNumber()!.raw : null;
    const id = ctx.canonical(epcClass, field, i, 'epcClass');
    out.push(new EpcKey(id, role, quantity, element.getString('uom')));
  }
}

/** The list's (type, value) pairs, canonical; the shared empty list when the event has none. */
function typedList(
  ctx: KeyContext,
  event: JsonObject,
  field: string,
  valueKey: string,
  vocab: Vocab,
): Array<TypedValue> {
  const list = event.getArray(field);
  if (list === null || list.length == 0) return NO_TYPED_VALUES;
  const items = list.items;
  const n = items.length;
  // Sized once (a growing array renews its buffer on the first push), trimmed at the end.
  const out = n == 1 ? NO_TYPED_VALUES : new Array<TypedValue>(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const entry = unchecked(items[i]).asObject();
    if (entry === null) continue;
    const value = entry.getString(valueKey);
    if (value === null) continue;
    const typeText = entry.getString('type');
    const type: string | null = typeText === null ? null : expandVocabValue(vocab, typeText);
    const canonicalValue = ctx.canonical(value, field, i, valueKey);
    if (n == 1) return singleList(type, canonicalValue);
    unchecked((out[count++] = new TypedValue(type, canonicalValue)));
  }
  if (n == 1) return NO_TYPED_VALUES;
  out.length = count;
  return out;
}

// Most such lists hold one entry, and a document names the same parties (and often the same
// transaction) in every event; expanded types and canonical values come from memos as the same
// string objects. So a one-entry list is shared with the last event that had the very same pair:
// three or four allocations saved per list (bench:core, 1000-event documents: about 8 per event;
// with typedList's sized arrays, measured +4% to +8% capture, interleaved A/B). Like
// NO_TYPED_VALUES, these lists are read, never changed.
const SINGLE_SLOTS: i32 = 64;
const SINGLE_SHIFT: u32 = 26; // 32 - log2(SINGLE_SLOTS)
const singleLists = new StaticArray<Array<TypedValue> | null>(SINGLE_SLOTS);

/** The list [(type, value)], shared with an earlier one holding the same two string objects. */
function singleList(type: string | null, value: string): Array<TypedValue> {
  const h = (<u32>changetype<usize>(type) * 0x9e3779b1) ^ (<u32>changetype<usize>(value) * 0x85ebca6b);
  const slot = <i32>(h >>> SINGLE_SHIFT);
  const cached = unchecked(singleLists[slot]);
  if (cached !== null) {
    const only = unchecked(cached[0]);
    if (
      changetype<usize>(only.type) == changetype<usize>(type) &&
      changetype<usize>(only.value) == changetype<usize>(value)
    ) {
      return cached;
    }
  }
  const list = new Array<TypedValue>(1);
  unchecked((list[0] = new TypedValue(type, value)));
  unchecked((singleLists[slot] = list));
  return list;
}

function locationId(ctx: KeyContext, event: JsonObject, field: string): string | null {
  const location = event.getObject(field);
  if (location === null) return null;
  const id = location.getString('id');
  return id === null ? null : ctx.canonical(id, field, -1, 'id');
}

function stringsOf(list: JsonArray | null, out: Array<string>): void {
  if (list === null) return;
  const items = list.items;
  for (let i = 0, n = items.length; i < n; i++) {
    const s = unchecked(items[i]).asString();
    if (s !== null) out.push(s);
  }
}

/** The dispositions of a persistentDisposition list, expanded; the shared empty list for none. */
function dispositionsOf(list: JsonArray | null): Array<string> {
  if (list === null || list.length == 0) return NO_STRINGS;
  const out = new Array<string>();
  stringsOf(list, out);
  for (let i = 0, n = out.length; i < n; i++) {
    unchecked((out[i] = expandVocabValue(Vocab.Disposition, unchecked(out[i]))));
  }
  return out;
}

/** UTC ms of a schema-valid date-time (0 for a missing one, which validation already reported). */
function utcMillisOf(text: string | null): i64 {
  if (text === null) return 0;
  const parsed = parseDateTime(text);
  return parsed === null ? 0 : parsed.utcMillis();
}

function errorDeclarationOf(value: JsonValue | null): ErrorDeclarationKeys | null {
  if (value === null) return null;
  const obj = value.asObject();
  if (obj === null) return null;
  const keys = new ErrorDeclarationKeys();
  keys.declarationTimeMs = utcMillisOf(obj.getString('declarationTime'));
  const reason = obj.getString('reason');
  keys.reason = reason === null ? null : expandVocabValue(Vocab.ErrorReason, reason);
  stringsOf(obj.getArray('correctiveEventIDs'), keys.correctiveEventIds);
  return keys;
}

/**
 * Fills `out` from a schema-valid event. Returns false (with issues recorded) when an identifier
 * is malformed. The event's JSON pointer is `eventsPointer + "/" + pointerIndex`, or "" for a
 * negative pointerIndex (a bare event).
 */
export function extractKeys(
  event: JsonObject,
  eventsPointer: string,
  pointerIndex: i32,
  issues: IssueList,
  out: NormalisedEvent,
): bool {
  const ctx = keyContext.reset(issues, out.index, eventsPointer, pointerIndex);
  out.start = event.start;
  out.end = event.end;
  const type = event.getString('type');
  out.type = type === null ? '' : type;
  out.action = event.getString('action');
  out.eventId = event.getString('eventID');
  out.eventTimeMs = utcMillisOf(event.getString('eventTime'));
  const offset = event.getString('eventTimeZoneOffset');
  out.eventTimeZoneOffset = offset === null ? '' : offset;

  const bizStep = event.getString('bizStep');
  out.bizStep = bizStep === null ? null : expandVocabValue(Vocab.BizStep, bizStep);
  const disposition = event.getString('disposition');
  out.disposition = disposition === null ? null : expandVocabValue(Vocab.Disposition, disposition);
  out.readPoint = locationId(ctx, event, 'readPoint');
  out.bizLocation = locationId(ctx, event, 'bizLocation');
  const transformationId = event.getString('transformationID');
  out.transformationId =
    transformationId === null ? null : ctx.canonical(transformationId, 'transformationID');

  const persistent = event.getObject('persistentDisposition');
  if (persistent !== null) {
    out.persistentDispositionSet = dispositionsOf(persistent.getArray('set'));
    out.persistentDispositionUnset = dispositionsOf(persistent.getArray('unset'));
  }

  const epcs = out.epcs;
  addEpcList(ctx, event, 'epcList', EpcRole.EpcList, epcs);
  const parent = event.getString('parentID');
  if (parent !== null) epcs.push(new EpcKey(ctx.canonical(parent, 'parentID'), EpcRole.ParentId));
  addEpcList(ctx, event, 'childEPCs', EpcRole.ChildEpcs, epcs);
  addEpcList(ctx, event, 'inputEPCList', EpcRole.InputEpcList, epcs);
  addEpcList(ctx, event, 'outputEPCList', EpcRole.OutputEpcList, epcs);
  addQuantityList(ctx, event, 'quantityList', EpcRole.QuantityList, epcs);
  addQuantityList(ctx, event, 'childQuantityList', EpcRole.ChildQuantityList, epcs);
  addQuantityList(ctx, event, 'inputQuantityList', EpcRole.InputQuantityList, epcs);
  addQuantityList(ctx, event, 'outputQuantityList', EpcRole.OutputQuantityList, epcs);

  out.bizTransactions = typedList(
    ctx,
    event,
    'bizTransactionList',
    'bizTransaction',
    Vocab.BizTransactionType,
  );
  out.sources = typedList(ctx, event, 'sourceList', 'source', Vocab.SourceDestType);
  out.destinations = typedList(ctx, event, 'destinationList', 'destination', Vocab.SourceDestType);

  out.errorDeclaration = errorDeclarationOf(event.get('errorDeclaration'));
  out.hasSensorData = event.has('sensorElementList');
  return ctx.ok;
}
