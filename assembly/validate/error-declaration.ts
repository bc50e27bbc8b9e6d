// errorDeclaration: `{declarationTime, reason?, correctiveEventIDs?}` plus URI-named extensions.
// An event carrying it retracts an earlier event with the same eventID (EPCIS.md §1.4).
import { JsonValue } from '../json/value';
import { Vocab } from '../vocab/cbv';
import { notAField } from './describe-value';
import { isUri } from './uri-format';
import { checkDateTime, checkUriArray, expectObject } from './value-checks';
import { ValidationContext } from './validation-context';
import { checkVocab } from './vocab-value';

export function checkErrorDeclaration(ctx: ValidationContext, v: JsonValue): void {
  const o = expectObject(ctx, v, 'errorDeclaration');
  if (o === null) return;
  let hasTime = false;
  for (let i = 0, n = o.size; i < n && !ctx.full; i++) {
    const key = unchecked(o.keys[i]);
    const value = unchecked(o.values[i]);
    ctx.push(key);
    if (key == 'declarationTime') {
      hasTime = true;
      checkDateTime(ctx, value, 'declarationTime');
    } else if (key == 'reason') {
      checkVocab(ctx, value, Vocab.ErrorReason, 'errorDeclaration reason');
    } else if (key == 'correctiveEventIDs') {
      checkUriArray(ctx, value, 'correctiveEventIDs');
    } else if (!isUri(key)) {
      ctx.report(notAField(key, 'errorDeclaration (declarationTime, reason, correctiveEventIDs)'));
    }
    ctx.pop();
  }
  if (!hasTime)
    ctx.reportMember('declarationTime', 'errorDeclaration must have a declarationTime (a date-time)');
}
