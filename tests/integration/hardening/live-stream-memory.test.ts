// Issue 9, item 3: live streams that never read must not take the process down. On a store of 200
// events of 140 KB, 30 `GET /events/stream?lastEventId=0` connections that never read crashed it
// (each catch-up batch was 1,000 events, 28 MB here, read and rendered per connection); WebSocket
// subscriptions built the same batches. The service runs as a real process sized like a 384 MiB
// pod (V8 heap capped at 256 MiB, RSS bound 384 MiB) with LIVE_MAX_STREAMS=40: 30 SSE and 10
// WebSocket clients connect and stop reading, one more of each is refused, and the stalled ones are
// dropped, freeing their slots.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { underAttack } from '../../helpers/attack-probes.js';
import { ServiceGroup, tempDataDir, type TempDir } from '../../helpers/service-process.js';
import { SseClient } from '../../helpers/sse-client.js';
import { seedLargeEvents } from './support/large-events.js';

const MiB = 1024 * 1024;
const RSS_BOUND_BYTES = 384 * MiB;
const SSE_CLIENTS = 30;
const WS_CLIENTS = 10;
// Long enough for all 40 clients to connect on a loaded machine before the first is dropped.
const STALL_S = 10;

const group = new ServiceGroup();
let data: TempDir | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await group.killAll();
  data?.remove();
  data = null;
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a raw HTTP request and stops reading once the status line arrived: the client leaves
 * everything after it unread, as a stuck consumer does. Resolves with the status code.
 */
function neverReading(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    sockets.push(socket);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0));
    });
    socket.once('error', reject);
  });
}

const sseHead = (port: number) =>
  `GET /events/stream?lastEventId=0 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`;
const wsHead = (port: number) =>
  `GET /queries/everything/events?stream=true&initialRecordTime=2000-01-01T00:00:00Z HTTP/1.1\r\n` +
  `Host: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

async function counter(baseUrl: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return Number(line?.split(' ').at(-1) ?? 0);
}

async function droppedTotal(baseUrl: string): Promise<number> {
  const name = 'edgetrace_live_slow_subscribers_dropped_total';
  return (
    (await counter(baseUrl, name, 'transport="sse",reason="stall"')) +
    (await counter(baseUrl, name, 'transport="websocket",reason="stall"'))
  );
}

describe('live streams that never read', () => {
  it('survive 30 SSE and 10 WebSocket clients that stop reading: /health stays fast, RSS bounded, the stalled ones dropped', async () => {
    data = tempDataDir('edgetrace-live-attack-');
    const service = await group.start({
      dataDir: data.dir,
      env: {
        NODE_OPTIONS: '--max-old-space-size=256',
        LIVE_MAX_STREAMS: String(SSE_CLIENTS + WS_CLIENTS),
        LIVE_STALL_TIMEOUT: `${STALL_S}s`,
      },
    });
    await seedLargeEvents(service.baseUrl, 200, 140_000);
    const created = await fetch(service.url('/queries'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'everything', query: {} }),
    });
    expect(created.status).toBe(201);
    const port = service.port;

    const outcome = await underAttack({ baseUrl: service.baseUrl, pid: service.pid }, async () => {
      const opened = await Promise.all([
        ...Array.from({ length: SSE_CLIENTS }, () => neverReading(port, sseHead(port))),
        ...Array.from({ length: WS_CLIENTS }, () => neverReading(port, wsHead(port))),
      ]);
      const overSse = await fetch(service.url('/events/stream?lastEventId=0'), {
        headers: { accept: 'text/event-stream' },
      });
      await overSse.body?.cancel();
      const overWs = await neverReading(port, wsHead(port));
      // The stalled clients are dropped after LIVE_STALL_TIMEOUT; probe on until they all are.
      const deadline = Date.now() + STALL_S * 1000 + 15_000;
      while (Date.now() < deadline && (await droppedTotal(service.baseUrl)) < SSE_CLIENTS + WS_CLIENTS) {
        await sleep(250);
      }
      return {
        opened,
        overSse: { status: overSse.status, retryAfter: overSse.headers.get('retry-after') },
        overWs,
      };
    });

    console.log(
      `live streams: /health max ${Math.round(outcome.health.maxLatencyMs)} ms over ${outcome.health.answered} probes, ` +
        `peak RSS ${Math.round(outcome.peakRssBytes / MiB)} MiB`,
    );
    expect(service.hasExited).toBeNull();
    expect(outcome.result.opened).toEqual([
      ...Array<number>(SSE_CLIENTS).fill(200),
      ...Array<number>(WS_CLIENTS).fill(101),
    ]);
    expect(outcome.result.overSse).toEqual({ status: 503, retryAfter: '5' });
    expect(outcome.result.overWs).toBe(503);
    expect(outcome.health.failed).toBe(0);
    expect(outcome.health.maxLatencyMs).toBeLessThan(100);
    expect(outcome.peakRssBytes).toBeLessThan(RSS_BOUND_BYTES);
    const dropped = 'edgetrace_live_slow_subscribers_dropped_total';
    expect(await counter(service.baseUrl, dropped, 'transport="sse",reason="stall"')).toBe(SSE_CLIENTS);
    expect(await counter(service.baseUrl, dropped, 'transport="websocket",reason="stall"')).toBe(WS_CLIENTS);

    // Their slots are free again, and a reader resumes where it wants with Last-Event-ID.
    const reader = await SseClient.open(service.url('/events/stream'), { 'Last-Event-ID': '190' });
    expect(reader.status).toBe(200);
    for (let i = 0; i < 200 && reader.events.length < 10; i++) await sleep(25);
    reader.close();
    expect(reader.events.map((event) => event.id)).toEqual(
      Array.from({ length: 10 }, (_, k) => String(191 + k)),
    );
  }, 60_000);
});
