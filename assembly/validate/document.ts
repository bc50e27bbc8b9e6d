// Entry point for a captured document: decide what the root is (schema root `allOf`: an
// EPCISDocument, an EPCISQueryDocument, or a single event, which must then carry `@context`),
// check the document-level members, then every event.
import { DOCUMENT_LEVEL, IssueList } from '../diagnostics/issue';
import { JsonArray, JsonKind, JsonObject, JsonString, JsonValue } from '../json/value';
import { got } from './describe-value';
import { checkDocumentRoot } from './document-root';
import { checkEvent } from './event';
import { ValidationContext } from './validation-context';

export enum DocumentKind {
  EpcisDocument = 0,
  EpcisQueryDocument = 1,
  BareEvent = 2,
}

export const EVENT_LIST_POINTER = '/epcisBody/eventList';
export const QUERY_EVENT_LIST_POINTER = '/epcisBody/queryResults/resultsBody/eventList';

export class DocumentOutline {
  constructor(
    public kind: DocumentKind,
    /** The event list (for a bare event: that one event); empty when missing or malformed. */
    public events: Array<JsonValue>,
    /** Pointer of the event list; event i is at eventsPointer + "/" + i ("" for a bare event itself). */
    public eventsPointer: string,
    /** The root "@context", when there is one. */
    public context: JsonValue | null,
  ) {}
}

function checkEvents(ctx: ValidationContext, events: Array<JsonValue>, pointer: string): void {
  for (let i = 0, n = events.length; i < n && !ctx.full; i++) {
    ctx.begin(i, pointer);
    ctx.pushIndex(i);
    checkEvent(ctx, unchecked(events[i]), false);
  }
}

/**
 * Validates a whole document against the GS1 EPCIS 2.0 JSON schema plus the semantic rules.
 * Issues carry the event index (DOCUMENT_LEVEL for the document itself) and a pointer from the
 * root. When the root is neither a document nor an object with a type, kind is BareEvent, events
 * is empty and an issue says why.
 */
export function validateDocument(root: JsonValue, issues: IssueList): DocumentOutline {
  const ctx = new ValidationContext(issues);
  ctx.begin(DOCUMENT_LEVEL, '');
  if (root.kind != JsonKind.Object) {
    ctx.report(
      'the document must be a JSON object: an EPCISDocument, an EPCISQueryDocument or one event' + got(root),
    );
    return new DocumentOutline(DocumentKind.BareEvent, [], '', null);
  }
  const o = changetype<JsonObject>(root);
  const context = o.get('@context');
  const type = o.get('type');
  if (type === null || type.kind != JsonKind.String) {
    const message =
      'type must name the document: "EPCISDocument", "EPCISQueryDocument" or an event type such as "ObjectEvent"';
    ctx.reportMember('type', type === null ? message : message + got(type));
    return new DocumentOutline(DocumentKind.BareEvent, [], '', context);
  }
  const typeName = changetype<JsonString>(type).value;
  if (typeName == 'EPCISDocument' || typeName == 'EPCISQueryDocument') {
    const isQuery = typeName == 'EPCISQueryDocument';
    const list: JsonArray | null = checkDocumentRoot(ctx, o, isQuery);
    const pointer = isQuery ? QUERY_EVENT_LIST_POINTER : EVENT_LIST_POINTER;
    const events = list === null ? new Array<JsonValue>() : list.items;
    checkEvents(ctx, events, pointer);
    const kind = isQuery ? DocumentKind.EpcisQueryDocument : DocumentKind.EpcisDocument;
    return new DocumentOutline(kind, events, pointer, context);
  }
  const events = new Array<JsonValue>(1);
  unchecked((events[0] = root));
  ctx.begin(0, '');
  checkEvent(ctx, root, true);
  return new DocumentOutline(DocumentKind.BareEvent, events, '', context);
}
