// The EPCIS 2.0 EPCISQueryDocument in XML (urn:epcglobal:epcis-query:xsd:2): the event queries
// answer Accept: application/xml with it. Each stored event is rendered as the JSON answer renders
// it (eventForOutput: eventID, recordTime, GS1-EPC-Format), then written as XML with the prefixes
// of its own capture context (xml-namespaces.ts says why not the page's merged one).
import { eventForOutput, type StoredEventForOutput } from '../http/query-document.js';
import type { EpcFormat } from '../http/epc-format.js';
import { eventToXml } from './event-to-xml.js';
import { xmlText } from './xml-escape.js';
import { XmlNamespaces } from './xml-namespaces.js';
import { EPCIS_2_NS, EPCIS_QUERY_2_NS } from './xml-names.js';

export const XML_ANSWER_TYPE = 'application/xml';

/** A page's events as XML, the part of an answer worth caching (it holds no creationDate). */
export interface RenderedXmlEventList {
  /** The xmlns declarations the events need, for the document element. */
  namespaces: string;
  /** The EventList's children. */
  eventsXml: string;
}

/** Renders the events one at a time, awaiting `pause` before each, as renderEventList does for JSON. */
export async function renderEventListXml(
  events: readonly StoredEventForOutput[],
  format: EpcFormat,
  toDl: (id: string) => string,
  pause: () => Promise<void>,
): Promise<RenderedXmlEventList> {
  const namespaces = new XmlNamespaces();
  const parts: string[] = [];
  for (const stored of events) {
    await pause();
    const event = eventForOutput(stored, format, toDl);
    const captured = stored.contextJson === null ? null : (JSON.parse(stored.contextJson) as unknown);
    parts.push(eventToXml(event, namespaces.scope(captured, event['@context'])));
  }
  return { namespaces: namespaces.declarations(), eventsXml: parts.join('') };
}

/** The answer document around an already rendered event list. */
export function queryDocumentXml(queryName: string, list: RenderedXmlEventList, creationDate: Date): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<epcisq:EPCISQueryDocument xmlns:epcisq="${EPCIS_QUERY_2_NS}" xmlns:epcis="${EPCIS_2_NS}"${list.namespaces}` +
    ` schemaVersion="2.0" creationDate="${creationDate.toISOString()}">` +
    `<EPCISBody><epcisq:QueryResults><queryName>${xmlText(queryName)}</queryName>` +
    `<resultsBody><EventList>${list.eventsXml}</EventList></resultsBody></epcisq:QueryResults></EPCISBody>` +
    '</epcisq:EPCISQueryDocument>'
  );
}
