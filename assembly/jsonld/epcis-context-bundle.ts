// The EPCIS 2.0 JSON-LD context, bundled so an edge device resolves it offline.
//
// Derived from https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld as copied into
// shared/conformance/schema/epcis-context-2.0.0.jsonld
// (sha256 e532647e8eb371379b8b0e8602d8981c8566bc60f7351f22c76a5bc865962008, 20686 bytes).
// Only what expansion and the protected-term check need is kept: the namespace prefixes and the
// IRI of every top-level term. Scoped contexts (the bare CBV words under bizStep, disposition, …)
// live in vocab/cbv.ts.
//
// Newer documents name https://ref.gs1.org/standards/epcis/epcis-context.jsonld or its 2.0.1 alias
// (sha256 5056c65f991425b1d3a35e35edf4f7d0c7ff56cf688c2912b930f93494713737, the copy the reference
// hash generator bundles). It has the same terms with two differences, kept as an edition:
// `gs1` is https://ref.gs1.org/voc/ instead of https://gs1.org/voc/, and the top-level terms are no
// longer `@protected` (only the scoped contexts are).

export enum ContextEdition {
  None = 0,
  V2_0_0 = 1,
  V2_0_1 = 2,
}

/** The context URLs we resolve offline and the edition each one names. */
const CONTEXT_URLS: string[] = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  // Pre-publication location of the same 2.0.0 context; three gs1/EPCIS examples still use it.
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  'https://ref.gs1.org/standards/epcis/2.0.1/epcis-context.jsonld',
];
const CONTEXT_URL_EDITIONS: ContextEdition[] = [
  ContextEdition.V2_0_0,
  ContextEdition.V2_0_0,
  ContextEdition.V2_0_1,
  ContextEdition.V2_0_1,
];

/** The edition a context URL names, or ContextEdition.None for a URL we do not bundle. */
export function editionOfUrl(url: string): ContextEdition {
  for (let i = 0, n = CONTEXT_URLS.length; i < n; i++) {
    if (unchecked(CONTEXT_URLS[i]) == url) return unchecked(CONTEXT_URL_EDITIONS[i]);
  }
  return ContextEdition.None;
}

/** True when the edition marks every top-level term `@protected`. */
export function editionIsProtected(edition: ContextEdition): bool {
  return edition == ContextEdition.V2_0_0;
}

/** The namespace prefixes the context declares, in file order. */
export const BUNDLE_PREFIXES: string[] = ['epcis', 'cbv', 'cbvmda', 'gs1', 'rdfs', 'owl', 'xsd', 'dcterms'];

/** The IRI of each prefix in BUNDLE_PREFIXES for the given edition. */
export function bundlePrefixIri(index: i32, edition: ContextEdition): string {
  if (index == 3)
    return edition == ContextEdition.V2_0_1 ? 'https://ref.gs1.org/voc/' : 'https://gs1.org/voc/';
  return unchecked(PREFIX_IRIS[index]);
}

const PREFIX_IRIS: string[] = [
  'https://ref.gs1.org/epcis/',
  'https://ref.gs1.org/cbv/',
  'urn:epcglobal:cbv:mda:',
  '',
  'http://www.w3.org/2000/01/rdf-schema#',
  'http://www.w3.org/2002/07/owl#',
  'http://www.w3.org/2001/XMLSchema#',
  'http://purl.org/dc/terms/',
];

// Every other top-level term with the IRI (or keyword) it maps to, as written in the file:
// `name=definition`, where a definition starting with `epcis:` etc. is a CURIE over the prefixes.
// For terms with an expanded definition ({"@id": …, "@type": …}) this is their `@id`.
const TERMS: string[] = [
  'id=@id',
  'type=@type',
  'baseURL=@base',
  'eventID=@id',
  'ObjectEvent=epcis:ObjectEvent',
  'AggregationEvent=epcis:AggregationEvent',
  'TransformationEvent=epcis:TransformationEvent',
  'AssociationEvent=epcis:AssociationEvent',
  'TransactionEvent=epcis:TransactionEvent',
  'Collection=epcis:Collection',
  'member=rdfs:member',
  'eventTime=epcis:eventTime',
  'recordTime=epcis:recordTime',
  'eventTimeZoneOffset=epcis:eventTimeZoneOffset',
  'action=epcis:action',
  'certificationInfo=epcis:certificationInfo',
  'bizStep=epcis:bizStep',
  'disposition=epcis:disposition',
  'bizLocation=epcis:bizLocation',
  'readPoint=epcis:readPoint',
  'transformationID=epcis:transformationID',
  'epcList=epcis:epcList',
  'sourceList=epcis:sourceList',
  'destinationList=epcis:destinationList',
  'persistentDisposition=epcis:persistentDisposition',
  'quantity=epcis:quantity',
  'epcClass=epcis:epcClass',
  'uom=epcis:uom',
  'quantityList=epcis:quantityList',
  'bizTransactionList=epcis:bizTransactionList',
  'parentID=epcis:parentID',
  'childEPCs=epcis:childEPCs',
  'childQuantityList=epcis:childQuantityList',
  'inputEPCList=epcis:inputEPCList',
  'outputEPCList=epcis:outputEPCList',
  'inputQuantityList=epcis:inputQuantityList',
  'outputQuantityList=epcis:outputQuantityList',
  'sensorElementList=epcis:sensorElementList',
  'errorDeclaration=epcis:errorDeclaration',
  'creationDate=dcterms:created',
  'sender=epcis:sender',
  'receiver=epcis:receiver',
  'instanceIdentifier=epcis:instanceIdentifier',
  'schemaVersion=owl:versionInfo',
  'ilmd=epcis:ilmd',
  'EPCISDocument=epcis:EPCISDocument',
  'EPCISQueryDocument=epcis:EPCISQueryDocument',
  'epcisHeader=epcis:epcisHeader',
  'masterData=epcis:masterData',
  'vocabularyList=epcis:vocabularyList',
  'epcisBody=epcis:epcisBody',
  'queryResults=epcis:queryResults',
  'subscriptionID=epcis:subscriptionID',
  'queryName=epcis:queryName',
  'resultsBody=epcis:resultsBody',
  'eventList=epcis:eventList',
  'children=epcis:children',
];

function buildTermMap(): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0, n = TERMS.length; i < n; i++) {
    const entry = unchecked(TERMS[i]);
    const eq = entry.indexOf('=');
    map.set(entry.substring(0, eq), entry.substring(eq + 1));
  }
  return map;
}

const TERM_DEFINITIONS = buildTermMap();

/** Index of `name` in BUNDLE_PREFIXES, or -1. */
export function bundlePrefixIndex(name: string): i32 {
  for (let i = 0, n = BUNDLE_PREFIXES.length; i < n; i++) if (unchecked(BUNDLE_PREFIXES[i]) == name) return i;
  return -1;
}

/** The expanded IRI (or keyword) the bundle gives a top-level term, or null if it defines none. */
export function bundleTermIri(name: string, edition: ContextEdition): string | null {
  const prefix = bundlePrefixIndex(name);
  if (prefix >= 0) return bundlePrefixIri(prefix, edition);
  if (!TERM_DEFINITIONS.has(name)) return null;
  const definition = TERM_DEFINITIONS.get(name);
  const colon = definition.indexOf(':');
  if (colon < 0) return definition;
  const index = bundlePrefixIndex(definition.substring(0, colon));
  return index < 0 ? definition : bundlePrefixIri(index, edition) + definition.substring(colon + 1);
}
