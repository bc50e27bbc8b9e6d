import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import type { AcceptedEvent } from '../../../host/core/types.js';
import { json, loadCore } from '../../helpers/core.js';
import {
  aggregationEvent,
  epcisDocument,
  objectEvent,
  sgtin,
  transformationEvent,
} from '../../helpers/epcis-builders.js';
import { schemaAccepts, schemaErrors } from '../../helpers/schema-oracle.js';
import { buildServiceApp, eventList, get, post, type ServiceApp } from '../../helpers/service-app.js';

// One SSCC in its two spellings, and another object.
const AS_URN = 'urn:epc:id:sscc:4012345.0000000333';
const AS_LINK = 'https://id.gs1.org/00/040123450000003338';
const OTHER = 'urn:epc:id:sscc:4012345.0000000111';
const OTHER_LINK = 'https://id.gs1.org/00/040123450000001112';
const TIME = '2026-04-01T08:00:00Z';

let core: TrackerCore;
let service: ServiceApp;
beforeAll(async () => {
  core = await loadCore();
  service = await buildServiceApp();
});
afterAll(async () => {
  await service.close();
});

function prepared(event: Record<string, unknown>, withPrehash = false) {
  const result = core.prepare(json(epcisDocument([event])), { withPrehash });
  core.discard(result.batchId);
  expect(result.issues).toEqual([]);
  return { event: result.events[0] as AcceptedEvent, prehash: result.prehashes?.[0] ?? '' };
}

describe('one object written in two forms in one list', () => {
  it('is indexed once per list, in every EPC list, and still hashed as captured', () => {
    expect(prepared(objectEvent(TIME, 'OBSERVE', [AS_URN, OTHER, AS_LINK])).event.epcs).toEqual([
      [AS_LINK, 'epcList'],
      [OTHER_LINK, 'epcList'],
    ]);
    // The hash ID is still the CBV 2.0 hash of the event as captured, the repeat included.
    const twice = prepared(objectEvent(TIME, 'OBSERVE', [AS_URN, AS_LINK]), true);
    const once = prepared(objectEvent(TIME, 'OBSERVE', [AS_LINK]), true);
    expect(twice.event.epcs).toEqual(once.event.epcs);
    expect(twice.prehash).toContain(`epcListepc=${AS_LINK}epc=${AS_LINK}action=`);
    expect(twice.event.hashId).not.toBe(once.event.hashId);
    expect(prepared(aggregationEvent(TIME, 'ADD', sgtin(1), [AS_LINK, AS_URN])).event.epcs).toEqual([
      [core.canonical(sgtin(1)).value, 'parentID'],
      [AS_LINK, 'childEPCs'],
    ]);
    // The same object as input and output is two roles, each listed once.
    expect(prepared(transformationEvent(TIME, [AS_URN, AS_LINK], [AS_LINK, AS_URN])).event.epcs).toEqual([
      [AS_LINK, 'inputEPCList'],
      [AS_LINK, 'outputEPCList'],
    ]);
  });

  it('finds repeats among thousands of entries as well as among a few', () => {
    const many = Array.from({ length: 2000 }, (_, i) => sgtin(i + 1));
    const links = many.map((epc) => core.canonical(epc).value);
    const { event } = prepared(objectEvent(TIME, 'OBSERVE', [...many, ...links.slice(0, 500)]));
    expect(event.epcs.map(([id]) => id)).toEqual(links);
  });

  it('comes back once from GET /events as a Digital Link and as captured, valid against the schema', async () => {
    const event = {
      ...objectEvent(TIME, 'OBSERVE', [AS_URN, OTHER, AS_LINK]),
      eventID: 'urn:uuid:0f0e0d0c-0000-4000-8000-000000000014',
    };
    const captured = await post(service.app, '/capture', epcisDocument([event]));
    expect(captured.statusCode, captured.body).toBe(202);
    const query = `/events?EQ_eventID=${encodeURIComponent(event.eventID)}`;

    const asLinks = await get(service.app, query);
    expect(eventList(asLinks).map((e) => e['epcList'])).toEqual([[AS_LINK, OTHER_LINK]]);
    expect(schemaAccepts(asLinks.json()), schemaErrors()).toBe(true);

    const asCaptured = await get(service.app, query, { 'GS1-EPC-Format': 'Never_Translates' });
    expect(eventList(asCaptured).map((e) => e['epcList'])).toEqual([[AS_URN, OTHER]]);

    const byObject = await get(service.app, `/events?MATCH_epc=${encodeURIComponent(AS_LINK)}`);
    expect(eventList(byObject)).toHaveLength(1);
  });
});
