// The same packing-line events as an EPCIS 2.0 JSON-LD document and as an EPCIS 2.0 XML document,
// element for element (GS1's XML binding: CBV URNs, <readPoint><id>, typed list items), with one
// user extension and ILMD on the commissioning events, so both formats carry what a trading
// partner's ERP sends and both capture to the same stored events.
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const EXAMPLE_NS = 'https://ns.example.com/epcis/';
const STEPS = ['commissioning', 'packing', 'shipping', 'receiving', 'storing'];

interface BenchEvent {
  eventTime: string;
  epcs: string[];
  action: 'ADD' | 'OBSERVE';
  bizStep: string;
  readPoint: string;
  transaction: string;
  lot: string;
}

function event(serial: number, epcsPerEvent: number): BenchEvent {
  return {
    eventTime: new Date(Date.UTC(2026, 0, 1) + serial * 1000).toISOString(),
    epcs: Array.from(
      { length: epcsPerEvent },
      (_, i) => `urn:epc:id:sgtin:4012345.011111.${serial * epcsPerEvent + i}`,
    ),
    action: serial % 5 === 0 ? 'ADD' : 'OBSERVE',
    bizStep: STEPS[serial % STEPS.length]!,
    readPoint: `urn:epc:id:sgln:4012345.00011.${serial % 50}`,
    transaction: `urn:epc:id:gdti:4012345.00001.${serial % 1000}`,
    lot: `LOT-${serial % 97}`,
  };
}

function jsonEvent(e: BenchEvent): Record<string, unknown> {
  return {
    type: 'ObjectEvent',
    eventTime: e.eventTime,
    eventTimeZoneOffset: '+01:00',
    epcList: e.epcs,
    action: e.action,
    bizStep: e.bizStep,
    disposition: 'in_progress',
    readPoint: { id: e.readPoint },
    bizLocation: { id: 'urn:epc:id:sgln:4012345.00012.0' },
    bizTransactionList: [{ type: 'po', bizTransaction: e.transaction }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00000' }],
    ...(e.action === 'ADD' ? { ilmd: { 'example:lot': e.lot } } : {}),
    'example:line': 'packing-line-3',
  };
}

function xmlEvent(e: BenchEvent): string {
  return (
    '<ObjectEvent>' +
    `<eventTime>${e.eventTime}</eventTime><eventTimeZoneOffset>+01:00</eventTimeZoneOffset>` +
    `<epcList>${e.epcs.map((epc) => `<epc>${epc}</epc>`).join('')}</epcList>` +
    `<action>${e.action}</action>` +
    `<bizStep>urn:epcglobal:cbv:bizstep:${e.bizStep}</bizStep>` +
    '<disposition>urn:epcglobal:cbv:disp:in_progress</disposition>' +
    `<readPoint><id>${e.readPoint}</id></readPoint>` +
    '<bizLocation><id>urn:epc:id:sgln:4012345.00012.0</id></bizLocation>' +
    `<bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">${e.transaction}</bizTransaction></bizTransactionList>` +
    '<sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4012345.00000</source></sourceList>' +
    '<destinationList><destination type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:0614141.00000</destination></destinationList>' +
    (e.action === 'ADD' ? `<ilmd><example:lot>${e.lot}</example:lot></ilmd>` : '') +
    '<example:line>packing-line-3</example:line>' +
    '</ObjectEvent>'
  );
}

export interface DocumentPair {
  json: Buffer;
  xml: Buffer;
}

/** `events` ObjectEvents from `firstSerial` on, as JSON-LD and as XML. */
export function documentPair(firstSerial: number, events: number, epcsPerEvent: number): DocumentPair {
  const list = Array.from({ length: events }, (_, i) => event(firstSerial + i, epcsPerEvent));
  const json = JSON.stringify({
    '@context': [CONTEXT, { example: EXAMPLE_NS }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-01-01T00:00:00Z',
    epcisBody: { eventList: list.map(jsonEvent) },
  });
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:example="${EXAMPLE_NS}" ` +
    'schemaVersion="2.0" creationDate="2026-01-01T00:00:00Z">\n<EPCISBody><EventList>\n' +
    list.map(xmlEvent).join('\n') +
    '\n</EventList></EPCISBody></epcis:EPCISDocument>\n';
  return { json: Buffer.from(json), xml: Buffer.from(xml) };
}
