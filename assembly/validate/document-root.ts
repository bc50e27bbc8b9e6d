// The root members of an EPCISDocument or EPCISQueryDocument (schema `epcisDocument`,
// `epcisQueryDocument`). Events themselves are checked by the caller, after these.
import { JsonArray, JsonKind, JsonObject, JsonString, JsonValue } from '../json/value';
import { checkContext } from './context';
import { got } from './describe-value';
import { checkEpcisHeader } from './master-data';
import { checkMemberNames, requireArray, requireMember } from './object-members';
import { queryEventList } from './query-results';
import { isVersion } from './string-patterns';
import { checkDateTime, checkString, checkUri, expectObject } from './value-checks';
import { ValidationContext } from './validation-context';

// prettier-ignore
const DOCUMENT_MEMBERS: string[] = [
  '@context', 'id', 'type', 'schemaVersion', 'creationDate', 'instanceIdentifier', 'sender', 'receiver', 'epcisHeader', 'epcisBody',
];
const QUERY_DOCUMENT_MEMBERS: string[] = [
  '@context',
  'id',
  'type',
  'schemaVersion',
  'creationDate',
  'epcisBody',
];

function checkMember(ctx: ValidationContext, key: string, v: JsonValue, isQuery: bool): JsonArray | null {
  if (key == '@context') {
    checkContext(ctx, v);
  } else if (key == 'id') {
    checkUri(ctx, v, 'id');
  } else if (key == 'schemaVersion') {
    if (v.kind != JsonKind.String || !isVersion(changetype<JsonString>(v).value)) {
      ctx.report('schemaVersion must be a version string such as "2.0"' + got(v));
    }
  } else if (key == 'creationDate') {
    checkDateTime(ctx, v, 'creationDate');
  } else if (key == 'epcisHeader') {
    checkEpcisHeader(ctx, v);
  } else if (key == 'epcisBody') {
    const body = expectObject(ctx, v, 'epcisBody');
    if (body === null) return null;
    if (isQuery) return queryEventList(ctx, body);
    return requireArray(ctx, body, 'eventList', 'the list of events (it may be empty)');
  } else if (key != 'type') {
    checkString(ctx, v, key);
  }
  return null;
}

/** Checks the root members of an EPCIS(Query)Document; returns its event list when there is one. */
export function checkDocumentRoot(ctx: ValidationContext, root: JsonObject, isQuery: bool): JsonArray | null {
  const members = isQuery ? QUERY_DOCUMENT_MEMBERS : DOCUMENT_MEMBERS;
  checkMemberNames(ctx, root, members, 'a document');
  let events: JsonArray | null = null;
  for (let i = 0, n = root.size; i < n && !ctx.full; i++) {
    const key = unchecked(root.keys[i]);
    if (!members.includes(key)) continue;
    ctx.push(key);
    const list = checkMember(ctx, key, unchecked(root.values[i]), isQuery);
    if (list !== null) events = list;
    ctx.pop();
  }
  const context =
    'the JSON-LD context, e.g. "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"';
  requireMember(ctx, root, '@context', context);
  if (!isQuery) {
    requireMember(ctx, root, 'schemaVersion', 'the EPCIS version, "2.0"');
    requireMember(ctx, root, 'creationDate', 'the date-time at which the document was created');
  }
  requireMember(ctx, root, 'epcisBody', 'the body that holds the events');
  return events;
}
