// A small supply-chain story captured through the API, with every event named, so query tests can
// say which events a parameter should find: commissioned items are packed on a pallet, shipped
// (the shipment is later declared erroneous and corrected), a lot is transformed, and a sensor
// reports the temperature of the store room.
import { EPCIS_CONTEXT, lgtin, sgln, sgtin, sscc } from '../../../helpers/epcis-builders.js';

export const eventId = (name: string): string => `urn:uuid:00000000-0000-4000-8000-${name.padStart(12, '0')}`;
export const nameOf = (id: unknown): string => String(id).slice(-12).replace(/^0+/, '');

const EXAMPLE_NS = 'https://ns.example.com/epcis/';

export const STORY_EVENTS = {
  // 1: two items commissioned at the factory.
  1: {
    type: 'ObjectEvent',
    eventID: eventId('1'),
    eventTime: '2024-03-01T08:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: [sgtin(1), sgtin(2)],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    readPoint: { id: sgln('00001') },
    bizLocation: { id: sgln('00001') },
    persistentDisposition: { set: ['completeness_verified'] },
    'example:batchNote': 'first run',
  },
  // 2: both packed onto pallet 1.
  2: {
    type: 'AggregationEvent',
    eventID: eventId('2'),
    eventTime: '2024-03-02T08:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    parentID: sscc(1),
    childEPCs: [sgtin(1), sgtin(2)],
    action: 'ADD',
    bizStep: 'packing',
    disposition: 'in_progress',
    readPoint: { id: sgln('00002') },
    bizLocation: { id: sgln('00001') },
  },
  // 3: the pallet is shipped under purchase order PO1 (declared erroneous by event 6).
  3: {
    type: 'ObjectEvent',
    eventID: eventId('3'),
    eventTime: '2024-03-03T08:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: [sscc(1)],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: sgln('00003') },
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO1' }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00001' }],
  },
  // 4: a lot of raw material becomes a product lot.
  4: {
    type: 'TransformationEvent',
    eventID: eventId('4'),
    eventTime: '2024-03-04T08:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    inputEPCList: [sgtin(3)],
    outputEPCList: [sgtin(4)],
    inputQuantityList: [{ epcClass: lgtin('RAW1'), quantity: 40, uom: 'KGM' }],
    outputQuantityList: [{ epcClass: lgtin('LOT7', '107347'), quantity: 12 }],
    transformationID: 'urn:epc:id:gdti:0614141.00001.1234',
    bizStep: 'commissioning',
    readPoint: { id: sgln('00004') },
  },
  // 5: a sensor reads the store room's temperature.
  5: {
    type: 'ObjectEvent',
    eventID: eventId('5'),
    eventTime: '2024-03-05T08:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    action: 'OBSERVE',
    bizStep: 'sensor_reporting',
    readPoint: { id: sgln('00005') },
    quantityList: [{ epcClass: lgtin('LOT7', '107347'), quantity: 12 }],
    sensorElementList: [
      {
        sensorMetadata: {
          startTime: '2024-03-05T06:00:00.000Z',
          endTime: '2024-03-05T07:00:00.000Z',
          deviceID: 'urn:epc:id:giai:4000001.111',
          bizRules: 'https://example.com/rules/cold-chain',
        },
        sensorReport: [
          { type: 'Temperature', value: 21.5, uom: 'CEL' },
          { type: 'RelativeHumidity', value: 40, uom: 'P1', stringValue: 'dry' },
        ],
      },
    ],
  },
  // 6: the shipment (event 3) did not happen as recorded; event 7 corrects it.
  6: {
    type: 'ObjectEvent',
    eventID: eventId('3'),
    eventTime: '2024-03-03T08:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: [sscc(1)],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: sgln('00003') },
    bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO1' }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00001' }],
    errorDeclaration: {
      declarationTime: '2024-03-06T08:00:00.000+01:00',
      reason: 'incorrect_data',
      correctiveEventIDs: [eventId('7')],
    },
  },
  // 7: the corrected shipment, from another dock.
  7: {
    type: 'ObjectEvent',
    eventID: eventId('7'),
    eventTime: '2024-03-03T09:00:00.000+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: [sscc(1)],
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    readPoint: { id: sgln('00006') },
  },
} as const;

export type StoryEventName = keyof typeof STORY_EVENTS;

/** Events 1-5 and 7 in one capture document; the declaration (6) goes separately to POST /events. */
export function storyDocument(): Record<string, unknown> {
  return {
    '@context': [EPCIS_CONTEXT, { example: EXAMPLE_NS }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2024-03-07T00:00:00Z',
    epcisBody: {
      eventList: [
        STORY_EVENTS[1],
        STORY_EVENTS[2],
        STORY_EVENTS[3],
        STORY_EVENTS[4],
        STORY_EVENTS[5],
        STORY_EVENTS[7],
      ],
    },
  };
}

export function storyDeclaration(): Record<string, unknown> {
  return { '@context': [EPCIS_CONTEXT], ...STORY_EVENTS[6] };
}

/** The story's name of a returned event: the declaration shares event 3's eventID. */
export function storyName(event: Record<string, unknown>): string {
  return event['errorDeclaration'] === undefined ? nameOf(event['eventID']) : '6';
}
