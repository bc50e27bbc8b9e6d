// POST /events on tracker-server.wasm beside its sidecar (JOURNAL_TAIL): the 201's event is the
// event GET /events/{id} then answers from the sidecar's store (same eventID, record time, body and
// identifiers), because the journal record of a single event is the one the tail stores.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceGroup } from '../../helpers/service-process.js';
import { validExamples } from '../../helpers/shared-data.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { WasmEdgeServer, stopAll } from '../wasmedge-server/support/wasmedge-server.js';

type Json = Record<string, unknown>;
const services = new ServiceGroup();
let wasmedge: string;
let module: string;

// AOT compilation (when the module changed) takes minutes on a busy machine: not a test's time.
beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
}, 600_000);

afterEach(async () => {
  await services.killAll();
  await stopAll();
});

/** The first event of each document that has an event list, alone with the document's @context. */
function singleEvents(): Buffer[] {
  return validExamples().flatMap((document) => {
    const parsed = JSON.parse(document.bytes.toString('utf8')) as Json;
    const list = (parsed['epcisBody'] as Json | undefined)?.['eventList'];
    if (!Array.isArray(list) || list.length === 0) return [];
    const { '@context': own, ...members } = list[0] as Json;
    const context = [parsed['@context'], own].flat().filter((entry) => entry !== undefined);
    return [Buffer.from(JSON.stringify({ '@context': context, ...members }))];
  });
}

describe('POST /events on tracker-server.wasm with its sidecar', () => {
  it.each([['Always_GS1_Digital_Link'], ['Never_Translates']])(
    'answers each event as the sidecar then serves it from GET /events/{id} (GS1-EPC-Format %s)',
    async (format) => {
      const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
      const sidecar = await services.start({ dataDir: server.dataDir, env: { JOURNAL_TAIL: 'true' } });
      const headers = { 'content-type': 'application/json', 'gs1-epc-format': format };
      let compared = 0;
      for (const body of singleEvents()) {
        const created = await fetch(`${server.baseUrl}/events`, {
          method: 'POST',
          headers,
          body: new Uint8Array(body),
        });
        const text = await created.text();
        if (created.status !== 201) continue;
        compared++;
        // The journal seq this server acknowledged so far rides on the forwarded request; asked of the
        // sidecar directly, name the seq: every answered event is one record, so it is `compared`.
        const stored = await fetch(`${sidecar.baseUrl}${created.headers.get('location')!}`, {
          headers: { 'gs1-epc-format': format, 'Edgetrace-Journal-Seq': String(compared) },
        });
        expect(stored.status, text).toBe(200);
        const document = (await stored.json()) as {
          epcisBody: { queryResults: { resultsBody: { eventList: Json[] } } };
        };
        // An error declaration shares its eventID with the event it corrects: both are answered.
        expect(document.epcisBody.queryResults.resultsBody.eventList).toContainEqual(JSON.parse(text));
      }
      expect(compared).toBeGreaterThan(20);
    },
    120_000,
  );
});
