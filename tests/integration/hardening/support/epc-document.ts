// EPCISDocuments of many ObjectEvents with many SGTINs each: the shape of a large warehouse upload
// (300 events of 1000 EPCs is 12.6 MiB), and the queries that check each EPC was stored.
import { execFile } from 'node:child_process';
import { EPCIS_CONTEXT } from '../../../helpers/epcis-builders.js';

/** The n-th SGTIN of these documents (9-digit serials, so every EPC has the same length). */
export const epc = (n: number) => `urn:epc:id:sgtin:0614141.107346.${String(n).padStart(9, '0')}`;

/** `events` ObjectEvents of `epcsPerEvent` EPCs each, numbered from `firstEpc`. */
export function epcDocument(events: number, epcsPerEvent: number, firstEpc = 0): Buffer {
  const eventList = Array.from({ length: events }, (_, e) => ({
    type: 'ObjectEvent',
    eventTime: '2026-01-01T00:00:00Z',
    eventTimeZoneOffset: '+00:00',
    action: 'OBSERVE',
    bizStep: 'shipping',
    readPoint: { id: 'urn:epc:id:sgln:0614141.00777.0' },
    epcList: Array.from({ length: epcsPerEvent }, (_, i) => epc(firstEpc + e * epcsPerEvent + i)),
  }));
  return Buffer.from(
    JSON.stringify({
      '@context': [EPCIS_CONTEXT],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-01-01T00:00:00Z',
      epcisBody: { eventList },
    }),
  );
}

/** How many stored events name this EPC (GET /events?MATCH_epc=…). */
export async function eventsWithEpc(baseUrl: string, id: string): Promise<number> {
  const response = await fetch(`${baseUrl}/events?MATCH_epc=${encodeURIComponent(id)}`);
  if (response.status !== 200) throw new Error(`GET /events answered ${response.status}`);
  const body = (await response.json()) as {
    epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } };
  };
  return body.epcisBody.queryResults.resultsBody.eventList.length;
}

/**
 * POSTs a file from a separate node process, so that sending megabytes does not hold up the test
 * process's own event loop, where the health probes are timed.
 */
export function postFileFromChild(url: string, file: string): Promise<{ status: number; body: string }> {
  const script = `
    const body = require('node:fs').readFileSync(process.argv[2]);
    fetch(process.argv[1], { method: 'POST', headers: { 'content-type': 'application/ld+json' }, body })
      .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })))
      .catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, url, file], { maxBuffer: 16 * 2 ** 20 }, (error, stdout) => {
      if (error !== null) reject(error);
      else resolve(JSON.parse(stdout) as { status: number; body: string });
    });
  });
}
