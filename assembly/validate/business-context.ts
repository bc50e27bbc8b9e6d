// The "where / why / with whom" members shared by the event types: readPoint, bizLocation,
// bizTransactionList, sourceList, destinationList, persistentDisposition, ilmd and
// certificationInfo, with the schema's exact shapes (which objects are closed, which are open).
import { JsonKind, JsonObject, JsonValue } from '../json/value';
import { Vocab } from '../vocab/cbv';
import { got, quote } from './describe-value';
import { findDuplicate, repeatedAt } from './unique-items';
import { isUri } from './uri-format';
import { checkUri, checkUriArray, expectArray, expectObject } from './value-checks';
import { ValidationContext } from './validation-context';
import { checkVocab } from './vocab-value';

/** readPoint / bizLocation: `{id}`; the schema leaves other members unconstrained. */
export function checkLocation(ctx: ValidationContext, v: JsonValue, label: string): void {
  const o = expectObject(ctx, v, label);
  if (o === null) return;
  const id = o.get('id');
  if (id === null) {
    ctx.reportMember('id', label + ' must have an id (a URI such as urn:epc:id:sgln:0614141.07346.1234)');
    return;
  }
  ctx.push('id');
  checkUri(ctx, id, 'id');
  ctx.pop();
}

/** One `{type, <valueKey>}` entry; no other members are allowed. */
function checkTypedEntry(
  ctx: ValidationContext,
  o: JsonObject,
  label: string,
  valueKey: string,
  vocab: Vocab,
  typeRequired: bool,
): void {
  let hasType = false;
  let hasValue = false;
  for (let k = 0, m = o.size; k < m && !ctx.full; k++) {
    const key = unchecked(o.keys[k]);
    ctx.push(key);
    if (key == 'type') {
      hasType = true;
      checkVocab(ctx, unchecked(o.values[k]), vocab, 'type');
    } else if (key == valueKey) {
      hasValue = true;
      checkUri(ctx, unchecked(o.values[k]), valueKey);
    } else {
      ctx.report(`${label} entries have only type and ${valueKey}; ${quote(key)} is not allowed`);
    }
    ctx.pop();
  }
  if (!hasValue) ctx.reportMember(valueKey, `${label} entries must have ${valueKey} (a URI)`);
  if (typeRequired && !hasType)
    ctx.reportMember('type', `${label} entries must have a type such as "owning_party"`);
}

/**
 * bizTransactionList (`[{type?, bizTransaction}]`), sourceList (`[{type, source}]`) or
 * destinationList (`[{type, destination}]`). Returns the list length, or -1 when not an array.
 */
export function checkTypedList(
  ctx: ValidationContext,
  v: JsonValue,
  label: string,
  valueKey: string,
  vocab: Vocab,
  typeRequired: bool,
): i32 {
  const array = expectArray(ctx, v, label);
  if (array === null) return -1;
  const items = array.items;
  for (let i = 0, n = items.length; i < n && !ctx.full; i++) {
    const item = unchecked(items[i]);
    ctx.pushIndex(i);
    if (item.kind == JsonKind.Object)
      checkTypedEntry(ctx, changetype<JsonObject>(item), label, valueKey, vocab, typeRequired);
    else ctx.report(`${label} entries must be objects like {"type": …, "${valueKey}": …}` + got(item));
    ctx.pop();
  }
  return items.length;
}

function checkDispositionSet(ctx: ValidationContext, v: JsonValue, label: string): void {
  const array = expectArray(ctx, v, label);
  if (array === null) return;
  const items = array.items;
  if (items.length == 0) {
    ctx.report(label + ' must list at least one disposition (leave it out instead)');
    return;
  }
  let ok = true;
  for (let i = 0, n = items.length; i < n && !ctx.full; i++) {
    ctx.pushIndex(i);
    ok = checkVocab(ctx, unchecked(items[i]), Vocab.Disposition, 'each disposition') && ok;
    ctx.pop();
  }
  const dup = ok ? findDuplicate(items) : -1;
  if (dup >= 0) ctx.report(label + ' must not repeat a disposition' + repeatedAt(dup));
}

/** persistentDisposition: `{set?, unset?}`, at least one of them, nothing else. */
export function checkPersistentDisposition(ctx: ValidationContext, v: JsonValue): void {
  const o = expectObject(ctx, v, 'persistentDisposition');
  if (o === null) return;
  let any = false;
  for (let i = 0, n = o.size; i < n && !ctx.full; i++) {
    const key = unchecked(o.keys[i]);
    ctx.push(key);
    if (key == 'set' || key == 'unset') {
      any = true;
      checkDispositionSet(
        ctx,
        unchecked(o.values[i]),
        key == 'set' ? 'persistentDisposition set' : 'persistentDisposition unset',
      );
    } else {
      ctx.report('persistentDisposition has only set and unset; ' + quote(key) + ' is not allowed');
    }
    ctx.pop();
  }
  if (!any) ctx.report('persistentDisposition must have set or unset (a non-empty list of dispositions)');
}

/** ilmd: an object whose member names are URIs or CURIEs (values are unconstrained). */
export function checkIlmd(ctx: ValidationContext, v: JsonValue): void {
  const o = expectObject(ctx, v, 'ilmd');
  if (o === null) return;
  for (let i = 0, n = o.size; i < n && !ctx.full; i++) {
    const key = unchecked(o.keys[i]);
    if (!isUri(key))
      ctx.reportMember(
        key,
        'ilmd member names must be URIs or CURIEs such as example:lotNumber (got ' + quote(key) + ')',
      );
  }
}

/** certificationInfo: one URI or an array of URIs. */
export function checkCertificationInfo(ctx: ValidationContext, v: JsonValue): void {
  if (v.kind == JsonKind.Array) checkUriArray(ctx, v, 'certificationInfo');
  else if (v.kind == JsonKind.String) checkUri(ctx, v, 'certificationInfo');
  else ctx.report('certificationInfo must be a URI or an array of URIs' + got(v));
}
