// The CBV 2.0 event hash pre-hash string (EPCIS.md §1.8), byte for byte what the reference hash
// generator (RalphTro/epcis-event-hash-generator, CBV 2.0 profile) produces for the vectors in
// shared/conformance/hash-vectors:
//   eventType=…  standard fields in CBV order  ilmd…  field extensions  event-level extensions
// with no separators. Excluded: eventID, recordTime, errorDeclaration, certificationInfo,
// @context and comments.
import { Utf8Writer } from '../json/utf8-writer';
import { JsonObject, JsonValue } from '../json/value';
import { JsonLdContext } from '../jsonld/context';
import { EVENT_FIELDS, EVENT_INDEX, EVENT_SLOTS, FieldKind, FieldSpec } from './prehash-fields';
import { fieldExtensions, objectExtensions } from './prehash-field-extensions';
import { appendEntries, finishEntries, hashKey, isIgnoredMember, isPairKey } from './prehash-generic';
import { appendLeftovers, leftoverOf } from './prehash-leftovers';
import { renderField } from './prehash-standard';
import { borrowStrings, giveBackStrings } from './prehash-pool';
import { joinSorted } from './prehash-text';
import { joinInTreeOrder } from './prehash-tree-order';

export { hashIdFromDigest } from './prehash-id';

/** Event members that never enter the hash (certificationInfo: RalphTro PR #123; @context: not data). */
function isExcludedEventMember(key: string): bool {
  return (
    key == 'type' ||
    key == 'eventID' ||
    key == 'recordTime' ||
    key == 'errorDeclaration' ||
    key == 'certificationInfo' ||
    key == '@context' ||
    isIgnoredMember(key)
  );
}

/**
 * Field extensions of one top-level standard field, or — when it has none — its leftovers, which
 * join the event-level extensions. The generator drops a field from the tree once its extensions
 * are taken, so a field with both loses its leftovers; we do the same to hash identically.
 */
function splitField(
  spec: FieldSpec,
  value: JsonValue,
  fieldParts: Array<string>,
  eventEntries: Array<string>,
  ctx: JsonLdContext,
): void {
  if (spec.kind == FieldKind.Scalar) {
    appendLeftovers(eventEntries, spec, value, ctx);
    return;
  }
  if (spec.kind == FieldKind.List) {
    const text = fieldExtensions(spec, value, ctx);
    if (text.length > 0) fieldParts.push(text);
    else appendLeftovers(eventEntries, spec, value, ctx);
    return;
  }
  const array = value.asArray();
  const occurrences: Array<JsonValue> = array === null ? [value] : array.items;
  const sources = new Array<JsonValue>();
  const parts = new Array<string>();
  for (let i = 0, n = occurrences.length; i < n; i++) {
    const occurrence = unchecked(occurrences[i]);
    const object = occurrence.asObject();
    const inner = object === null ? '' : objectExtensions(object, spec, ctx);
    if (inner.length > 0) {
      sources.push(occurrence);
      parts.push(spec.display + inner);
    } else {
      const text = leftoverOf(spec, occurrence, ctx);
      if (text.length > 0) eventEntries.push(text);
    }
  }
  if (parts.length > 0) fieldParts.push(joinInTreeOrder(sources, parts, ctx));
}

/**
 * Appends the UTF-8 bytes of one event's CBV 2.0 pre-hash string to `sink` (the bytes
 * String.UTF8.encode would give for the whole string) and returns the string itself when
 * `keepText` is set, else "". Never traps, whatever the event holds.
 */
export function buildPrehash(
  event: JsonObject,
  ctx: JsonLdContext,
  sink: Utf8Writer,
  keepText: bool,
): string {
  const slots = EVENT_SLOTS;
  let ilmd: JsonValue | null = null;
  let extensions: Array<i32> | null = null;
  const keys = event.keys;
  for (let i = 0, n = keys.length; i < n; i++) {
    const key = unchecked(keys[i]);
    const at = EVENT_INDEX.find(key);
    if (at >= 0) {
      unchecked((slots[at] = unchecked(event.values[i])));
    } else if (key == 'ilmd') {
      ilmd = unchecked(event.values[i]);
    } else if (!isExcludedEventMember(key)) {
      if (extensions === null) extensions = new Array<i32>();
      extensions.push(i);
    }
  }

  const out = borrowStrings();
  const type = event.getString('type');
  out.push('eventType=');
  if (type !== null) out.push(type);
  // Fields whose values hold more than the standard part consumes, as a bit per EVENT_FIELDS entry.
  let needsWalk: u32 = 0;
  for (let i = 0, n = EVENT_FIELDS.length; i < n; i++) {
    const value = unchecked(slots[i]);
    if (value !== null && renderField(unchecked(EVENT_FIELDS[i]), value, out, ctx))
      needsWalk |= (<u32>1) << i;
  }

  if (ilmd !== null) {
    const entries = borrowStrings();
    appendEntries(entries, entries, 'ilmd', ilmd, ctx);
    out.push(joinSorted(entries));
    giveBackStrings(entries);
  }
  if (needsWalk != 0 || extensions !== null) walkExtensions(event, extensions, needsWalk, out, ctx);
  slots.fill(null);
  // The pieces go to the hash input one by one: joining them first cost a string and an encoded
  // copy per event (two allocations of the pre-hash's size). Encoding piece by piece gives the
  // same bytes unless a piece ends inside a surrogate pair, which only the joined string pairs up.
  const prehash = keepText || splitsSurrogatePair(out) ? out.join('') : '';
  if (prehash.length > 0) {
    sink.wtf8(prehash);
  } else {
    for (let i = 0, n = out.length; i < n; i++) sink.wtf8(unchecked(out[i]));
  }
  giveBackStrings(out);
  return prehash;
}

/** True when a piece ends with a high surrogate, whose low half may start the next piece. */
function splitsSurrogatePair(pieces: Array<string>): bool {
  for (let i = 0, n = pieces.length; i < n; i++) {
    const piece = unchecked(pieces[i]);
    const length = piece.length;
    if (length == 0) continue;
    const last = load<u16>(changetype<usize>(piece) + ((<usize>length - 1) << 1));
    if (last >= 0xd800 && last < 0xdc00) return true;
  }
  return false;
}

/** Field extensions (with leftovers) and event-level extensions, after the ILMD. */
function walkExtensions(
  event: JsonObject,
  extensions: Array<i32> | null,
  needsWalk: u32,
  out: Array<string>,
  ctx: JsonLdContext,
): void {
  const slots = EVENT_SLOTS;
  const keys = event.keys;
  const eventEntries = borrowStrings();
  for (let i = 0, n = EVENT_FIELDS.length; i < n; i++) {
    const value = unchecked(slots[i]);
    if (value === null || (needsWalk & ((<u32>1) << i)) == 0) continue;
    splitField(unchecked(EVENT_FIELDS[i]), value, out, eventEntries, ctx);
  }
  const moved = borrowStrings();
  let keepOrder = false;
  if (extensions !== null) {
    for (let i = 0, n = extensions.length; i < n; i++) {
      const at = unchecked(extensions[i]);
      const key = unchecked(keys[at]);
      if (isPairKey(key)) keepOrder = true;
      appendEntries(eventEntries, moved, hashKey(key, ctx), unchecked(event.values[at]), ctx);
    }
  }
  out.push(finishEntries(eventEntries, moved, keepOrder));
  giveBackStrings(moved);
  giveBackStrings(eventEntries);
}
