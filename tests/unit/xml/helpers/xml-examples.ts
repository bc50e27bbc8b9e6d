// The XML conformance data in ../shared/conformance/xml (read there, never copied), sorted into what
// must be accepted, what must be refused and which files pair with a JSON twin.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CONFORMANCE_DIR, walk } from '../../../helpers/shared-data.js';

export const XML_DIR = join(CONFORMANCE_DIR, 'xml');

export interface XmlExample {
  /** Path relative to shared/conformance/xml. */
  name: string;
  bytes: Buffer;
}

export const readXml = (name: string): XmlExample => ({ name, bytes: readFileSync(join(XML_DIR, name)) });

const segments = (name: string) => name.split('/');
// Query bodies (Poll requests), not documents to capture; GS1's master data document has no events.
const isQueryBody = (name: string) => segments(name).includes('Queries');
// hash-equal/ files repeat one event in every rendering: a capture of one is all duplicates (tested apart).
const isEventDocument = (name: string) =>
  name.endsWith('.xml') &&
  !isQueryBody(name) &&
  !name.startsWith('hash-equal/') &&
  !name.includes('masterdata_all_possible_fields');

/**
 * Files in valid folders the service refuses, each for a reason the JSON path shares (the same rule
 * of the core refuses its JSON rendering) or a defect of the file itself.
 */
export const REFUSED_DESPITE_FOLDER: Readonly<Record<string, string>> = {
  'gs1/XML/Example-PersistentDisposition.xml': 'persistentDisposition on an AggregationEvent',
  'openepcis/1.2/EPCIS/XML/Capture/Documents/AggregationEvent_all_possible_fields.xml':
    'persistentDisposition on an AggregationEvent',
  'openepcis/1.2/EPCIS/XML/Capture/Documents/AssociationEvent_all_possible_fields.xml':
    'persistentDisposition on an AssociationEvent',
  'openepcis/2.0/EPCIS/XML/Capture/Documents/AggregationEvent_with_persistentDisposition.xml':
    'persistentDisposition on an AggregationEvent (its JSON twin is refused too)',
  'openepcis/2.0/EPCIS/XML/Query/Documents/QueryResultsDocument.xml':
    'persistentDisposition on an AggregationEvent',
  'gs1/XML/WithSensorData/SensorDataExamples.xml': 'sensorReports without a type (event 9)',
  'openepcis/2.0/EPCIS/XML/Query/SensorData_with_combined_events.xml':
    'sensorReports without a type (its JSON twin is refused too)',
  'openepcis/1.2/EPCIS/XML/Capture/Documents/ObjectEvent_all_possible_fields.xml':
    'certificationInfo "test certification" is not a URI (the XSD refuses the file too)',
  'openepcis/1.2/EPCIS/XML/Capture/Documents/TransactionEvent_all_possible_fields.xml':
    'declarationTime 2006-11-07T13:00Z has no seconds (not an xsd:dateTime; the XSD refuses it too)',
  'openepcis/2.0/EPCIS/XML/Query/ObjectEventWithAllPossibleFields.xml':
    'declarationTime 2006-11-07T13:00Z has no seconds (not an xsd:dateTime)',
  'openepcis/2.0/EPCIS/XML/Capture/Documents/epcisDocWithAllGS1Keys.xml':
    'epcList names urn:epc:id:sscc:4012345.0000000333 twice, byte for byte (its JSON twin spells the second as a Digital Link)',
  'gs1/XSL/1.2/XML/ObjectEvent.xml':
    "an unqualified <myField> in 1.2's innermost extension: JSON-LD has no name for an element without a namespace",
};

const inInvalidFolder = (name: string) => segments(name).includes('Invalid');

function allEventDocuments(): string[] {
  return walk(XML_DIR)
    .map((path) => relative(XML_DIR, path))
    .filter(isEventDocument);
}

/** Documents (and bare events) to accept. */
export function validXml(): XmlExample[] {
  return allEventDocuments()
    .filter((name) => !inInvalidFolder(name) && REFUSED_DESPITE_FOLDER[name] === undefined)
    .map(readXml);
}

/** Documents to refuse, with the refusal naming an element. */
export function invalidXml(): XmlExample[] {
  return allEventDocuments()
    .filter((name) => inInvalidFolder(name) || REFUSED_DESPITE_FOLDER[name] !== undefined)
    .map(readXml);
}

/** A bare event (root element is the event): captured with POST /events, not POST /capture. */
export function isBareEvent(example: XmlExample): boolean {
  const head = example.bytes
    .toString('utf8', 0, 2000)
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  return /^\s*<([\w.-]+:)?(Object|Aggregation|Transaction|Transformation|Association)Event[\s>]/.test(head);
}

export interface XmlPair {
  xml: XmlExample;
  json: XmlExample;
}

/**
 * Pairs whose two files do not say the same (OpenEPCIS does not promise field-by-field identity):
 * what differs, which the comparison leaves out. `refused`: the XML file itself is refused
 * (REFUSED_DESPITE_FOLDER says why), so only the verdicts are compared.
 */
export const TWIN_DIFFERENCES: Readonly<Record<string, { members?: string[]; refused?: true; why: string }>> =
  {
    'openepcis/2.0/EPCIS/XML/Capture/Documents/Combination_of_different_event.xml': {
      members: ['errorDeclaration.declarationTime'],
      why: 'the JSON twin declares the error an hour later (14:00Z against 13:00Z); the eventIDs are given',
    },
    'openepcis/2.0/EPCIS/XML/Query/Combination_of_different_event.xml': {
      members: ['errorDeclaration.declarationTime'],
      why: 'the JSON twin declares the error an hour later (14:00Z against 13:00Z); the eventIDs are given',
    },
    'openepcis/2.0/EPCIS/XML/Capture/Documents/ObjectEvent_with_comment.xml': {
      members: ['rdfs:comment'],
      why: 'the XML carries the comment as an XML comment, which is no data; the JSON twin as rdfs:comment',
    },
    'openepcis/2.0/EPCIS/XML/Capture/Events/TransactionEvent.xml': {
      members: ['rail:vehicle'],
      why: 'the XML has an empty <rail:vehicleMasterGIAI/> the JSON twin leaves out (so the hash IDs differ too)',
    },
    'openepcis/2.0/EPCIS/XML/Capture/Documents/epcisDocWithAllGS1Keys.xml': {
      refused: true,
      why: 'the XML lists one SSCC twice in the same spelling; the JSON twin spells the second as a Digital Link',
    },
    'openepcis/2.0/EPCIS/XML/Query/ObjectEventWithAllPossibleFields.xml': {
      refused: true,
      why: 'the XML declarationTime 2006-11-07T13:00Z has no seconds; the JSON twin has them',
    },
  };

export function xmlPairs(): XmlPair[] {
  return readFileSync(join(XML_DIR, 'pairs.tsv'), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [xml = '', json = ''] = line.split('\t');
      return { xml: readXml(xml), json: readXml(json) };
    })
    .filter((pair) => !isQueryBody(pair.xml.name));
}

export interface XmlHashVector {
  name: string;
  document: XmlExample;
  hashes: string[];
}

export function xmlHashVectors(): XmlHashVector[] {
  const dir = join(XML_DIR, 'hash-vectors');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.xml'))
    .sort()
    .map((file) => {
      const name = basename(file, '.xml');
      const hashes = readFileSync(join(dir, `${name}.hashes`), 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '');
      return { name, document: readXml(`hash-vectors/${file}`), hashes };
    });
}

export function hashEqualFiles(): XmlExample[] {
  return readdirSync(join(XML_DIR, 'hash-equal'))
    .filter((file) => file.endsWith('.xml'))
    .sort()
    .map((file) => readXml(`hash-equal/${file}`));
}
