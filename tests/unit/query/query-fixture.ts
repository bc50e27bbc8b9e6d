// A small supply-chain story stored through the real schema, used by the per-parameter tests:
// commission two items, pack them on a pallet, ship it, transform lot material, report sensor data,
// declare the shipment erroneous and capture its correction, plus one event of an extension type.
import type { Database } from 'better-sqlite3';
import { dl } from './fake-canon.js';
import { insertEvent } from './query-test-db.js';

export const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
export const HOUR = 3_600_000;
export const iso = (ms: number): string => new Date(ms).toISOString();

export const CBV = 'https://ref.gs1.org/cbv/';
export const ITEM1 = 'urn:epc:id:sgtin:0614141.107346.1';
export const ITEM2 = 'urn:epc:id:sgtin:0614141.107346.2';
export const ITEM3 = 'urn:epc:id:sgtin:0614141.200000.3';
export const ITEM4 = 'urn:epc:id:sgtin:0614141.200000.4';
export const ITEMS_107346 = 'urn:epc:idpat:sgtin:0614141.107346.*';
export const ITEMS_200000 = 'urn:epc:idpat:sgtin:0614141.200000.*';
export const LOT1 = 'urn:epc:class:lgtin:0614141.107346.LOT1';
export const LOT2 = 'urn:epc:class:lgtin:0614141.107346.LOT2';
export const PALLET = 'urn:epc:id:sscc:0614141.1234567890';
export const PLANT = 'urn:epc:id:sgln:0614141.00001.0';
export const PLANT_DOCK = 'urn:epc:id:sgln:0614141.00001.7';
export const WAREHOUSE = 'urn:epc:id:sgln:0614141.00002.0';
export const GATE = 'urn:epc:id:sgln:0614141.00003.0';
export const OWNER = 'urn:epc:id:pgln:0614141.00000';
export const PO = 'urn:epcglobal:cbv:bt:0614141073467:PO-1';
export const DEVICE = 'urn:epc:id:giai:0614141.DEV1';
export const CUSTOM_TYPE = 'https://ns.example.com/epcis/InspectionEvent';

/** Inserts the story; returns a map from seq to the event's name. */
export function insertStory(db: Database): Map<number, string> {
  const names = new Map<number, string>();
  const add = (name: string, seq: number) => names.set(seq, name);
  add(
    'commission',
    insertEvent(db, {
      eventId: 'urn:test:commission',
      action: 'ADD',
      eventTimeMs: T0,
      recordTimeMs: T0 + 10 * HOUR,
      bizStep: `${CBV}BizStep-commissioning`,
      disposition: `${CBV}Disp-active`,
      readPoint: dl(PLANT),
      bizLocation: dl(PLANT),
      epcs: [
        [dl(ITEM1), 'epcList'],
        [dl(ITEM2), 'epcList'],
      ],
      links: [
        ['persistentDispositionSet', null, `${CBV}Disp-active`],
        ['bizTransaction', `${CBV}BTT-po`, PO],
        ['source', `${CBV}SDT-owning_party`, OWNER],
      ],
      body: {
        type: 'ObjectEvent',
        'ex:temp': 21.5,
        'ex:when': '2026-03-01T09:00:00+01:00',
        'ex:code': '5',
        readPoint: { id: PLANT, 'ex:dock': 'D1' },
        ilmd: { 'ex:lot': 'L1', 'ex:nested': { 'ex:deep': 5 } },
      },
    }),
  );
  add(
    'pack',
    insertEvent(db, {
      eventId: 'urn:test:pack',
      type: 'AggregationEvent',
      action: 'ADD',
      eventTimeMs: T0 + HOUR,
      recordTimeMs: T0 + 11 * HOUR,
      bizStep: `${CBV}BizStep-packing`,
      bizLocation: dl(PLANT_DOCK),
      epcs: [
        [dl(PALLET), 'parentID'],
        [dl(ITEM1), 'childEPCs'],
        [dl(ITEM2), 'childEPCs'],
        [dl(LOT1), 'childQuantityList', 10],
      ],
    }),
  );
  add(
    'ship',
    insertEvent(db, {
      eventId: 'urn:test:ship',
      eventTimeMs: T0 + 2 * HOUR,
      recordTimeMs: T0 + 12 * HOUR,
      bizStep: `${CBV}BizStep-shipping`,
      disposition: `${CBV}Disp-in_transit`,
      readPoint: dl(GATE),
      epcs: [[dl(PALLET), 'epcList']],
      links: [
        ['persistentDispositionUnset', null, `${CBV}Disp-active`],
        ['destination', `${CBV}SDT-location`, dl(WAREHOUSE)],
      ],
    }),
  );
  add(
    'transform',
    insertEvent(db, {
      eventId: 'urn:test:transform',
      type: 'TransformationEvent',
      action: null,
      eventTimeMs: T0 + 3 * HOUR,
      recordTimeMs: T0 + 13 * HOUR,
      transformationId: 'urn:uuid:6b7a0f36-0000-4000-8000-000000000001',
      bizLocation: dl(WAREHOUSE),
      epcs: [
        [dl(ITEM3), 'inputEPCList'],
        [dl(ITEM4), 'outputEPCList'],
        [dl(LOT1), 'inputQuantityList', 500, 'KGM'],
        [dl(ITEMS_200000), 'outputQuantityList', 452, 'KGM'],
      ],
    }),
  );
  add(
    'sensor',
    insertEvent(db, {
      eventId: 'urn:test:sensor',
      eventTimeMs: T0 + 4 * HOUR,
      recordTimeMs: T0 + 14 * HOUR,
      hasSensorData: true,
      epcs: [[dl(LOT2), 'quantityList', 3]],
      body: {
        type: 'ObjectEvent',
        sensorElementList: [
          {
            'ex:tag': 'probe-7',
            sensorMetadata: {
              time: '2026-03-01T11:55:00Z',
              startTime: '2026-03-01T11:00:00Z',
              endTime: '2026-03-01T12:00:00Z',
              deviceID: DEVICE,
              dataProcessingMethod: 'https://example.com/dpm/avg',
              'ex:batch': 7,
            },
            sensorReport: [
              {
                type: 'Temperature',
                value: 30,
                uom: 'CEL',
                percRank: 60,
                bizRules: 'https://example.com/rules/cold',
                'ex:calib': 'C1',
              },
              {
                type: 'gs1:RelativeHumidity',
                value: 80,
                uom: 'P1',
                stringValue: 'ok',
                hexBinaryValue: '0A1B',
                booleanValue: true,
                uriValue: 'https://example.com/u',
                microorganism: 'https://www.ncbi.nlm.nih.gov/taxonomy/1496',
                chemicalSubstance: 'https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N',
                time: '2026-03-01T11:58:00Z',
              },
            ],
          },
        ],
      },
    }),
  );
  add(
    'declaration',
    insertEvent(db, {
      eventId: 'urn:test:ship',
      eventTimeMs: T0 + 2 * HOUR,
      recordTimeMs: T0 + 15 * HOUR,
      bizStep: `${CBV}BizStep-shipping`,
      disposition: `${CBV}Disp-in_transit`,
      readPoint: dl(GATE),
      declarationTimeMs: T0 + 5 * HOUR,
      errorReason: `${CBV}ER-did_not_occur`,
      epcs: [[dl(PALLET), 'epcList']],
      links: [
        ['correctiveEventID', null, 'urn:test:corrective'],
        ['destination', `${CBV}SDT-location`, dl(WAREHOUSE)],
      ],
      body: {
        type: 'ObjectEvent',
        errorDeclaration: { declarationTime: iso(T0 + 5 * HOUR), reason: 'did_not_occur', 'ex:note': 'typo' },
      },
    }),
  );
  add(
    'corrective',
    insertEvent(db, {
      eventId: 'urn:test:corrective',
      eventTimeMs: T0 + 6 * HOUR,
      recordTimeMs: T0 + 16 * HOUR,
      bizStep: `${CBV}BizStep-shipping`,
      readPoint: dl(GATE),
      epcs: [[dl(PALLET), 'epcList']],
    }),
  );
  add(
    'custom',
    insertEvent(db, {
      eventId: 'urn:test:custom',
      type: CUSTOM_TYPE,
      action: null,
      eventTimeMs: T0 + 7 * HOUR,
      recordTimeMs: T0 + 17 * HOUR,
      body: { type: CUSTOM_TYPE, 'ex:outer': { 'ex:inner': 'x' } },
    }),
  );
  return names;
}
