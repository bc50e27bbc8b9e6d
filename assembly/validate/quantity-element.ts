// quantityElement `{epcClass, quantity?, uom?}` with `additionalProperties: false`, and the four
// lists made of them (quantityList, childQuantityList, inputQuantityList, outputQuantityList).
import { JsonKind, JsonObject, JsonString, JsonValue } from '../json/value';
import { got } from './describe-value';
import { isUom } from './string-patterns';
import { checkNumber, checkUri, expectArray } from './value-checks';
import { ValidationContext } from './validation-context';

function checkQuantityElement(ctx: ValidationContext, v: JsonValue): void {
  if (v.kind != JsonKind.Object) {
    ctx.report(
      'each quantity element must be an object like {"epcClass": "urn:epc:class:lgtin:…", "quantity": 10, "uom": "KGM"}' +
        got(v),
    );
    return;
  }
  const o = changetype<JsonObject>(v);
  let hasClass = false;
  for (let i = 0, n = o.size; i < n && !ctx.full; i++) {
    const key = unchecked(o.keys[i]);
    const value = unchecked(o.values[i]);
    ctx.push(key);
    if (key == 'epcClass') {
      hasClass = true;
      checkUri(ctx, value, 'epcClass');
    } else if (key == 'quantity') {
      checkNumber(ctx, value, 'quantity');
    } else if (key == 'uom') {
      if (value.kind != JsonKind.String || !isUom(changetype<JsonString>(value).value)) {
        ctx.report(
          'uom must be a UN/CEFACT unit code of 2 or 3 capital letters or digits, such as KGM or LTR' +
            got(value),
        );
      }
    } else {
      ctx.report('a quantity element has only epcClass, quantity and uom; ' + key + ' is not allowed here');
    }
    ctx.pop();
  }
  if (!hasClass)
    ctx.reportMember(
      'epcClass',
      'a quantity element must have an epcClass (a URI naming the class of objects)',
    );
}

/** Checks a quantity list at the current position; returns its length, or -1 when it is not an array. */
export function checkQuantityList(ctx: ValidationContext, v: JsonValue, label: string): i32 {
  const array = expectArray(ctx, v, label);
  if (array === null) return -1;
  const items = array.items;
  for (let i = 0, n = items.length; i < n && !ctx.full; i++) {
    ctx.pushIndex(i);
    checkQuantityElement(ctx, unchecked(items[i]));
    ctx.pop();
  }
  return items.length;
}
