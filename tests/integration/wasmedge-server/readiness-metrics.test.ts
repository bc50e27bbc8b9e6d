// tracker-server.wasm's own GET /ready and GET /metrics/server, under real WasmEdge (AOT): what a
// kubelet and a Prometheus scrape of the pod's :8080 rely on. /ready answers as the Node service's
// does (status, headers, a report of booleans), is ready without the sidecar and says whether it is
// reachable; /metrics/server is the text format prom-client serves, counting what the server did.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { scrape, valueOf } from './support/prometheus-text.js';
import { WasmEdgeServer, freePort, stopAll } from './support/wasmedge-server.js';

let wasmedge: string;
let module: string;
let node: ServiceApp;

beforeAll(async () => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
  node = await buildServiceApp();
}, 120_000);
afterAll(async () => node.close());

const listeners: Server[] = [];
afterEach(async () => {
  for (const listener of listeners.splice(0)) await new Promise((done) => listener.close(done));
  await stopAll();
});

/** A stand-in sidecar: something accepting connections on `port`, which is all /ready looks for. */
async function listenOn(port: number): Promise<Server> {
  const listener = createServer((socket) => socket.destroy());
  await new Promise<void>((done) => listener.listen(port, '127.0.0.1', done));
  listeners.push(listener);
  return listener;
}

/** The headers both hosts must agree on: not the per-connection ones, nor the length of a different body. */
function comparable(headers: Headers | Record<string, unknown>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  const kept: Record<string, string> = {};
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (['date', 'connection', 'keep-alive', 'content-length'].includes(lower)) continue;
    kept[lower] = String(value);
  }
  return kept;
}

async function capture(baseUrl: string, events: number, tag: string): Promise<void> {
  const document = epcisDocument(
    Array.from({ length: events }, (_, i) =>
      objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(`${tag}${i}`)]),
    ),
  );
  const response = await fetch(`${baseUrl}/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/ld+json' },
    body: JSON.stringify(document),
  });
  await response.arrayBuffer();
  expect(response.status).toBe(202);
}

async function ready(
  baseUrl: string,
): Promise<{ status: number; headers: Headers; report: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/ready`);
  return {
    status: response.status,
    headers: response.headers,
    report: (await response.json()) as Record<string, unknown>,
  };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('GET /ready on tracker-server.wasm', () => {
  it("is ready once the journal is replayed, without a sidecar, with the Node service's headers", async () => {
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
    const answer = await ready(server.baseUrl);
    expect(answer.status).toBe(200);
    expect(answer.report).toEqual({
      ready: true,
      indexLoaded: true,
      journalWritable: true,
      sidecarReachable: false,
      journalLastSeq: 0,
      storedSeq: null,
    });
    const expected = await node.app.inject({ method: 'GET', url: '/ready' });
    expect(expected.statusCode).toBe(200);
    expect(comparable(answer.headers)).toEqual(comparable(expected.headers));
  });

  it('reports the sidecar reachable while it listens, and stays ready when it goes away', async () => {
    const sidecarPort = await freePort();
    const sidecar = await listenOn(sidecarPort);
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort });
    await capture(server.baseUrl, 3, 'ready-');
    // What the sidecar's journal tail publishes once it has stored up to seq 2.
    writeFileSync(join(server.dataDir, 'journal-stored-seq'), '2\n');
    // The probe's result is kept for a second (a /ready loop must not storm the sidecar with
    // connects), and a connect still in progress on a loaded machine counts as not reachable: the
    // report follows the sidecar within a few probes.
    const reportOnceReachable = async (reachable: boolean) => {
      let last = await ready(server.baseUrl);
      for (let attempt = 0; attempt < 10 && last.report['sidecarReachable'] !== reachable; attempt++) {
        await sleep(1100);
        last = await ready(server.baseUrl);
      }
      return last;
    };
    expect(await reportOnceReachable(true)).toMatchObject({
      status: 200,
      report: { ready: true, sidecarReachable: true, journalLastSeq: 3, storedSeq: 2 },
    });

    await new Promise((done) => sidecar.close(done));
    listeners.splice(listeners.indexOf(sidecar), 1);
    await sleep(1100);
    expect(await reportOnceReachable(false)).toMatchObject({
      status: 200,
      report: { ready: true, sidecarReachable: false, journalLastSeq: 3, storedSeq: 2 },
    });
  });

  for (const method of ['HEAD', 'OPTIONS', 'POST', 'DELETE'] as const) {
    it(`answers ${method} /ready as the Node service does`, async () => {
      const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
      const expected = await node.app.inject({ method, url: '/ready' });
      const response = await fetch(`${server.baseUrl}/ready`, { method });
      const body = await response.text();
      expect(response.status).toBe(expected.statusCode);
      expect(response.headers.get('allow')).toBe(expected.headers['allow'] ?? null);
      // HEAD: /ready's headers without its body; the refusals carry the same problem text.
      if (method !== 'HEAD') expect(body).toBe(expected.body);
      else expect(body).toBe('');
    });
  }
});

describe('GET /metrics/server on tracker-server.wasm', () => {
  it('serves edgetrace_server_* families in the text format and content type of prom-client', async () => {
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
    const { contentType, exposition } = await scrape(server.baseUrl);
    expect(contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect([...exposition.types.keys()].filter((name) => !name.startsWith('edgetrace_server_'))).toEqual([]);
    expect(Object.fromEntries(exposition.types)).toMatchObject({
      edgetrace_server_requests_total: 'counter',
      edgetrace_server_request_duration_seconds: 'histogram',
      edgetrace_server_open_connections: 'gauge',
      edgetrace_server_connections_accepted_total: 'counter',
      edgetrace_server_connections_refused_total: 'counter',
      edgetrace_server_journal_records_appended_total: 'counter',
      edgetrace_server_journal_fdatasync_duration_seconds: 'histogram',
      edgetrace_server_journal_append_failures_total: 'counter',
      edgetrace_server_journal_last_seq: 'gauge',
      edgetrace_server_forwarded_requests_total: 'counter',
      edgetrace_server_state_epcs: 'gauge',
      edgetrace_server_state_events: 'gauge',
      edgetrace_server_wasm_memory_bytes: 'gauge',
      edgetrace_server_start_time_seconds: 'gauge',
      edgetrace_server_build_info: 'gauge',
    });
    expect(valueOf(exposition, 'edgetrace_server_wasm_memory_bytes')).toBeGreaterThan(0);
    const started = valueOf(exposition, 'edgetrace_server_start_time_seconds');
    expect(Math.abs(started - Date.now() / 1000)).toBeLessThan(120);
  });

  it('counts requests by route and status, captures into the journal, its syncs and forwarding outcomes', async () => {
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
    await capture(server.baseUrl, 4, 'metrics-');
    const state = await fetch(`${server.baseUrl}/epcs/${encodeURIComponent(sgtin('metrics-0'))}/state`);
    await state.arrayBuffer();
    expect(state.status).toBe(200);
    // No sidecar listens: a forwarded route gets the 503 of "sidecar down".
    const forwarded = await fetch(`${server.baseUrl}/events`);
    await forwarded.arrayBuffer();
    expect(forwarded.status).toBe(503);

    const { exposition } = await scrape(server.baseUrl);
    const requests = (labels: string) => valueOf(exposition, `edgetrace_server_requests_total{${labels}}`);
    // Start-up polls /health until it answers, so only its status is certain, not its count.
    expect(requests('route="/health",status="200"')).toBeGreaterThan(0);
    expect(requests('route="/capture",status="202"')).toBe(1);
    expect(requests('route="/epcs/:value/state",status="200"')).toBe(1);
    expect(requests('route="forwarded",status="503"')).toBe(1);
    expect(valueOf(exposition, 'edgetrace_server_forwarded_requests_total{outcome="503"}')).toBe(1);
    expect(valueOf(exposition, 'edgetrace_server_forwarded_requests_total{outcome="ok"}')).toBe(0);
    expect(valueOf(exposition, 'edgetrace_server_journal_records_appended_total')).toBe(4);
    expect(valueOf(exposition, 'edgetrace_server_journal_last_seq')).toBe(4);
    expect(
      valueOf(exposition, 'edgetrace_server_journal_fdatasync_duration_seconds_count'),
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(exposition, 'edgetrace_server_state_events')).toBe(4);
    expect(valueOf(exposition, 'edgetrace_server_state_epcs')).toBeGreaterThanOrEqual(4);
    expect(valueOf(exposition, 'edgetrace_server_open_connections')).toBeGreaterThanOrEqual(1);

    // The latency histogram agrees with the counter, its buckets are cumulative, and 0.03 (the
    // 30 ms objective) is one of its bounds.
    const route = 'route="/capture"';
    const buckets = [...exposition.samples]
      .filter(([key]) => key.startsWith(`edgetrace_server_request_duration_seconds_bucket{${route},`))
      .map(([key, value]) => ({ le: /le="([^"]+)"/.exec(key)![1]!, value }));
    expect(buckets.map((b) => b.le)).toContain('0.03');
    expect(buckets.at(-1)).toEqual({ le: '+Inf', value: 1 });
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(valueOf(exposition, `edgetrace_server_request_duration_seconds_count{${route}}`)).toBe(1);
    expect(valueOf(exposition, `edgetrace_server_request_duration_seconds_sum{${route}}`)).toBeGreaterThan(0);
  });

  it('counts only the appends of this run after a restart, while the last seq carries on', async () => {
    const first = await WasmEdgeServer.start({ runtime: wasmedge, module });
    await capture(first.baseUrl, 2, 'restart-');
    first.kill('SIGTERM');
    await first.exited;
    const second = await WasmEdgeServer.start({ runtime: wasmedge, module, dataDir: first.dataDir });
    await capture(second.baseUrl, 1, 'restart-again-');
    const { exposition } = await scrape(second.baseUrl);
    expect(valueOf(exposition, 'edgetrace_server_journal_records_appended_total')).toBe(1);
    expect(valueOf(exposition, 'edgetrace_server_journal_last_seq')).toBe(3);
    expect(valueOf(exposition, 'edgetrace_server_state_events')).toBe(3);
  });
});
