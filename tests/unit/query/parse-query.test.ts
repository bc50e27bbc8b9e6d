import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import { MAX_PER_PAGE } from '../../../host/query/query-draft.js';
import { fakeCanon } from './fake-canon.js';

const parse = (params: URLSearchParams | Record<string, string | string[]>) =>
  parseEventQuery(params, fakeCanon);
const parseString = (search: string) => parse(new URLSearchParams(search));

function problemOf(search: string) {
  const result = parseString(search);
  if (result.ok) throw new Error(`expected ${search} to be rejected`);
  return result.problem;
}

describe('parseEventQuery', () => {
  // [query string, parameter the problem must name, a phrase the detail must contain]
  const rejected: [string, string, string][] = [
    ['GE_eventDate=2026-01-01T00:00:00Z', 'GE_eventDate', 'did you mean GE_eventTime?'],
    ['eq_bizStep=shipping', 'eq_bizStep', 'did you mean EQ_bizStep?'],
    ['frobnicate=1', 'frobnicate', 'is not a query parameter of GET /events'],
    ['EQ_bizStep=shipping&EQ_bizStep=receiving', 'EQ_bizStep', 'given 2 times'],
    ['GE_eventTime=not-a-date', 'GE_eventTime', 'RFC 3339 date-time'],
    ['LT_eventTime=2026-02-30T00:00:00Z', 'LT_eventTime', 'no such calendar date'],
    ['GE_recordTime=2026-01-01T25:00:00Z', 'GE_recordTime', 'out-of-range time'],
    ['LT_recordTime=2026-01-01T00:00:00', 'LT_recordTime', 'with an offset'],
    ['GE_errorDeclarationTime=2026-01-01T00:00:00%2B15:00', 'GE_errorDeclarationTime', 'beyond ±14:00'],
    [
      'GE_errorDeclarationTime=2026-01-01T00:00:00Z&GE_errorDeclaration_Time=2026-01-01T00:00:00Z',
      'GE_errorDeclaration_Time',
      'two spellings',
    ],
    ['perPage=ten', 'perPage', 'whole number'],
    ['perPage=0', 'perPage', 'at least 1'],
    ['perPage=-5', 'perPage', 'at least 1'],
    ['eventCountLimit=1.5&orderBy=eventTime', 'eventCountLimit', 'whole number'],
    ['maxEventCount=-1', 'maxEventCount', 'at least 1'],
    [
      'eventCountLimit=5&maxEventCount=5&orderBy=eventTime',
      'eventCountLimit',
      'cannot be combined with maxEventCount',
    ],
    ['eventCountLimit=5', 'eventCountLimit', 'needs orderBy'],
    ['orderBy=quantity', 'orderBy', 'deprecated'],
    ['orderBy=bizStep', 'orderBy', 'eventTime, recordTime or an extension field'],
    ['orderBy=eventTime&orderDirection=SIDEWAYS', 'orderDirection', 'ASC or DESC'],
    ['nextPageToken=', 'nextPageToken', 'is empty'],
    ['eventType=ObjectEvent|', 'eventType', 'empty entry'],
    ['eventType=Object Event', 'eventType', 'not an event type'],
    ['EQ_action=SHIPPED', 'EQ_action', 'ADD, OBSERVE or DELETE'],
    ['EQ_bizStep=shiping', 'EQ_bizStep', 'neither a standard CBV bizStep word'],
    [
      'EQ_disposition=urn:epcglobal:cbv:disp:in_transit',
      'EQ_disposition',
      'write the bare word instead (e.g. "in_transit")',
    ],
    [
      'EQ_persistentDisposition_set=lost',
      'EQ_persistentDisposition_set',
      'neither a standard CBV disposition word',
    ],
    ['EQ_errorReason=oops', 'EQ_errorReason', 'errorReason'],
    ['EQ_readPoint=dock 3', 'EQ_readPoint', 'not a URI'],
    ['MATCH_epc=urn:epc:id:sgtin:0614141.INVALID', 'MATCH_epc', 'not a valid identifier'],
    ['MATCH_anyEPC=urn:epc:id:sgtin:0614141', 'MATCH_anyEPC', 'not a valid identifier'],
    [
      'MATCH_epcClass=urn:epc:idpat:sgtin:0614141.*.*',
      'MATCH_epcClass',
      'only patterns that fix the company prefix',
    ],
    ['WD_bizLocation=urn:epc:id:sgln:INVALID', 'WD_bizLocation', 'not a valid identifier'],
    ['EQ_bizTransaction_po=urn:epc:id:sgtin:bad', 'EQ_bizTransaction_po', 'not a valid identifier'],
    ['EQ_bizTransaction_purchase=urn:x:1', 'EQ_bizTransaction_purchase', 'neither one of bol, cert'],
    ['EQ_source_owner=urn:x:1', 'EQ_source_owner', 'owning_party, possessing_party, location'],
    ['EQ_quantity=many', 'EQ_quantity', 'decimal number'],
    ['GT_quantity_KGM=1|2', 'GT_quantity_KGM', 'decimal number'],
    ['EQ_eventID=not a uri', 'EQ_eventID', 'must be a URI'],
    ['EXISTS_errorDeclaration=yes', 'EXISTS_errorDeclaration', 'true or false'],
    ['EQ_booleanValue=', 'EQ_booleanValue', 'true or false'],
    ['GT_ex:temp=warm', 'GT_ex:temp', 'number or an RFC 3339 date-time'],
    ['GE_startTime=12', 'GE_startTime', 'date-time'],
    ['EQ_type=Warmth', 'EQ_type', 'GS1 measurement type'],
    ['GE_value_CEL=hot', 'GE_value_CEL', 'decimal number'],
    ['EQ_minValue_CEL=1', 'EQ_minValue_CEL', 'is not a query parameter'],
    ['HASATTR_ex:color=red', 'HASATTR_ex:color', 'master-data'],
    ['EQ_ATTR_urn:x_ex:c=red', 'EQ_ATTR_urn:x_ex:c', 'master-data'],
  ];

  it.each(rejected)('rejects %s as a QueryParameterException naming %s', (search, parameter, phrase) => {
    const problem = problemOf(search);
    expect(problem.type).toBe('QueryParameterException');
    expect(problem.parameter).toBe(parameter);
    expect(problem.detail).toContain(phrase);
    expect(problem.detail.startsWith(parameter)).toBe(true);
  });

  it('treats a repeated parameter in an object (as HTTP frameworks parse it) as given twice', () => {
    const result = parse({ eventType: ['ObjectEvent', 'AggregationEvent'] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.parameter).toBe('eventType');
  });

  it('reads a "+" offset that arrived as a space (unencoded query string)', () => {
    const encoded = parseString('GE_eventTime=2026-03-01T10:00:00%2B01:00');
    const unencoded = parseString('GE_eventTime=2026-03-01T10:00:00+01:00');
    expect(unencoded).toEqual(encoded);
    expect(encoded.ok && encoded.query.filters).toEqual([
      { kind: 'time-range', column: 'event_time_ms', geMs: Date.UTC(2026, 2, 1, 9) },
    ]);
  });

  it('rounds sub-millisecond times up, so GE_ and LT_ keep their meaning on millisecond data', () => {
    const result = parseString(
      'GE_eventTime=2026-03-01T10:00:00.0001Z&LT_eventTime=2026-03-01T10:00:00.123Z',
    );
    expect(result.ok && result.query.filters).toEqual([
      {
        kind: 'time-range',
        column: 'event_time_ms',
        geMs: Date.UTC(2026, 2, 1, 10) + 1,
        ltMs: Date.UTC(2026, 2, 1, 10) + 123,
      },
    ]);
  });

  it('expands bare CBV words, cbv: CURIEs and URIs to the stored URI', () => {
    for (const value of ['shipping', 'cbv:BizStep-shipping', 'https://ref.gs1.org/cbv/BizStep-shipping']) {
      const result = parse({ EQ_bizStep: value });
      expect(result.ok && result.query.filters).toEqual([
        { kind: 'column-in', column: 'biz_step', values: ['https://ref.gs1.org/cbv/BizStep-shipping'] },
      ]);
    }
  });

  it('defaults to 30 per page, caps perPage at the documented maximum and orders by arrival', () => {
    const plain = parse({});
    expect(plain.ok && plain.query).toMatchObject({
      perPage: 30,
      order: { by: 'arrival' },
      direction: 'ASC',
    });
    const big = parse({ perPage: '50000' });
    expect(big.ok && big.query.perPage).toBe(MAX_PER_PAGE);
  });

  it('orders DESC by default once orderBy is given (the EPCIS default)', () => {
    const result = parse({ orderBy: 'eventTime' });
    expect(result.ok && result.query).toMatchObject({ order: { by: 'eventTime' }, direction: 'DESC' });
    const extension = parse({ orderBy: 'ex:rank', orderDirection: 'ASC' });
    expect(extension.ok && extension.query).toMatchObject({
      order: { by: 'extension', field: 'ex:rank' },
      direction: 'ASC',
    });
  });

  it('accepts the openepcis SimpleEventQuery body once its arrays are joined with "|"', () => {
    const body = JSON.parse(
      readFileSync(
        new URL(
          '../../../../shared/conformance/epcis-examples/openepcis/2.0/EPCIS/JSON/Query/Queries/SimpleEventQuery.json',
          import.meta.url,
        ),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const params = Object.fromEntries(
      Object.entries(body)
        .filter(([name]) => name !== '@context')
        .map(([name, value]) => [name, Array.isArray(value) ? value.join('|') : String(value)]),
    );
    const result = parse(params);
    expect(result.ok).toBe(true);
    expect(result.ok && result.query).toMatchObject({
      order: { by: 'eventTime' },
      direction: 'DESC',
      eventCountLimit: 100,
    });
  });

  it('rejects the openepcis invalid query body at its first bad parameter', () => {
    const result = parse({
      eventType: 'ObjectEvent',
      GE_eventTime: 'not-a-date',
      EQ_action: 'SHIPPED',
      orderDirection: 'SIDEWAYS',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.parameter).toBe('GE_eventTime');
  });
});
