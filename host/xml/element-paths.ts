// The core names a problem by event index and JSON pointer into the JSON it read; a client that
// sent XML needs the element instead. `/epcisBody/eventList/2/quantityList/0/quantity` of a 1.2
// document becomes `/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[3]/extension/quantityList/quantityElement[1]/quantity`.
import type { XmlConversion } from './xml-document-reader.js';

// JSON array members → the XML element each array item is.
const ITEM_ELEMENTS: Readonly<Record<string, string>> = {
  epcList: 'epc',
  childEPCs: 'epc',
  inputEPCList: 'epc',
  outputEPCList: 'epc',
  quantityList: 'quantityElement',
  childQuantityList: 'quantityElement',
  inputQuantityList: 'quantityElement',
  outputQuantityList: 'quantityElement',
  bizTransactionList: 'bizTransaction',
  sourceList: 'source',
  destinationList: 'destination',
  sensorElementList: 'sensorElement',
  correctiveEventIDs: 'correctiveEventID',
};
// Members that are XML attributes, by the JSON object they belong to.
const ATTRIBUTE_OWNERS: ReadonlySet<string> = new Set([
  'sensorMetadata',
  'sensorReport',
  'bizTransaction',
  'source',
  'destination',
]);
// Members whose value is the element's own text (bizTransaction: "…" is <bizTransaction>…</>).
const TEXT_MEMBERS: ReadonlySet<string> = new Set(['bizTransaction', 'source', 'destination']);
// Array members whose items repeat the member's own element (<sensorReport/><sensorReport/>, <set/>).
const REPEATED_ELEMENTS: ReadonlySet<string> = new Set(['sensorReport', 'set', 'unset']);

const EVENT_PREFIX = /^(?:\/epcisBody\/eventList|\/epcisBody\/queryResults\/resultsBody\/eventList)\/\d+/;

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** The element path of the core's (eventIndex, pointer), or null when it names no event. */
export function elementPathOf(conversion: XmlConversion, eventIndex: number, pointer: string): string | null {
  const eventPath = conversion.eventPaths[eventIndex];
  if (eventPath === undefined) return null;
  const rest = conversion.documentKind === 'Event' ? pointer : pointer.replace(EVENT_PREFIX, '');
  const tokens = rest.split('/').slice(1).map(unescape);
  let path = eventPath;
  const wrapped = conversion.wrapped[eventIndex];
  if (tokens.length > 0 && wrapped?.includes(tokens[0]!) === true) path += '/extension';
  let owner = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    const index = next !== undefined && /^\d+$/.test(next) ? Number(next) + 1 : null;
    if (index !== null && ITEM_ELEMENTS[token] !== undefined) {
      path += `/${token}/${ITEM_ELEMENTS[token]}[${index}]`;
      owner = ITEM_ELEMENTS[token];
      i++;
    } else if (index !== null && REPEATED_ELEMENTS.has(token)) {
      path += `/${token}[${index}]`;
      owner = token;
      i++;
    } else if (TEXT_MEMBERS.has(token) && owner === token) {
      // the item's own text: the path already names its element
    } else if (ATTRIBUTE_OWNERS.has(owner) && !token.includes(':')) {
      path += `/@${token}`;
    } else {
      path += `/${token}`;
      owner = token;
    }
  }
  return path;
}
