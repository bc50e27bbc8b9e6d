// One EPCIS 1.2 or 2.0 XML event → the JSON object of its EPCIS 2.0 JSON-LD rendering, member for
// member as the GS1 binding writes it, so that the core validates, hashes and stores it exactly as
// it would the JSON twin. 1.2's `<extension>` and `<baseExtension>` wrappers are transparent;
// elements in any other namespace are user extensions and become prefixed JSON-LD terms.
import { EVENT_TYPE_FIELDS } from './event-type-fields.js';
import type { EventContext } from './json-context.js';
import { ElementPath, type XmlNode } from './xml-node.js';
import { XmlInputError } from './xml-input-error.js';
import { booleanValue, cbvValue, measurementType, numberValue } from './xml-values.js';
import { isEpcisName, XMLNS_NS, XSI_NS } from './xml-names.js';

export type Json = Record<string, unknown>;

interface Reading {
  path: ElementPath;
  ctx: EventContext;
}

type FieldReader = (node: XmlNode, reading: Reading) => unknown;

const text = (node: XmlNode): string => node.text.trim();

function invalid(reading: Reading, message: string, attribute?: string): never {
  throw new XmlInputError('invalid', reading.path.toString(attribute), message);
}

/** Visits a node's children, `path` pointing at each while `visit` runs. */
function eachChild(node: XmlNode, reading: Reading, visit: (child: XmlNode) => void): void {
  for (const child of node.children) {
    reading.path.push(child);
    visit(child);
    reading.path.pop();
  }
}

/**
 * Adds a user extension member; a name seen before turns into an array (repeated elements). An
 * element's own value is text or an object, never an array, so an array here is one made here.
 */
function addRepeatable(out: Json, key: string, value: unknown): void {
  const seen = out[key];
  if (seen === undefined) out[key] = value;
  else if (Array.isArray(seen)) seen.push(value);
  else out[key] = [seen, value];
}

/**
 * A user extension element: its text, or an object of its attributes and child elements (as the
 * CBV 2.0 hash reads an XML extension: attributes are members like child elements).
 */
function extensionValue(node: XmlNode, reading: Reading): unknown {
  const out: Json = {};
  for (const attribute of node.attributes) {
    if (attribute.uri === '') out[attribute.local] = attribute.value;
    else readForeignAttribute(attribute, out, reading);
  }
  const hasMembers = Object.keys(out).length > 0;
  if (node.children.length === 0) {
    const value = text(node);
    if (!hasMembers) {
      reading.ctx.noteCurie(value);
      return value;
    }
    // `<cbvmda:drainedWeight measurementUnitCode="KGM">4.5</…>`: the text beside its attributes.
    if (value !== '') out['@value'] = value;
    return out;
  }
  eachChild(node, reading, (child) => {
    const key = isEpcisName(child.uri) ? child.local : reading.ctx.term(child.uri, child.prefix, child.local);
    addRepeatable(out, key, extensionValue(child, reading));
  });
  return out;
}

/**
 * Standard children by `readers`, the `extension` wrappers (1.2, and 2.0's in readPoint, bizLocation,
 * errorDeclaration) as if their children stood here, other namespaces as user extensions.
 */
function readMembers(
  node: XmlNode,
  reading: Reading,
  readers: Readonly<Record<string, FieldReader>>,
  out: Json,
  onWrapped?: (key: string) => void,
  wrapped = false,
): Json {
  eachChild(node, reading, (child) => {
    if (isNil(child)) return;
    if (!isEpcisName(child.uri)) {
      addRepeatable(
        out,
        reading.ctx.term(child.uri, child.prefix, child.local),
        extensionValue(child, reading),
      );
      return;
    }
    if (child.local === 'extension' || child.local === 'baseExtension') {
      readMembers(child, reading, readers, out, onWrapped, true);
      return;
    }
    const name = ALIASES[child.local] ?? child.local;
    const reader = Object.hasOwn(readers, name) ? readers[name] : undefined;
    if (reader === undefined) {
      // 1.2's innermost extension points take unqualified elements (xsd:any ##local): user data.
      if (wrapped && child.uri === '') {
        addRepeatable(out, child.local, extensionValue(child, reading));
        return;
      }
      invalid(reading, `<${child.name}> is not an element EPCIS defines here`);
    }
    if (name in out) invalid(reading, `<${child.name}> appears more than once`);
    out[name] = reader(child, reading);
    if (wrapped) onWrapped?.(name);
  });
  return out;
}

/** `xsi:nil="true"`: the element stands for an absent value (GS1's corrective-event example). */
function isNil(node: XmlNode): boolean {
  return node.attributes.some((a) => a.uri === XSI_NS && a.local === 'nil' && a.value.trim() === 'true');
}

// Spellings seen in GS1's own 1.2 examples (XSL/1.2/XML/AssociationEvent.xml).
const ALIASES: Readonly<Record<string, string>> = { sensorMetaData: 'sensorMetadata' };

const plain: FieldReader = (node) => text(node);

function list(itemName: string, item: FieldReader): FieldReader {
  return (node, reading) => {
    const items: unknown[] = [];
    eachChild(node, reading, (child) => {
      if (!isEpcisName(child.uri) || child.local !== itemName)
        invalid(reading, `<${node.name}> holds <${itemName}> elements only`);
      items.push(item(child, reading));
    });
    return items;
  };
}

const cbv =
  (vocabulary: Parameters<typeof cbvValue>[0]): FieldReader =>
  (node) =>
    cbvValue(vocabulary, text(node));

const QUANTITY_ELEMENT: Record<string, FieldReader> = {
  epcClass: plain,
  quantity: (node) => numberValue(text(node)),
  uom: plain,
};

const quantityList = list('quantityElement', (node, reading) =>
  readMembers(node, reading, QUANTITY_ELEMENT, {}),
);

const LOCATION: Record<string, FieldReader> = { id: plain };

/** bizTransaction, source, destination: the value as text, the `type` attribute as "type". */
function typedItem(valueKey: string, vocabulary: 'bizTransactionType' | 'sourceDestType'): FieldReader {
  return (node, reading) => {
    const out: Json = {};
    for (const attribute of node.attributes) {
      if (attribute.uri === '' && attribute.local === 'type')
        out['type'] = cbvValue(vocabulary, attribute.value);
      else if (attribute.uri !== '') readForeignAttribute(attribute, out, reading);
      else invalid(reading, `<${node.name}> has no attribute ${attribute.local}`, attribute.local);
    }
    if (node.children.length > 0) invalid(reading, `<${node.name}> holds text only`);
    out[valueKey] = text(node);
    return out;
  };
}

function readForeignAttribute(attribute: XmlNode['attributes'][number], out: Json, reading: Reading): void {
  if (attribute.uri === XSI_NS || attribute.uri === XMLNS_NS) return;
  out[reading.ctx.term(attribute.uri, attribute.prefix, attribute.local)] = attribute.value;
}

const SENSOR_NUMBERS = new Set([
  'value',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
]);
const SENSOR_METADATA_ATTRIBUTES = new Set([
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
]);
const SENSOR_REPORT_ATTRIBUTES = new Set([
  ...SENSOR_NUMBERS,
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'uom',
  'coordinateReferenceSystem',
]);

function sensorAttributes(known: ReadonlySet<string>): FieldReader {
  return (node, reading) => {
    const out: Json = {};
    for (const attribute of node.attributes) {
      if (attribute.uri !== '') {
        readForeignAttribute(attribute, out, reading);
        continue;
      }
      const name = attribute.local;
      const value = attribute.value.trim();
      // The XSD's anyAttribute (lax) admits attributes it does not name; they stay text.
      if (!known.has(name)) {
        out[name] = value;
        continue;
      }
      if (SENSOR_NUMBERS.has(name)) out[name] = numberValue(value);
      else if (name === 'booleanValue') out[name] = booleanValue(value);
      else if (name === 'type') {
        reading.ctx.noteCurie(value);
        out[name] = measurementType(value);
      } else {
        if (name === 'component') reading.ctx.noteCurie(value);
        out[name] = value;
      }
    }
    // Extension elements inside sensorMetadata/sensorReport are user data too.
    return readMembers(node, reading, {}, out);
  };
}

const readSensorMetadata = sensorAttributes(SENSOR_METADATA_ATTRIBUTES);
const readSensorReport = sensorAttributes(SENSOR_REPORT_ATTRIBUTES);

/** JSON puts sensorMetadata, then the sensorReport array, then user extensions in their order. */
const sensorElement: FieldReader = (node, reading) => {
  let metadata: unknown;
  const reports: unknown[] = [];
  const extensions: Json = {};
  eachChild(node, reading, (child) => {
    if (!isEpcisName(child.uri)) {
      addRepeatable(
        extensions,
        reading.ctx.term(child.uri, child.prefix, child.local),
        extensionValue(child, reading),
      );
    } else if (child.local === 'sensorReport') {
      reports.push(readSensorReport(child, reading));
    } else if ((ALIASES[child.local] ?? child.local) === 'sensorMetadata' && metadata === undefined) {
      metadata = readSensorMetadata(child, reading);
    } else if (child.local === 'extension') {
      readMembers(child, reading, {}, extensions);
    } else invalid(reading, `<${child.name}> is not an element of sensorElement`);
  });
  const out: Json = {};
  if (metadata !== undefined) out['sensorMetadata'] = metadata;
  if (reports.length > 0) out['sensorReport'] = reports;
  return Object.assign(out, extensions);
};

const persistentDisposition: FieldReader = (node, reading) => {
  const out: Json = {};
  eachChild(node, reading, (child) => {
    if (!isEpcisName(child.uri)) {
      addRepeatable(
        out,
        reading.ctx.term(child.uri, child.prefix, child.local),
        extensionValue(child, reading),
      );
    } else if (child.local === 'set' || child.local === 'unset') {
      const values = (out[child.local] as string[] | undefined) ?? [];
      values.push(cbvValue('disposition', text(child)));
      out[child.local] = values;
    } else invalid(reading, `<${child.name}> is not an element of persistentDisposition`);
  });
  return out;
};

const ERROR_DECLARATION: Record<string, FieldReader> = {
  declarationTime: plain,
  reason: cbv('errorReason'),
  correctiveEventIDs: list('correctiveEventID', plain),
};

const ilmd: FieldReader = (node, reading) => readMembers(node, reading, {}, {});

const EVENT_FIELDS: Readonly<Record<string, FieldReader>> = {
  eventTime: plain,
  recordTime: plain,
  eventTimeZoneOffset: plain,
  eventID: plain,
  certificationInfo: plain,
  errorDeclaration: (node, reading) => readMembers(node, reading, ERROR_DECLARATION, {}),
  parentID: plain,
  epcList: list('epc', plain),
  childEPCs: list('epc', plain),
  inputEPCList: list('epc', plain),
  outputEPCList: list('epc', plain),
  quantityList,
  childQuantityList: quantityList,
  inputQuantityList: quantityList,
  outputQuantityList: quantityList,
  transformationID: plain,
  action: plain,
  bizStep: cbv('bizStep'),
  disposition: cbv('disposition'),
  persistentDisposition,
  readPoint: (node, reading) => readMembers(node, reading, LOCATION, {}),
  bizLocation: (node, reading) => readMembers(node, reading, LOCATION, {}),
  bizTransactionList: list('bizTransaction', typedItem('bizTransaction', 'bizTransactionType')),
  sourceList: list('source', typedItem('source', 'sourceDestType')),
  destinationList: list('destination', typedItem('destination', 'sourceDestType')),
  sensorElementList: list('sensorElement', sensorElement),
  ilmd,
};

export interface ConvertedEvent {
  json: Json;
  /** JSON members that stood inside 1.2 `<extension>`/`<baseExtension>` wrappers (for element paths). */
  wrapped: string[] | null;
}

/** The event element `node` (path `eventPath`) as its JSON-LD rendering, "type" first. */
export function eventToJson(
  node: XmlNode,
  eventPath: string,
  ctx: EventContext,
  options: { baseOrder: boolean },
): ConvertedEvent {
  const path = new ElementPath(eventPath);
  path.push(node);
  const reading: Reading = { path, ctx };
  if (options.baseOrder) checkBaseOrder(node, reading);
  let wrapped: string[] | null = null;
  const out = readMembers(node, reading, EVENT_FIELDS, { type: node.local }, (key) => {
    (wrapped ??= []).push(key);
  });
  return { json: out, wrapped };
}

/**
 * The common event fields stand first and in the XSD's order (OpenEPCIS's
 * ObjectEvent_with_wrong_element_order.xml puts action first). The fields of each event type are
 * read in any order: producers differ there, and JSON has no order to keep.
 */
function checkBaseOrder(node: XmlNode, reading: Reading): void {
  let rank = -1;
  let previous = '';
  let typeFieldSeen = '';
  eachChild(node, reading, (child) => {
    if (!isEpcisName(child.uri)) return;
    const at = EVENT_TYPE_FIELDS.indexOf(child.local);
    if (at < 0) {
      typeFieldSeen ||= child.name;
      return;
    }
    if (typeFieldSeen !== '')
      invalid(
        reading,
        `<${child.name}> must come before <${typeFieldSeen}> (EPCISEventType's fields come first)`,
      );
    if (at < rank) invalid(reading, `<${child.name}> must come before <${previous}>`);
    rank = at;
    previous = child.name;
  });
}
