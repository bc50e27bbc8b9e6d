// The pair with API keys: routes tracker-server.wasm forwards are authenticated by the sidecar
// (JOURNAL_TAIL), which sees every request come from loopback. The server passes each client's own
// address as X-Forwarded-For, so one guessing client uses up only its own failed-auth limit there.
// All of 127/8 is loopback, so two source addresses are two clients on one machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../host/auth/create-api-key.js';
import { ServiceGroup } from '../../helpers/service-process.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { WasmEdgeServer, freePort, stopAll } from '../wasmedge-server/support/wasmedge-server.js';

const FAILURE_LIMIT = 3;
let wasmedge: string;
let module: string;
const services = new ServiceGroup();
const dirs: string[] = [];

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  await services.killAll();
  await stopAll();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The status of GET /events on `port`, sent from `localAddress` with `headers`. */
function statusFrom(port: number, localAddress: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: '127.0.0.1', port, path: '/events', localAddress, headers, agent: false, timeout: 15_000 },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    sent.on('timeout', () => sent.destroy(new Error('no answer within 15 s')));
    sent.on('error', reject);
    sent.end();
  });
}

describe('failed authentications on forwarded routes', () => {
  it("count against each client's own address, not against every client of the server", async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'edgetrace-forwarded-address-'));
    dirs.push(keyDir);
    const made = await createApiKey({ id: 'dashboard', scopes: ['query'], hash: 'sha256' });
    const keyFile = join(keyDir, 'api-keys.json');
    writeFileSync(keyFile, JSON.stringify({ keys: [made.entry] }));
    const sidecarPort = await freePort();
    const server = await WasmEdgeServer.start({
      runtime: wasmedge,
      module,
      sidecarPort,
      runtimeFlags: ['--dir', `${keyDir}:${keyDir}`, '--env', `API_KEYS_FILE=${keyFile}`],
    });
    await services.start({
      dataDir: server.dataDir,
      env: {
        PORT: String(sidecarPort),
        JOURNAL_TAIL: 'true',
        API_KEYS_FILE: keyFile,
        AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT),
        AUTH_FAILURE_WINDOW: '1m',
      },
    });
    const valid = { authorization: `Bearer ${made.key}` };
    const wrong = { authorization: `Bearer ${made.key.slice(0, -43)}${'A'.repeat(43)}` };

    const guesses: number[] = [];
    for (let i = 0; i <= FAILURE_LIMIT; i++) guesses.push(await statusFrom(server.port, '127.0.0.2', wrong));
    expect(guesses).toEqual([...Array<number>(FAILURE_LIMIT).fill(401), 429]);
    // A client cannot leave its count behind by claiming another address itself.
    expect(await statusFrom(server.port, '127.0.0.2', { ...wrong, 'x-forwarded-for': '127.0.0.9' })).toBe(
      429,
    );

    expect(await statusFrom(server.port, '127.0.0.3', wrong)).toBe(401);
    expect(await statusFrom(server.port, '127.0.0.3', valid)).toBe(200);
  });
});
