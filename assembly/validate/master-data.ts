// Master data carried with a document: epcisHeader.epcisMasterData.vocabularyList (EPCISDocument)
// and resultsBody.vocabularyList (EPCISQueryDocument). The schema constrains ids and a few shapes
// and leaves the other members of these objects open.
import { JsonKind, JsonObject, JsonValue } from '../json/value';
import { got } from './describe-value';
import { checkMemberNames, requireMember } from './object-members';
import { checkUri, checkUriArray, expectArray, expectObject } from './value-checks';
import { ValidationContext } from './validation-context';

function requireUri(ctx: ValidationContext, o: JsonObject, key: string, what: string): void {
  const v = requireMember(ctx, o, key, `${what} is named by a URI`);
  if (v === null) return;
  ctx.push(key);
  checkUri(ctx, v, `${what} ${key}`);
  ctx.pop();
}

/** Checks each item of the array `o[key]` (when present) with `check`. */
function checkItems(
  ctx: ValidationContext,
  o: JsonObject,
  key: string,
  check: (ctx: ValidationContext, v: JsonValue) => void,
): void {
  const v = o.get(key);
  if (v === null) return;
  ctx.push(key);
  const list = expectArray(ctx, v, key);
  if (list !== null) {
    for (let i = 0, n = list.length; i < n && !ctx.full; i++) {
      ctx.pushIndex(i);
      check(ctx, unchecked(list.items[i]));
      ctx.pop();
    }
  }
  ctx.pop();
}

function checkAttribute(ctx: ValidationContext, v: JsonValue): void {
  const o = expectObject(ctx, v, 'each master-data attribute');
  if (o === null) return;
  requireUri(ctx, o, 'id', 'an attribute');
  const value = o.get('attribute');
  if (
    value === null ||
    value.kind == JsonKind.Number ||
    value.kind == JsonKind.String ||
    value.kind == JsonKind.Object
  )
    return;
  ctx.reportMember('attribute', 'attribute must be a number, a string or an object' + got(value));
}

function checkElement(ctx: ValidationContext, v: JsonValue): void {
  const o = expectObject(ctx, v, 'each vocabularyElementList entry');
  if (o === null) return;
  requireUri(ctx, o, 'id', 'a vocabulary element');
  checkItems(ctx, o, 'attributes', checkAttribute);
  const children = o.get('children');
  if (children === null) return;
  ctx.push('children');
  checkUriArray(ctx, children, 'children');
  ctx.pop();
}

function checkVocabulary(ctx: ValidationContext, v: JsonValue): void {
  const o = expectObject(ctx, v, 'each vocabularyList entry');
  if (o === null) return;
  requireUri(ctx, o, 'type', 'a vocabulary');
  checkItems(ctx, o, 'vocabularyElementList', checkElement);
}

/** vocabularyList: an array of vocabularies `{type, vocabularyElementList?}`. */
export function checkVocabularyList(ctx: ValidationContext, v: JsonValue): void {
  const list = expectArray(ctx, v, 'vocabularyList');
  if (list === null) return;
  for (let i = 0, n = list.length; i < n && !ctx.full; i++) {
    ctx.pushIndex(i);
    checkVocabulary(ctx, unchecked(list.items[i]));
    ctx.pop();
  }
}

/** epcisHeader: `{epcisMasterData?: {vocabularyList?}}` plus URI-named extensions. */
export function checkEpcisHeader(ctx: ValidationContext, v: JsonValue): void {
  const header = expectObject(ctx, v, 'epcisHeader');
  if (header === null) return;
  checkMemberNames(ctx, header, ['epcisMasterData'], 'an epcisHeader');
  const masterDataValue = header.get('epcisMasterData');
  if (masterDataValue === null) return;
  ctx.push('epcisMasterData');
  const masterData = expectObject(ctx, masterDataValue, 'epcisMasterData');
  if (masterData !== null) checkItems(ctx, masterData, 'vocabularyList', checkVocabulary);
  ctx.pop();
}
