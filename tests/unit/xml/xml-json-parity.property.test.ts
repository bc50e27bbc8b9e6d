// One event, two formats: random valid events rendered as an EPCIS 2.0 JSON-LD document and as an
// EPCIS XML document (2.0, or 1.2 with its <extension> wrappers), each rendering with its own
// prefixes, namespace declarations, element and member order, CBV spelling, time zone notation,
// decimal spelling and whitespace (helpers/random-events.ts), must give the core the same events:
// the same hash IDs and the same index keys and state effect (everything the core reports about an
// accepted event but its byte range in the document).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import type { CaptureResult } from '../../../host/core/types.js';
import { XmlDocumentReader } from '../../../host/xml/xml-document-reader.js';
import { loadCore } from '../../helpers/core.js';
import { eventModel, jsonDocument, renderingChoices, xmlDocument } from './helpers/random-events.js';

let core: TrackerCore;
beforeAll(async () => {
  core = await loadCore();
});

function prepared(json: Uint8Array): CaptureResult {
  return JSON.parse(core.prepareRaw(json, { withPrehash: true })) as CaptureResult;
}

/** The XML read into the JSON the capture path hands the core, as POST /capture does. */
function converted(xml: string): Buffer {
  const bytes = Buffer.from(xml);
  const reader = new XmlDocumentReader({ maxDepth: 32, maxEvents: 100 }, bytes.length);
  reader.write(bytes);
  return reader.end().json;
}

/** What the core says about each event, without where its text stood in the document. */
function outcome(result: CaptureResult) {
  return {
    issues: result.issues,
    events: result.events.map((event) => {
      if (!event.accepted) return event;
      const rest: Partial<typeof event> = { ...event };
      delete rest.start;
      delete rest.end;
      return rest;
    }),
    prehashes: result.prehashes,
  };
}

const documents = fc.record({
  // Told apart by their first EPC, so that no two are one event (a duplicate would be refused).
  events: fc.uniqueArray(eventModel, { minLength: 1, maxLength: 3, selector: (event) => event.epcs[0] }),
  json: renderingChoices,
  xml: renderingChoices,
});

describe('an event captured as XML and as JSON', () => {
  it.each(['2.0', '1.2'] as const)('gets the same hash ID and index keys from EPCIS %s XML', (version) => {
    fc.assert(
      fc.property(documents, ({ events, json, xml }) => {
        const fromJson = outcome(prepared(Buffer.from(jsonDocument(events, json))));
        expect(fromJson.issues).toEqual([]);
        expect(fromJson.events.every((event) => event.accepted)).toBe(true);
        const fromXml = outcome(prepared(converted(xmlDocument(events, xml, version))));
        expect(fromXml).toEqual(fromJson);
      }),
      { numRuns: 150 },
    );
  });
});
