// One stored event (its JSON-LD rendering, as the query answers show it) → the EPCIS 2.0 XML
// element, in the XSD's element order, so that the answer validates against GS1's 2.0 query XSD and
// captures back (xml-document-reader.ts) to the same event and the same hash ID.
import { EVENT_TYPE_FIELDS } from './event-type-fields.js';
import { xmlAttribute, xmlText } from './xml-escape.js';
import type { NamespaceScope } from './xml-namespaces.js';

type Json = Record<string, unknown>;

const WHERE = ['bizStep', 'disposition', 'readPoint', 'bizLocation'];
const FLOWS = ['sourceList', 'destinationList', 'sensorElementList', 'persistentDisposition'];

// EPCIS 2.0 XSD sequences (EPCglobal-epcis-2_0.xsd), after EPCISEventType's own fields.
const ORDER: Readonly<Record<string, readonly string[]>> = {
  ObjectEvent: [
    ...EVENT_TYPE_FIELDS,
    'epcList',
    'action',
    ...WHERE,
    'bizTransactionList',
    'quantityList',
    ...FLOWS,
    'ilmd',
  ],
  AggregationEvent: [
    ...EVENT_TYPE_FIELDS,
    'parentID',
    'childEPCs',
    'action',
    ...WHERE,
    'bizTransactionList',
    'childQuantityList',
    ...FLOWS,
  ],
  TransactionEvent: [
    ...EVENT_TYPE_FIELDS,
    'bizTransactionList',
    'parentID',
    'epcList',
    'action',
    ...WHERE,
    'quantityList',
    ...FLOWS,
  ],
  TransformationEvent: [
    ...EVENT_TYPE_FIELDS,
    'inputEPCList',
    'inputQuantityList',
    'outputEPCList',
    'outputQuantityList',
    'transformationID',
    ...WHERE,
    'bizTransactionList',
    ...FLOWS,
    'ilmd',
  ],
  AssociationEvent: [
    ...EVENT_TYPE_FIELDS,
    'parentID',
    'childEPCs',
    'childQuantityList',
    'action',
    ...WHERE,
    'bizTransactionList',
    ...FLOWS,
  ],
};

// CBV words → the URNs EPCIS XML writes (GS1's 2.0 XML examples); URIs stay as they are.
const CBV_URN: Readonly<Record<string, string>> = {
  bizStep: 'urn:epcglobal:cbv:bizstep:',
  disposition: 'urn:epcglobal:cbv:disp:',
  bizTransaction: 'urn:epcglobal:cbv:btt:',
  source: 'urn:epcglobal:cbv:sdt:',
  destination: 'urn:epcglobal:cbv:sdt:',
  reason: 'urn:epcglobal:cbv:er:',
};
const BARE_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const cbv = (field: string, value: string) => (BARE_WORD.test(value) ? `${CBV_URN[field]}${value}` : value);

const EPC_LISTS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);
const QUANTITY_LISTS = new Set([
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
]);
const TYPED_LISTS: Readonly<Record<string, string>> = {
  bizTransactionList: 'bizTransaction',
  sourceList: 'source',
  destinationList: 'destination',
};
const SKIPPED = new Set(['type', '@context']);

const scalar = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
const element = (name: string, text: string) => `<${name}>${xmlText(text)}</${name}>`;
const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** The event as XML, in the XSD's order, its user extensions (named through `ns`) last. */
export function eventToXml(event: Json, ns: NamespaceScope): string {
  const type = String(event['type']);
  const order = ORDER[type] ?? EVENT_TYPE_FIELDS;
  let out = `<${type}>`;
  for (const field of order) if (event[field] !== undefined) out += standardField(field, event[field], ns);
  for (const [key, value] of Object.entries(event)) {
    if (SKIPPED.has(key) || order.includes(key)) continue;
    out += extension(key, value, ns);
  }
  return `${out}</${type}>`;
}

function standardField(field: string, value: unknown, ns: NamespaceScope): string {
  if (EPC_LISTS.has(field))
    return `<${field}>${asList(value)
      .map((epc) => element('epc', scalar(epc)))
      .join('')}</${field}>`;
  if (QUANTITY_LISTS.has(field))
    return `<${field}>${asList(value)
      .map((q) => quantityElement(q as Json, ns))
      .join('')}</${field}>`;
  const item = TYPED_LISTS[field];
  if (item !== undefined)
    return `<${field}>${asList(value)
      .map((v) => typedItem(item, v as Json))
      .join('')}</${field}>`;
  switch (field) {
    case 'bizStep':
    case 'disposition':
      return element(field, cbv(field, scalar(value)));
    case 'readPoint':
    case 'bizLocation':
      return withMembers(field, value as Json, ['id'], ns);
    case 'errorDeclaration':
      return errorDeclaration(value as Json, ns);
    case 'sensorElementList':
      return `<sensorElementList>${asList(value)
        .map((e) => sensorElement(e as Json, ns))
        .join('')}</sensorElementList>`;
    case 'persistentDisposition':
      return persistentDisposition(value as Json, ns);
    case 'ilmd':
      return `<ilmd>${Object.entries(value as Json)
        .map(([k, v]) => extension(k, v, ns))
        .join('')}</ilmd>`;
    default:
      return element(field, scalar(value));
  }
}

/** Standard members in `order`, then the object's user extensions. */
function withMembers(name: string, value: Json, order: readonly string[], ns: NamespaceScope): string {
  let out = `<${name}>`;
  for (const member of order) if (value[member] !== undefined) out += element(member, scalar(value[member]));
  for (const [key, v] of Object.entries(value)) if (!order.includes(key)) out += extension(key, v, ns);
  return `${out}</${name}>`;
}

function quantityElement(value: Json, ns: NamespaceScope): string {
  return withMembers('quantityElement', value, ['epcClass', 'quantity', 'uom'], ns);
}

function typedItem(name: string, value: Json): string {
  const type = value['type'] === undefined ? '' : ` type="${xmlAttribute(cbv(name, scalar(value['type'])))}"`;
  return `<${name}${type}>${xmlText(scalar(value[name]))}</${name}>`;
}

function errorDeclaration(value: Json, ns: NamespaceScope): string {
  let out = '<errorDeclaration>';
  if (value['declarationTime'] !== undefined)
    out += element('declarationTime', scalar(value['declarationTime']));
  if (value['reason'] !== undefined) out += element('reason', cbv('reason', scalar(value['reason'])));
  const corrective = asList(value['correctiveEventIDs']);
  if (corrective.length > 0)
    out += `<correctiveEventIDs>${corrective.map((id) => element('correctiveEventID', scalar(id))).join('')}</correctiveEventIDs>`;
  for (const [key, v] of Object.entries(value))
    if (!['declarationTime', 'reason', 'correctiveEventIDs'].includes(key)) out += extension(key, v, ns);
  return `${out}</errorDeclaration>`;
}

function persistentDisposition(value: Json, ns: NamespaceScope): string {
  let out = '<persistentDisposition>';
  for (const member of ['unset', 'set'])
    for (const v of asList(value[member])) out += element(member, cbv('disposition', scalar(v)));
  for (const [key, v] of Object.entries(value))
    if (key !== 'set' && key !== 'unset') out += extension(key, v, ns);
  return `${out}</persistentDisposition>`;
}

function sensorElement(value: Json, ns: NamespaceScope): string {
  let out = '<sensorElement>';
  if (value['sensorMetadata'] !== undefined)
    out += attributesElement('sensorMetadata', value['sensorMetadata'] as Json, ns);
  for (const report of asList(value['sensorReport']))
    out += attributesElement('sensorReport', report as Json, ns);
  for (const [key, v] of Object.entries(value))
    if (key !== 'sensorMetadata' && key !== 'sensorReport') out += extension(key, v, ns);
  return `${out}</sensorElement>`;
}

// The JSON-LD context's measurement types are GS1 Web Vocabulary terms: gs1:Temperature in XML.
const GS1_TERM = /^[A-Z][A-Za-z]*$/;

/** sensorMetadata and sensorReport: every member an attribute (user extensions prefixed). */
function attributesElement(name: string, value: Json, ns: NamespaceScope): string {
  let attributes = '';
  for (const [key, v] of Object.entries(value)) {
    let text = scalar(v);
    if (name === 'sensorReport' && key === 'type' && GS1_TERM.test(text)) text = `gs1:${text}`;
    const attribute = key.includes(':') ? ns.qualify(key) : key;
    if (attribute !== null) attributes += ` ${attribute}="${xmlAttribute(text)}"`;
  }
  return `<${name}${attributes}/>`;
}

/** A user extension member as elements: text, child elements, or one element per array item. */
function extension(key: string, value: unknown, ns: NamespaceScope): string {
  if (key.startsWith('@')) return '';
  const name = key.includes(':') ? ns.qualify(key) : key;
  if (name === null) return '';
  if (Array.isArray(value)) return value.map((item) => extension(key, item, ns)).join('');
  if (value === null || typeof value !== 'object')
    return value === null ? `<${name}/>` : element(name, scalar(value));
  const object = value as Json;
  let attributes = '';
  let children = '';
  for (const [k, v] of Object.entries(object)) {
    if (k === '@value') continue;
    // An object with @value held an element's attributes beside its text (xml-document-reader.ts).
    if ('@value' in object) {
      const attribute = k.includes(':') ? ns.qualify(k) : k;
      if (attribute !== null) attributes += ` ${attribute}="${xmlAttribute(scalar(v))}"`;
    } else children += extension(k, v, ns);
  }
  if ('@value' in object) children = xmlText(scalar(object['@value']));
  return `<${name}${attributes}>${children}</${name}>`;
}
