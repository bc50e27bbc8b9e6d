import type { Database } from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import { runEventQuery } from '../../../host/query/run-query.js';
import { dl, fakeCanon } from './fake-canon.js';
import {
  CUSTOM_TYPE,
  DEVICE,
  GATE,
  HOUR,
  ITEM1,
  ITEM3,
  ITEM4,
  ITEMS_107346,
  ITEMS_200000,
  LOT1,
  OWNER,
  PALLET,
  PLANT,
  PLANT_DOCK,
  PO,
  T0,
  WAREHOUSE,
  insertStory,
  iso,
} from './query-fixture.js';
import { openTestDb } from './query-test-db.js';

let db: Database;
let names: Map<number, string>;

beforeAll(() => {
  db = openTestDb();
  names = insertStory(db);
});

/** The names of the events a GET /events query string returns, in arrival order. */
function query(search: string): string[] {
  const parsed = parseEventQuery(new URLSearchParams(search), fakeCanon);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  const page = runEventQuery(db, parsed.query, { limit: 1000 });
  return page.rows.map((row) => names.get(row.seq) ?? '?');
}

const q = (params: Record<string, string>): string => new URLSearchParams(params).toString();
const ALL = ['commission', 'pack', 'ship', 'transform', 'sensor', 'declaration', 'corrective', 'custom'];

// Each case names the events that must come back; every other event of the story must not.
const cases: [string, string, string[]][] = [
  ['eventType', q({ eventType: 'AggregationEvent' }), ['pack']],
  ['eventType (pipe list)', q({ eventType: 'AggregationEvent|TransformationEvent' }), ['pack', 'transform']],
  ['eventType (extension type URI)', q({ eventType: CUSTOM_TYPE }), ['custom']],
  ['GE_eventTime (inclusive)', q({ GE_eventTime: iso(T0 + 6 * HOUR) }), ['corrective', 'custom']],
  ['GE_eventTime (one ms later)', q({ GE_eventTime: iso(T0 + 6 * HOUR + 1) }), ['custom']],
  ['LT_eventTime (exclusive)', q({ LT_eventTime: iso(T0 + HOUR) }), ['commission']],
  [
    'GE_ and LT_eventTime with an offset',
    q({ GE_eventTime: '2026-03-01T10:00:00+01:00', LT_eventTime: '2026-03-01T11:00:00+01:00' }),
    ['pack'],
  ],
  ['GE_recordTime (inclusive)', q({ GE_recordTime: iso(T0 + 16 * HOUR) }), ['corrective', 'custom']],
  ['LT_recordTime (exclusive)', q({ LT_recordTime: iso(T0 + 11 * HOUR) }), ['commission']],
  ['EQ_action', q({ EQ_action: 'ADD' }), ['commission', 'pack']],
  ['EQ_action (pipe list)', q({ EQ_action: 'ADD|DELETE' }), ['commission', 'pack']],
  ['EQ_bizStep (bare word)', q({ EQ_bizStep: 'packing' }), ['pack']],
  ['EQ_bizStep (cbv: CURIE)', q({ EQ_bizStep: 'cbv:BizStep-commissioning' }), ['commission']],
  [
    'EQ_bizStep (URI)',
    q({ EQ_bizStep: `https://ref.gs1.org/cbv/BizStep-shipping` }),
    ['ship', 'declaration', 'corrective'],
  ],
  ['EQ_bizStep (pipe list)', q({ EQ_bizStep: 'packing|commissioning' }), ['commission', 'pack']],
  ['EQ_disposition', q({ EQ_disposition: 'in_transit' }), ['ship', 'declaration']],
  ['EQ_persistentDisposition_set', q({ EQ_persistentDisposition_set: 'active' }), ['commission']],
  ['EQ_persistentDisposition_unset', q({ EQ_persistentDisposition_unset: 'active' }), ['ship']],
  ['EQ_readPoint (URN)', q({ EQ_readPoint: PLANT }), ['commission']],
  ['EQ_readPoint (Digital Link)', q({ EQ_readPoint: dl(GATE) }), ['ship', 'declaration', 'corrective']],
  ['WD_readPoint', q({ WD_readPoint: PLANT }), ['commission']],
  ['EQ_bizLocation (not its sub-locations)', q({ EQ_bizLocation: PLANT }), ['commission']],
  [
    'WD_bizLocation (a GLN and its /254/ sub-locations)',
    q({ WD_bizLocation: PLANT }),
    ['commission', 'pack'],
  ],
  ['WD_bizLocation (a sub-location has none)', q({ WD_bizLocation: PLANT_DOCK }), ['pack']],
  [
    'EQ_transformationID',
    q({ EQ_transformationID: 'urn:uuid:6b7a0f36-0000-4000-8000-000000000001' }),
    ['transform'],
  ],
  ['MATCH_epc (epcList and childEPCs)', q({ MATCH_epc: ITEM1 }), ['commission', 'pack']],
  ['MATCH_epc (Digital Link equals URN)', q({ MATCH_epc: dl(ITEM1) }), ['commission', 'pack']],
  ['MATCH_epc (not parentID)', q({ MATCH_epc: PALLET }), ['ship', 'declaration', 'corrective']],
  ['MATCH_epc (idpat pattern)', q({ MATCH_epc: ITEMS_107346 }), ['commission', 'pack']],
  ['MATCH_parentID', q({ MATCH_parentID: PALLET }), ['pack']],
  ['MATCH_inputEPC', q({ MATCH_inputEPC: ITEM3 }), ['transform']],
  ['MATCH_inputEPC (not outputs)', q({ MATCH_inputEPC: ITEM4 }), []],
  ['MATCH_outputEPC', q({ MATCH_outputEPC: dl(ITEM4) }), ['transform']],
  [
    'MATCH_anyEPC',
    q({ MATCH_anyEPC: `${PALLET}|${ITEM3}` }),
    ['pack', 'ship', 'transform', 'declaration', 'corrective'],
  ],
  ['MATCH_anyEPC (idpat pattern)', q({ MATCH_anyEPC: ITEMS_200000 }), ['transform']],
  ['MATCH_epcClass (lgtin)', q({ MATCH_epcClass: LOT1 }), ['pack']],
  ['MATCH_epcClass (idpat covers its lots)', q({ MATCH_epcClass: ITEMS_107346 }), ['pack', 'sensor']],
  ['MATCH_inputEPCClass', q({ MATCH_inputEPCClass: LOT1 }), ['transform']],
  [
    'MATCH_outputEPCClass (the pattern class itself)',
    q({ MATCH_outputEPCClass: ITEMS_200000 }),
    ['transform'],
  ],
  ['MATCH_outputEPCClass (not inputs)', q({ MATCH_outputEPCClass: LOT1 }), []],
  ['MATCH_anyEPCClass', q({ MATCH_anyEPCClass: dl(LOT1) }), ['pack', 'transform']],
  ['EQ_quantity', q({ EQ_quantity: '10' }), ['pack']],
  ['EQ_quantity (pipe list)', q({ EQ_quantity: '3|10' }), ['pack', 'sensor']],
  ['GT_quantity', q({ GT_quantity: '10' }), ['transform']],
  ['GE_quantity', q({ GE_quantity: '10' }), ['pack', 'transform']],
  ['LT_quantity', q({ LT_quantity: '10' }), ['sensor']],
  ['LE_quantity', q({ LE_quantity: '10' }), ['pack', 'sensor']],
  ['GE_ and LT_quantity on one element', q({ GE_quantity: '4', LT_quantity: '452' }), ['pack']],
  ['EQ_quantity_KGM', q({ EQ_quantity_KGM: '500' }), ['transform']],
  ['GT_quantity_KGM', q({ GT_quantity_KGM: '500' }), []],
  ['LE_quantity_KGM', q({ LE_quantity_KGM: '452' }), ['transform']],
  ['LT_quantity_KGM', q({ LT_quantity_KGM: '452' }), []],
  ['GE_quantity_KGM', q({ GE_quantity_KGM: '453' }), ['transform']],
  [
    'EQ_eventID (the event and its error declaration)',
    q({ EQ_eventID: 'urn:test:ship' }),
    ['ship', 'declaration'],
  ],
  ['EXISTS_errorDeclaration', q({ EXISTS_errorDeclaration: 'true' }), ['declaration']],
  ['EXISTS_errorDeclaration (void form)', 'EXISTS_errorDeclaration', ['declaration']],
  ['EXISTS_errorDeclaration=false', q({ EXISTS_errorDeclaration: 'false' }), ALL],
  [
    'GE_errorDeclarationTime (inclusive)',
    q({ GE_errorDeclarationTime: iso(T0 + 5 * HOUR) }),
    ['declaration'],
  ],
  ['GE_errorDeclarationTime (later)', q({ GE_errorDeclarationTime: iso(T0 + 5 * HOUR + 1) }), []],
  ['LT_errorDeclarationTime (exclusive)', q({ LT_errorDeclarationTime: iso(T0 + 5 * HOUR) }), []],
  ['LT_errorDeclarationTime', q({ LT_errorDeclarationTime: iso(T0 + 5 * HOUR + 1) }), ['declaration']],
  ['GE_errorDeclaration_Time (QSCHEMA spelling)', q({ GE_errorDeclaration_Time: iso(T0) }), ['declaration']],
  ['EQ_errorReason', q({ EQ_errorReason: 'did_not_occur' }), ['declaration']],
  ['EQ_errorReason (other reason)', q({ EQ_errorReason: 'incorrect_data' }), []],
  ['EQ_correctiveEventID', q({ EQ_correctiveEventID: 'urn:test:corrective' }), ['declaration']],
  ['EQ_bizTransaction_<word>', q({ EQ_bizTransaction_po: PO }), ['commission']],
  ['EQ_bizTransaction_<other word>', q({ EQ_bizTransaction_desadv: PO }), []],
  [
    'EQ_bizTransaction_<URI>',
    q({ [`EQ_bizTransaction_${'https://ref.gs1.org/cbv/BTT-po'}`]: PO }),
    ['commission'],
  ],
  ['EQ_source_<type>', q({ EQ_source_owning_party: OWNER }), ['commission']],
  ['EQ_source_<other type>', q({ EQ_source_possessing_party: OWNER }), []],
  ['EQ_destination_<type>', q({ EQ_destination_location: WAREHOUSE }), ['ship', 'declaration']],
  ['EQ_<extension> (number)', q({ 'EQ_ex:temp': '21.5' }), ['commission']],
  ['EQ_<extension> (string that looks like a number)', q({ 'EQ_ex:code': '5' }), ['commission']],
  [
    'EQ_<extension> (same instant, other offset)',
    q({ 'EQ_ex:when': '2026-03-01T08:00:00Z' }),
    ['commission'],
  ],
  ['EQ_<extension> (no match)', q({ 'EQ_ex:temp': '21' }), []],
  ['GT_<extension>', q({ 'GT_ex:temp': '21' }), ['commission']],
  ['GE_<extension> (inclusive)', q({ 'GE_ex:temp': '21.5' }), ['commission']],
  ['LT_<extension>', q({ 'LT_ex:temp': '21.5' }), []],
  ['LE_<extension> (date-time)', q({ 'LE_ex:when': '2026-03-01T08:00:00Z' }), ['commission']],
  ['LT_<extension> (a date-time never matches a number)', q({ 'LT_ex:temp': '2030-01-01T00:00:00Z' }), []],
  ['EXISTS_<extension>', q({ 'EXISTS_ex:temp': '' }), ['commission']],
  ['EQ_ILMD_<field>', q({ 'EQ_ILMD_ex:lot': 'L1' }), ['commission']],
  ['EQ_ILMD_<field> (other value)', q({ 'EQ_ILMD_ex:lot': 'L2' }), []],
  ['EQ_ILMD_<field> (only direct members)', q({ 'EQ_ILMD_ex:deep': '5' }), []],
  ['EQ_INNER_ILMD_<field>', q({ 'EQ_INNER_ILMD_ex:deep': '5' }), ['commission']],
  ['EQ_INNER_<field>', q({ 'EQ_INNER_ex:inner': 'x' }), ['custom']],
  ['EQ_<field> (INNER_ fields are not top-level)', q({ 'EQ_ex:inner': 'x' }), []],
  ['EQ_readPoint_<field>', q({ 'EQ_readPoint_ex:dock': 'D1' }), ['commission']],
  ['EQ_ERROR_DECLARATION_<field>', q({ 'EQ_ERROR_DECLARATION_ex:note': 'typo' }), ['declaration']],
  ['EXISTS_SENSORELEMENT_<field>', q({ 'EXISTS_SENSORELEMENT_ex:tag': 'true' }), ['sensor']],
  ['EQ_SENSORMETADATA_<field>', q({ 'EQ_SENSORMETADATA_ex:batch': '7' }), ['sensor']],
  ['EQ_SENSORREPORT_<field>', q({ 'EQ_SENSORREPORT_ex:calib': 'C1' }), ['sensor']],
  ['EQ_SENSORREPORT_<field> (other value)', q({ 'EQ_SENSORREPORT_ex:calib': 'C2' }), []],
  ['EXISTS_sensorElementList', q({ EXISTS_sensorElementList: 'true' }), ['sensor']],
  ['EQ_type (bare word)', q({ EQ_type: 'Temperature' }), ['sensor']],
  ['EQ_type (stored as gs1: CURIE)', q({ EQ_type: 'RelativeHumidity' }), ['sensor']],
  ['EQ_type (absent)', q({ EQ_type: 'Pressure' }), []],
  ['GE_value_<UOM>', q({ GE_value_CEL: '30' }), ['sensor']],
  ['GT_value_<UOM>', q({ GT_value_CEL: '30' }), []],
  ['GE_value_<UOM> (unit-converted)', q({ GE_value_KEL: '303' }), ['sensor']],
  ['LT_value_<UOM> (unit-converted)', q({ LT_value_FAH: '86.1' }), ['sensor']],
  ['GE_value_<UOM> (unit-converted, too high)', q({ GE_value_KEL: '303.2' }), []],
  ['EQ_value_<UOM> (unit-converted)', q({ EQ_value_KEL: '1|303.15' }), ['sensor']],
  ['GE_value_<UOM> (other dimension)', q({ GE_value_KGM: '0' }), []],
  ['EQ_type and a value in the same report', q({ EQ_type: 'Temperature', GE_value_CEL: '25' }), ['sensor']],
  ['EQ_type and a value in different reports', q({ EQ_type: 'RelativeHumidity', GE_value_CEL: '25' }), []],
  ['EQ_deviceID (from sensorMetadata)', q({ EQ_deviceID: DEVICE }), ['sensor']],
  ['EQ_deviceID (other device)', q({ EQ_deviceID: 'urn:epc:id:giai:0614141.DEV2' }), []],
  ['EQ_dataProcessingMethod', q({ EQ_dataProcessingMethod: 'https://example.com/dpm/avg' }), ['sensor']],
  ['EQ_bizRules', q({ EQ_bizRules: 'https://example.com/rules/cold' }), ['sensor']],
  ['EQ_microorganism', q({ EQ_microorganism: 'https://www.ncbi.nlm.nih.gov/taxonomy/1496' }), ['sensor']],
  [
    'EQ_chemicalSubstance',
    q({ EQ_chemicalSubstance: 'https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N' }),
    ['sensor'],
  ],
  ['EQ_stringValue', q({ EQ_stringValue: 'ok' }), ['sensor']],
  ['EQ_stringValue (other)', q({ EQ_stringValue: 'OK' }), []],
  ['EQ_hexBinaryValue (any case)', q({ EQ_hexBinaryValue: '0a1b' }), ['sensor']],
  ['EQ_uriValue', q({ EQ_uriValue: 'https://example.com/u' }), ['sensor']],
  ['EQ_booleanValue=true', q({ EQ_booleanValue: 'true' }), ['sensor']],
  ['EQ_booleanValue=false', q({ EQ_booleanValue: 'false' }), []],
  ['GE_percRank', q({ GE_percRank: '60' }), ['sensor']],
  ['GT_percRank', q({ GT_percRank: '60' }), []],
  ['LE_percRank', q({ LE_percRank: '60' }), ['sensor']],
  ['LT_percRank', q({ LT_percRank: '60' }), []],
  ['GE_startTime', q({ GE_startTime: '2026-03-01T11:00:00Z' }), ['sensor']],
  ['LT_startTime (exclusive)', q({ LT_startTime: '2026-03-01T11:00:00Z' }), []],
  ['GE_endTime', q({ GE_endTime: '2026-03-01T13:00:00+01:00' }), ['sensor']],
  ['LT_endTime', q({ LT_endTime: '2026-03-01T12:00:00Z' }), []],
  ['GE_time (sensorReport or sensorMetadata)', q({ GE_time: '2026-03-01T11:58:00Z' }), ['sensor']],
  ['LT_time', q({ LT_time: '2026-03-01T11:55:00Z' }), []],
  ['parameters combine with AND', q({ EQ_bizStep: 'shipping', EQ_action: 'ADD' }), []],
  [
    'EQ_bizLocation and a time range',
    q({ EQ_bizLocation: WAREHOUSE, GE_eventTime: iso(T0 + 3 * HOUR), LT_eventTime: iso(T0 + 4 * HOUR) }),
    ['transform'],
  ],
  ['no parameters', '', ALL],
];

describe('GET /events parameters', () => {
  it.each(cases)('%s', (_name, search, expected) => {
    expect(query(search)).toEqual(expected);
  });
});
