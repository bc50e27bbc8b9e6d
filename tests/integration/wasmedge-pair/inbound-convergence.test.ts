// Events the sidecar stores by other paths than the server's journal (sync from the hub, captures on
// its own port, requests the server forwarded) reach tracker-server.wasm's state index through
// DATA_DIR/inbound/: GET /epcs/{epc}/state and /contents on the server then answer as a Node service
// that holds the same events. Real WasmEdge (AOT), real Node processes, the real RabbitMQ.
import { appendFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AcceptedEvent } from '../../../host/core/types.js';
import { toStateEvent } from '../../../host/ingest/prepared-batch.js';
import { encodeInboundRecord } from '../../../host/journal/inbound-record.js';
import { segmentName } from '../../../host/journal/inbound-segments.js';
import { loadCore } from '../../helpers/core.js';
import { bareEvent, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { Fleet } from '../../helpers/fleet.js';
import { ServiceGroup, type ServiceProcess, tempDataDir } from '../../helpers/service-process.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { routesFor, siteLocation } from '../sync/support/traffic.js';
import { WasmEdgeServer, freePort, stopAll } from '../wasmedge-server/support/wasmedge-server.js';
import {
  capture,
  converge,
  expectDenseOnce,
  palletStory,
  readInbound,
  trackingAnswers,
} from './support/inbound-pair.js';

const SITES = ['s1', 'p1'] as const;
const PAIR_LOCATION = siteLocation(1);
const READ_POINT = 'urn:epc:id:sgln:0614141.10001.7';
const CONVERGE_MS = 60_000;
let wasmedge: string;
let module: string;
const services = new ServiceGroup();
const dirs: (() => void)[] = [];
let fleet: Fleet | null = null;

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  await services.killAll();
  await fleet?.close();
  fleet = null;
  await stopAll();
  for (const remove of dirs.splice(0)) remove();
});

const startServer = (dataDir: string, sidecarPort: number) =>
  WasmEdgeServer.start({ runtime: wasmedge, module, dataDir, sidecarPort });

function nodeService(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const data = tempDataDir();
  dirs.push(data.remove);
  return services.start({ dataDir: data.dir, env });
}

async function restart(server: WasmEdgeServer, sidecarPort: number): Promise<WasmEdgeServer> {
  server.kill();
  await server.exited;
  return startServer(server.dataDir, sidecarPort);
}

describe('tracker-server.wasm beside its sidecar: what the sidecar stores by other paths', () => {
  it('reaches the server by sync: its state and contents answers equal a Node service holding the same events, also after the server restarts', async () => {
    const f = (fleet = await Fleet.start({
      sites: SITES,
      routes: routesFor(SITES),
      deferStart: true,
      // A small segment size, so the sync's events span several inbound segments.
      nodeEnv: { p1: { JOURNAL_TAIL: 'true', INBOUND_SEGMENT_BYTES: '4KiB' } },
    }));
    await f.hub.start();
    await Promise.all(f.sites.map((site) => site.start()));
    await Promise.all(f.nodes.map((node) => node.waitForSyncOk()));
    const pair = f.site('p1');
    let server = await startServer(pair.dataDir, pair.service.port);
    const reference = await nodeService();

    const story = palletStory(1, 8, PAIR_LOCATION, READ_POINT);
    for (const document of story.documents) {
      expect(await capture(f.site('s1').baseUrl, document)).toBe(202);
      expect(await capture(reference.baseUrl, document)).toBe(202);
    }
    await f.waitUntil(
      () => new Set(pair.storedEvents().map((e) => e.event_id)).size >= story.eventIds.length,
      () => `the pair's sidecar stored ${pair.storedEvents().length} of ${story.eventIds.length} events`,
      CONVERGE_MS,
    );
    const { actual, expected } = await converge(
      async () => ({
        actual: await trackingAnswers(server.baseUrl, story.epcs, story.containers),
        expected: await trackingAnswers(reference.baseUrl, story.epcs, story.containers),
      }),
      CONVERGE_MS,
    );
    expect(actual).toEqual(expected);
    const records = readInbound(pair.dataDir);
    expectDenseOnce(records, story.eventIds);
    expect(new Set(records.map((r) => r.segment)).size).toBeGreaterThan(1);

    // A restarted server applies the inbound records before it opens its port: no wait.
    server = await restart(server, pair.service.port);
    expect(await trackingAnswers(server.baseUrl, story.epcs, story.containers)).toEqual(expected);
  }, 180_000);

  it('shows what was captured on the sidecar port (POST /capture, large documents on the ingest worker, POST /events) right after the 2xx', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir.remove);
    // Documents of 4 KiB and more are stored by the ingest worker thread, on its own connection.
    const sidecar = await services.start({
      dataDir: dataDir.dir,
      env: { JOURNAL_TAIL: 'true', CAPTURE_WORKER_MIN_BYTES: '4KiB' },
    });
    const server = await startServer(dataDir.dir, sidecar.port);
    const reference = await nodeService();

    const small = palletStory(1, 4, PAIR_LOCATION, READ_POINT);
    const large = palletStory(20, 3, PAIR_LOCATION, READ_POINT);
    const bundled = Buffer.from(
      JSON.stringify({
        ...(JSON.parse(large.documents[0]!.toString()) as Record<string, unknown>),
        epcisBody: {
          eventList: large.documents.flatMap(
            (d) => (JSON.parse(d.toString()) as { epcisBody: { eventList: unknown[] } }).epcisBody.eventList,
          ),
        },
      }),
    );
    expect(bundled.length).toBeGreaterThan(4096);
    expect(small.documents[0]!.length).toBeLessThan(4096);
    const steps = [
      ...small.documents.map((document, i) => ({ document, epcs: small.epcs.slice(i * 9, i * 9 + 9) })),
      { document: bundled, epcs: large.epcs },
    ];
    for (const { document, epcs } of steps) {
      expect(await capture(sidecar.baseUrl, document)).toBe(202);
      expect(await capture(reference.baseUrl, document)).toBe(202);
      // Asked at once: no wait, no retry.
      expect(await trackingAnswers(server.baseUrl, epcs, [])).toEqual(
        await trackingAnswers(reference.baseUrl, epcs, []),
      );
    }

    const moved = bareEvent(
      objectEvent('2026-03-02T10:00:00Z', 'OBSERVE', [sgtin(101)], {
        bizLocation: READ_POINT,
        readPoint: READ_POINT,
      }),
    );
    moved['eventID'] = 'urn:uuid:00000000-0000-4000-8000-999999999999';
    for (const baseUrl of [sidecar.baseUrl, reference.baseUrl]) {
      const response = await fetch(`${baseUrl}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/ld+json' },
        body: JSON.stringify(moved),
      });
      await response.arrayBuffer();
      expect(response.status).toBe(201);
    }
    const containers = [...small.containers, ...large.containers];
    expect(await trackingAnswers(server.baseUrl, [sgtin(101)], containers)).toEqual(
      await trackingAnswers(reference.baseUrl, [sgtin(101)], containers),
    );
    expectDenseOnce(readInbound(dataDir.dir), [
      ...small.eventIds,
      ...large.eventIds,
      moved['eventID'] as string,
    ]);
  }, 120_000);

  it('captures an XML document sent to the server: forwarded to the sidecar, stored once, its state answered as a Node service answers the same document', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir.remove);
    const sidecar = await services.start({ dataDir: dataDir.dir, env: { JOURNAL_TAIL: 'true' } });
    const server = await startServer(dataDir.dir, sidecar.port);
    const reference = await nodeService();
    const epcs = [sgtin(301), sgtin(302)];
    const eventId = 'urn:uuid:00000000-0000-4000-8000-000000000301';
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-03-02T10:00:00Z">
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2026-03-02T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
    <eventID>${eventId}</eventID>
    <epcList>${epcs.map((epc) => `<epc>${epc}</epc>`).join('')}</epcList>
    <action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
    <readPoint><id>${READ_POINT}</id></readPoint><bizLocation><id>${PAIR_LOCATION}</id></bizLocation>
  </ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>`,
    );
    for (const baseUrl of [server.baseUrl, reference.baseUrl]) {
      const response = await fetch(`${baseUrl}/capture`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: new Uint8Array(xml),
        signal: AbortSignal.timeout(30_000),
      });
      expect(response.status, await response.text()).toBe(202);
    }
    const { actual, expected } = await converge(
      async () => ({
        actual: await trackingAnswers(server.baseUrl, epcs, []),
        expected: await trackingAnswers(reference.baseUrl, epcs, []),
      }),
      CONVERGE_MS,
    );
    expect(actual).toEqual(expected);
    expect((expected[`state ${epcs[0]}`] as { status: number }).status).toBe(200);
    expectDenseOnce(readInbound(dataDir.dir), [eventId]);
  }, 120_000);

  it('writes every inbound record once after a kill -9 of the sidecar between stores, and the server answers as a fresh Node service', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir.remove);
    const env = { JOURNAL_TAIL: 'true', PORT: String(await freePort()) };
    const first = await services.start({ dataDir: dataDir.dir, env });
    const server = await startServer(dataDir.dir, first.port);
    const story = palletStory(1, 40, PAIR_LOCATION, READ_POINT);

    // Two clients capture one document after the other; the sidecar dies while they do.
    let acknowledged = 0;
    const client = async (documents: Buffer[]) => {
      for (const document of documents) {
        const status = await capture(first.baseUrl, document).catch(() => 0);
        if (status !== 202) return;
        acknowledged++;
      }
    };
    const clients = [client(story.documents.slice(0, 20)), client(story.documents.slice(20))];
    const deadline = Date.now() + 60_000;
    while (acknowledged < 12 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 5));
    expect(acknowledged).toBeGreaterThanOrEqual(12);
    await first.kill();
    await Promise.all(clients);
    expect(acknowledged).toBeLessThan(story.documents.length);

    const second = await services.start({ dataDir: dataDir.dir, env });
    // What was not acknowledged is sent again (a stored event of it is refused as a duplicate).
    for (const document of story.documents) await capture(second.baseUrl, document);
    const reference = await nodeService();
    for (const document of story.documents) expect(await capture(reference.baseUrl, document)).toBe(202);

    const { actual, expected } = await converge(
      async () => ({
        actual: await trackingAnswers(server.baseUrl, story.epcs, story.containers),
        expected: await trackingAnswers(reference.baseUrl, story.epcs, story.containers),
      }),
      CONVERGE_MS,
    );
    expect(actual).toEqual(expected);
    expectDenseOnce(readInbound(dataDir.dir), story.eventIds);
  }, 180_000);

  it('applies records while running as they appear: after an empty segment, a torn record once whole, in the next segment', async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir.remove);
    const inbound = join(dataDir.dir, 'inbound');
    mkdirSync(inbound);
    // A sidecar killed right after it created a segment leaves it empty.
    writeFileSync(join(inbound, segmentName(1)), '');
    const server = await startServer(dataDir.dir, await freePort());
    const reference = await nodeService();
    const core = await loadCore();
    const story = palletStory(1, 3, PAIR_LOCATION, READ_POINT);
    // The records the sidecar would write for each document: the state entries of the core's capture result.
    let seq = 0;
    const records = story.documents.map((document) =>
      core
        .prepare(document)
        .events.filter((e): e is AcceptedEvent => e.accepted)
        .map((e) =>
          encodeInboundRecord({ inboundSeq: ++seq, declarationTimeMs: null, state: toStateEvent(e) }),
        ),
    );
    const same = async () =>
      expect(await trackingAnswers(server.baseUrl, story.epcs, story.containers)).toEqual(
        await trackingAnswers(reference.baseUrl, story.epcs, story.containers),
      );

    appendFileSync(join(inbound, segmentName(1)), Buffer.concat(records[0]!));
    expect(await capture(reference.baseUrl, story.documents[0]!)).toBe(202);
    await same();

    // Half a record (a write torn by a crash) is not applied; rewritten whole, it is.
    const torn = Buffer.concat(records[1]!);
    const before = Buffer.concat(records[0]!).length;
    appendFileSync(join(inbound, segmentName(1)), torn.subarray(0, 40));
    await same();
    truncateSync(join(inbound, segmentName(1)), before);
    appendFileSync(join(inbound, segmentName(1)), torn);
    expect(await capture(reference.baseUrl, story.documents[1]!)).toBe(202);
    await same();

    // A rotation: the next segment is named after its first seq.
    writeFileSync(
      join(inbound, segmentName(records[0]!.length + records[1]!.length + 1)),
      Buffer.concat(records[2]!),
    );
    expect(await capture(reference.baseUrl, story.documents[2]!)).toBe(202);
    await same();
  }, 120_000);
});
