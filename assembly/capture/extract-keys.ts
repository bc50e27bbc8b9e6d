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
import { EpcKey, EpcRole, ErrorDeclarationKeys, NormalisedEvent, TypedValue } from './normalised-event';

const CHECKED_KEYS: string[] = ['01', '00', '414', '417'];

function isToleratedCheckDigit(result: CanonicalIdentifier): bool {
  return result.onlyCheckDigit && !CHECKED_KEYS.includes(result.primaryAi);
}

class KeyContext {
  constructor(
    public issues: IssueList,
    public eventIndex: i32,
    public pointer: string,
  ) {}
  ok: bool = true;

  /** Canonical form of an identifier; records an issue (and returns the input) when it is malformed. */
  canonical(value: string, pointerSuffix: string): string {
    const result = canonicalIdentifier(value);
    if (result.status == IdentifierStatus.Invalid && !isToleratedCheckDigit(result)) {
      this.ok = false;
      this.issues.add(this.eventIndex, this.pointer + pointerSuffix, result.reason);
    }
    return result.value;
  }
}

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
    const id = ctx.canonical(s, '/' + field + '/' + i.toString());
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
    const id = ctx.canonical(epcClass, '/' + field + '/' + i.toString() + '/epcClass');
    out.push(new EpcKey(id, role, quantity, element.getString('uom')));
  }
}

function typedList(
  ctx: KeyContext,
  event: JsonObject,
  field: string,
  valueKey: string,
  vocab: Vocab,
  out: Array<TypedValue>,
): void {
  const list = event.getArray(field);
  if (list === null) return;
  const items = list.items;
  for (let i = 0, n = items.length; i < n; i++) {
    const entry = unchecked(items[i]).asObject();
    if (entry === null) continue;
    const value = entry.getString(valueKey);
    if (value === null) continue;
    const type = entry.getString('type');
    const canonicalValue = ctx.canonical(
      value,
      '/' + field + '/' + i.toString() + '/' + pointerToken(valueKey),
    );
    out.push(new TypedValue(type === null ? null : expandVocabValue(vocab, type), canonicalValue));
  }
}

function locationId(ctx: KeyContext, event: JsonObject, field: string): string | null {
  const location = event.getObject(field);
  if (location === null) return null;
  const id = location.getString('id');
  return id === null ? null : ctx.canonical(id, '/' + field + '/id');
}

function stringsOf(list: JsonArray | null, out: Array<string>): void {
  if (list === null) return;
  const items = list.items;
  for (let i = 0, n = items.length; i < n; i++) {
    const s = unchecked(items[i]).asString();
    if (s !== null) out.push(s);
  }
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
 * is malformed.
 */
export function extractKeys(
  event: JsonObject,
  pointer: string,
  issues: IssueList,
  out: NormalisedEvent,
): bool {
  const ctx = new KeyContext(issues, out.index, pointer);
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
    transformationId === null ? null : ctx.canonical(transformationId, '/transformationID');

  const persistent = event.getObject('persistentDisposition');
  if (persistent !== null) {
    stringsOf(persistent.getArray('set'), out.persistentDispositionSet);
    stringsOf(persistent.getArray('unset'), out.persistentDispositionUnset);
    for (let i = 0; i < out.persistentDispositionSet.length; i++) {
      out.persistentDispositionSet[i] = expandVocabValue(Vocab.Disposition, out.persistentDispositionSet[i]);
    }
    for (let i = 0; i < out.persistentDispositionUnset.length; i++) {
      out.persistentDispositionUnset[i] = expandVocabValue(
        Vocab.Disposition,
        out.persistentDispositionUnset[i],
      );
    }
  }

  const epcs = out.epcs;
  addEpcList(ctx, event, 'epcList', EpcRole.EpcList, epcs);
  const parent = event.getString('parentID');
  if (parent !== null) epcs.push(new EpcKey(ctx.canonical(parent, '/parentID'), EpcRole.ParentId));
  addEpcList(ctx, event, 'childEPCs', EpcRole.ChildEpcs, epcs);
  addEpcList(ctx, event, 'inputEPCList', EpcRole.InputEpcList, epcs);
  addEpcList(ctx, event, 'outputEPCList', EpcRole.OutputEpcList, epcs);
  addQuantityList(ctx, event, 'quantityList', EpcRole.QuantityList, epcs);
  addQuantityList(ctx, event, 'childQuantityList', EpcRole.ChildQuantityList, epcs);
  addQuantityList(ctx, event, 'inputQuantityList', EpcRole.InputQuantityList, epcs);
  addQuantityList(ctx, event, 'outputQuantityList', EpcRole.OutputQuantityList, epcs);

  typedList(
    ctx,
    event,
    'bizTransactionList',
    'bizTransaction',
    Vocab.BizTransactionType,
    out.bizTransactions,
  );
  typedList(ctx, event, 'sourceList', 'source', Vocab.SourceDestType, out.sources);
  typedList(ctx, event, 'destinationList', 'destination', Vocab.SourceDestType, out.destinations);

  out.errorDeclaration = errorDeclarationOf(event.get('errorDeclaration'));
  out.hasSensorData = event.has('sensorElementList');
  return ctx.ok;
}
