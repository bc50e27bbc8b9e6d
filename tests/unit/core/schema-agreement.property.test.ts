import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { CoreStatus } from '../../../host/core/status.js';
import { json, loadCore } from '../../helpers/core.js';
import { schemaAccepts, schemaErrors } from '../../helpers/schema-oracle.js';
import { validExamples } from '../../helpers/shared-data.js';

type Json = Record<string, unknown>;

function eventsOf(document: Json): Json[] {
  const body = document['epcisBody'] as Json | undefined;
  if (body === undefined) return [document];
  if (Array.isArray(body['eventList'])) return body['eventList'] as Json[];
  const results = body['queryResults'] as { resultsBody: { eventList: Json[] } };
  return results.resultsBody.eventList;
}

/** Schema-level mutations: each breaks (or keeps) a rule the GS1 schema itself checks. */
const MUTATIONS: Record<string, (event: Json, pick: number) => void> = {
  dropEventTime: (e) => delete e['eventTime'],
  dropOffset: (e) => delete e['eventTimeZoneOffset'],
  dropAction: (e) => delete e['action'],
  dropEpcList: (e) => delete e['epcList'],
  corruptTime: (e, n) => {
    e['eventTime'] = [
      '2020-13-01T00:00:00Z',
      '2020-02-30T10:00:00Z',
      '2020-01-01T10:00:00',
      'yesterday',
      '2020-01-01T24:00:00Z',
    ][n % 5];
  },
  validTimeVariant: (e, n) => {
    e['eventTime'] = [
      '2020-01-01t10:00:00.123456z',
      '2020-01-01 10:00:00+0100',
      '2016-12-31T23:59:60Z',
      '2020-06-01T10:00:00-05',
    ][n % 4];
  },
  corruptOffset: (e, n) => {
    e['eventTimeZoneOffset'] = ['+1:00', '+15:00', 'Z', '01:00', '+14:00', '-13:59', '+14:30'][n % 7];
  },
  corruptUri: (e, n) => {
    e['readPoint'] = {
      id: ['not a uri', 'urn:epc:id:sgln:0614141.00777.0', 'http://x y', '://missing', 'a:b'][n % 5],
    };
  },
  corruptUom: (e, n) => {
    e['quantityList'] = [
      {
        epcClass: 'urn:epc:class:lgtin:4012345.012345.998877',
        quantity: 2,
        uom: ['KGM', 'kg', 'KGMX', 'K', '12'][n % 5],
      },
    ];
  },
  corruptAction: (e, n) => {
    e['action'] = ['UPDATE', 'add', 'ADD', 'OBSERVE', 7][n % 5];
  },
  corruptBizStep: (e, n) => {
    e['bizStep'] = [
      'urn:epcglobal:cbv:bizstep:shipping',
      'Shipping',
      'shipping',
      'https://ns.gs1.org/cbv/BizStep-x',
      'https://example.com/steps/x',
      'cbv:BizStep-shipping',
    ][n % 6];
  },
  corruptDisposition: (e, n) => {
    e['disposition'] = ['in_transit', 'IN_TRANSIT', 'urn:epcglobal:cbv:disp:in_transit', 'ex:custom', 42][
      n % 5
    ];
  },
  addExtension: (e, n) => {
    e[['myField', 'ex:myField', 'https://ns.example.com/f', 'bad key'][n % 4]!] = 'value';
  },
  wrongType: (e, n) => {
    const field = ['epcList', 'eventTime', 'readPoint', 'bizTransactionList', 'certificationInfo'][n % 5]!;
    e[field] = n % 2 === 0 ? 12 : { nested: true };
  },
  quantityAsText: (e) => {
    e['quantityList'] = [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: '2' }];
  },
};

let core: TrackerCore;
beforeAll(async () => {
  core = await loadCore();
});

describe('validation', () => {
  const bases = validExamples()
    .map((example) => JSON.parse(example.bytes.toString('utf8')) as Json)
    .filter((doc) => schemaAccepts(doc));

  it('agrees with the GS1 JSON schema (ajv + ajv-formats) on mutated published examples', () => {
    expect(bases.length).toBeGreaterThan(40);
    fc.assert(
      fc.property(
        fc.constantFrom(...bases.keys()),
        fc.nat(),
        fc.constantFrom(...Object.keys(MUTATIONS)),
        fc.nat(),
        (baseIndex, eventPick, mutation, variant) => {
          const document = structuredClone(bases[baseIndex]) as Json;
          const events = eventsOf(document);
          const event = events[eventPick % events.length]!;
          MUTATIONS[mutation]!(event, variant);
          const schemaVerdict = schemaAccepts(document);
          const errors = schemaErrors();
          const result = core.prepare(json(document));
          core.discard(result.batchId);
          const coreVerdict = result.status === CoreStatus.Ok;
          expect(
            coreVerdict,
            `${mutation}#${variant}: schema says ${schemaVerdict} ${errors}; core issues ${JSON.stringify(result.issues.slice(0, 3))}`,
          ).toBe(schemaVerdict);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
