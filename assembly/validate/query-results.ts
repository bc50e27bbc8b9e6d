// The body of an EPCISQueryDocument down to its event list (schema `epcisQueryDocumentBody`,
// `queryResults`, `resultsBody`): each level names its members and allows URI-named extensions.
import { JsonArray, JsonObject } from '../json/value';
import { checkVocabularyList } from './master-data';
import { checkMemberNames, requireArray, requireMember } from './object-members';
import { checkString, expectObject } from './value-checks';
import { ValidationContext } from './validation-context';

function checkOptionalString(ctx: ValidationContext, o: JsonObject, key: string): void {
  const v = o.get(key);
  if (v === null) return;
  ctx.push(key);
  checkString(ctx, v, key);
  ctx.pop();
}

function resultsEventList(ctx: ValidationContext, results: JsonObject): JsonArray | null {
  checkMemberNames(ctx, results, ['queryName', 'subscriptionID', 'resultsBody'], 'a queryResults');
  if (
    requireMember(ctx, results, 'queryName', 'the name of the query that produced these results') !== null
  ) {
    checkOptionalString(ctx, results, 'queryName');
  }
  checkOptionalString(ctx, results, 'subscriptionID');
  const value = requireMember(ctx, results, 'resultsBody', 'it holds the eventList');
  if (value === null) return null;
  ctx.push('resultsBody');
  const body = expectObject(ctx, value, 'resultsBody');
  let events: JsonArray | null = null;
  if (body !== null) {
    checkMemberNames(ctx, body, ['eventList', 'vocabularyList'], 'a resultsBody');
    const vocabularies = body.get('vocabularyList');
    if (vocabularies !== null) {
      ctx.push('vocabularyList');
      checkVocabularyList(ctx, vocabularies);
      ctx.pop();
    }
    events = requireArray(ctx, body, 'eventList', 'the list of events (it may be empty)');
  }
  ctx.pop();
  return events;
}

/** Checks an EPCISQueryDocument's epcisBody; returns its event list when there is one. */
export function queryEventList(ctx: ValidationContext, body: JsonObject): JsonArray | null {
  checkMemberNames(ctx, body, ['queryResults'], 'an epcisBody');
  const value = requireMember(ctx, body, 'queryResults', 'an EPCISQueryDocument body holds queryResults');
  if (value === null) return null;
  ctx.push('queryResults');
  const results = expectObject(ctx, value, 'queryResults');
  const events: JsonArray | null = results === null ? null : resultsEventList(ctx, results);
  ctx.pop();
  return events;
}
