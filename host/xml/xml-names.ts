// The XML namespaces of EPCIS 1.2 and 2.0 and the names of their event elements. Standard event
// fields are unqualified in both versions; a few producers qualify them with the EPCIS namespace,
// which the reader accepts as the same field (OpenEPCIS's Namespace_document.xml).

export const EPCIS_NAMESPACES: ReadonlySet<string> = new Set([
  'urn:epcglobal:epcis:xsd:1',
  'urn:epcglobal:epcis:xsd:2',
  'urn:epcglobal:epcis-query:xsd:1',
  'urn:epcglobal:epcis-query:xsd:2',
]);

export const EPCIS_2_NS = 'urn:epcglobal:epcis:xsd:2';
export const EPCIS_QUERY_2_NS = 'urn:epcglobal:epcis-query:xsd:2';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Namespaces a document declares for its own machinery, never for user extensions. */
export const MACHINERY_NAMESPACES: ReadonlySet<string> = new Set([
  ...EPCIS_NAMESPACES,
  XSI_NS,
  XML_NS,
  'http://www.w3.org/2001/XMLSchema',
  'http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader',
  'urn:epcglobal:epcis-masterdata:xsd:1',
  'urn:epcglobal:epcis-masterdata:xsd:2',
  'urn:epcglobal:cbv:mda',
  'urn:epcglobal:cbv:mda:',
]);

export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
]);

/** Standard or EPCIS-namespaced: an element whose name the EPCIS schema defines. */
export function isEpcisName(uri: string): boolean {
  return uri === '' || EPCIS_NAMESPACES.has(uri);
}
