// The EPCISQueryDocument a subscription delivers: rendered exactly like a GET /events answer
// (eventForOutput via queryDocument), with the named query's name and the subscriptionID in
// epcisBody.queryResults, so the receiver knows which subscription a POST belongs to.
import { type EpcFormat } from '../http/epc-format.js';
import { queryDocument, type StoredEventForOutput } from '../http/query-document.js';

export function deliveryDocument(
  queryName: string,
  subscriptionId: string,
  events: readonly StoredEventForOutput[],
  format: EpcFormat,
  toDl: (id: string) => string,
): Record<string, unknown> {
  const document = queryDocument(queryName, events, format, toDl);
  const body = document['epcisBody'] as { queryResults: Record<string, unknown> };
  body.queryResults = { queryName, subscriptionID: subscriptionId, ...body.queryResults };
  return document;
}
