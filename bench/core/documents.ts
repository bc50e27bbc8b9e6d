// Synthetic but realistic EPCIS documents for the core benchmark: packing-line events with SGTINs,
// locations, business steps, transactions and sources/destinations, each event with its own EPCs.
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const STEPS = ['commissioning', 'packing', 'shipping', 'receiving', 'storing'];

function event(serial: number, epcsPerEvent: number): Record<string, unknown> {
  const epcList = Array.from(
    { length: epcsPerEvent },
    (_, i) => `urn:epc:id:sgtin:4012345.011111.${serial * epcsPerEvent + i}`,
  );
  return {
    type: 'ObjectEvent',
    eventTime: new Date(Date.UTC(2026, 0, 1) + serial * 1000).toISOString(),
    eventTimeZoneOffset: '+01:00',
    epcList,
    action: serial % 5 === 0 ? 'ADD' : 'OBSERVE',
    bizStep: STEPS[serial % STEPS.length],
    disposition: 'in_progress',
    readPoint: { id: `urn:epc:id:sgln:4012345.00011.${serial % 50}` },
    bizLocation: { id: 'urn:epc:id:sgln:4012345.00012.0' },
    bizTransactionList: [{ type: 'po', bizTransaction: `urn:epc:id:gdti:4012345.00001.${serial % 1000}` }],
    sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00000' }],
    destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00000' }],
  };
}

export function document(firstSerial: number, events: number, epcsPerEvent: number): Uint8Array {
  const eventList = Array.from({ length: events }, (_, i) => event(firstSerial + i, epcsPerEvent));
  return new TextEncoder().encode(
    JSON.stringify({
      '@context': [CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-01-01T00:00:00Z',
      epcisBody: { eventList },
    }),
  );
}
