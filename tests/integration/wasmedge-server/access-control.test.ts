// Access control of tracker-server.wasm (real WasmEdge, AOT) against the Node service's with the
// same API key file: every refusal and every pass on the server's own routes answers as the
// in-process Node service answers (status, the challenge and Retry-After headers, the problem
// body); routes the server forwards are checked by the sidecar; the listen address follows the
// Node service's rule; a key file the Node service refuses stops the server with the same message.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readApiKeyFile } from '../../../host/auth/api-key-file.js';
import { createAuthenticator } from '../../../host/auth/authenticate.js';
import { listenAddressFor } from '../../../host/auth/listen-address.js';
import { buildServiceApp, type ServiceApp } from '../../helpers/service-app.js';
import { ServiceGroup, tempDataDir } from '../../helpers/service-process.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import {
  type Answer,
  type Ask,
  type HashKind,
  type KeyFile,
  askNode,
  askServer,
  boundAddress,
  startRaw,
  tempDir,
  unknownSelector,
  writeKeyFile,
  wrongSecret,
} from './support/access-fixtures.js';
import { WasmEdgeServer, freePort, stopAll } from './support/wasmedge-server.js';

let wasmedge: string;
let module: string;
const cleanups: (() => void | Promise<void>)[] = [];
const group = new ServiceGroup();

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(async () => {
  await stopAll();
  await group.killAll();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EPC = 'urn:epc:id:sgtin:0614141.107346.2018';
const STATE = `/epcs/${encodeURIComponent(EPC)}/state`;
const CAPTURE_BODY = JSON.stringify({
  '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2024-01-01T00:00:00.000Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        eventTime: '2024-01-01T00:00:00.000Z',
        eventTimeZoneOffset: '+00:00',
        epcList: [EPC],
        action: 'ADD',
        bizStep: 'commissioning',
      },
    ],
  },
});

interface Pair {
  keys: KeyFile;
  node: ServiceApp;
  server: WasmEdgeServer;
}

/** The server and the in-process Node service with the same key file and failed-auth limits. */
async function keyedPair(kind: HashKind, failureLimit = 1000): Promise<Pair> {
  const keys = await writeKeyFile(kind);
  cleanups.push(keys.remove);
  const node = await buildServiceApp({
    authenticator: await createAuthenticator({ apiKeyFile: keys.file }),
    config: { authFailureLimit: failureLimit, authFailureWindowMs: 60_000 },
  });
  cleanups.push(() => node.close());
  const server = await WasmEdgeServer.start({
    runtime: wasmedge,
    module,
    runtimeFlags: [
      '--dir',
      `${keys.dir}:${keys.dir}`,
      '--env',
      `API_KEYS_FILE=${keys.file}`,
      '--env',
      `AUTH_FAILURE_LIMIT=${failureLimit}`,
      '--env',
      'AUTH_FAILURE_WINDOW=1m',
    ],
  });
  return { keys, node, server };
}

async function both(pair: Pair, ask: Ask): Promise<{ server: Answer; node: Answer }> {
  return { server: await askServer(pair.server.port, ask), node: await askNode(pair.node.app, ask) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(['sha256', 'scrypt'] as const)('with a %s API key file', (kind) => {
  it('refuses what the Node service refuses on the native routes, with the same 401 and 403', async () => {
    const pair = await keyedPair(kind);
    const { capture, query } = pair.keys;
    const asks: [string, Ask][] = [
      ['no credentials', { path: STATE }],
      ['an empty Authorization header', { path: STATE, headers: { authorization: '' } }],
      ['another scheme', { path: STATE, headers: { authorization: 'Basic ZG9jazpkb29y' } }],
      ['a scheme without a token', { path: STATE, headers: { authorization: 'Bearer' } }],
      ['a token with spaces inside', { path: STATE, headers: { authorization: 'Bearer et_a b' } }],
      ['a malformed API key', { path: STATE, headers: bearer('et_short') }],
      ['an API key of an unknown selector', { path: STATE, headers: bearer(unknownSelector(query)) }],
      ['a known selector with a wrong secret', { path: STATE, headers: bearer(wrongSecret(query)) }],
      ['a token over 8192 characters', { path: STATE, headers: bearer(`et_${'a'.repeat(9000)}`) }],
      ['a valid key without the query scope', { path: STATE, headers: bearer(capture) }],
      ['HEAD without credentials', { method: 'HEAD', path: STATE }],
      [
        'a capture without credentials',
        { method: 'POST', path: '/capture', headers: { 'content-type': 'application/ld+json' }, body: '{}' },
      ],
      [
        'a capture with a key without the capture scope',
        {
          method: 'POST',
          path: '/capture',
          headers: { 'content-type': 'application/ld+json', ...bearer(query) },
          body: CAPTURE_BODY,
        },
      ],
      ['OPTIONS /health without credentials', { method: 'OPTIONS', path: '/health' }],
      ['POST /health without credentials', { method: 'POST', path: '/health' }],
      ['an Accept it cannot serve, before credentials', { path: STATE, headers: { accept: 'text/html' } }],
    ];
    for (const [what, ask] of asks) {
      const { server, node } = await both(pair, ask);
      expect(server, what).toEqual(node);
      expect([401, 403, 406], what).toContain(server.status);
    }
  });

  it('lets a key with the scope through, and public paths without credentials', async () => {
    const pair = await keyedPair(kind);
    const { capture, query } = pair.keys;
    const asks: [string, Ask][] = [
      ['the state of an unknown EPC with the query key', { path: STATE, headers: bearer(query) }],
      ['the same key again (cached)', { path: STATE, headers: { authorization: `bearer   ${query}` } }],
      ['GET /health without credentials', { path: '/health' }],
      ['HEAD /health without credentials', { method: 'HEAD', path: '/health' }],
      [
        'OPTIONS /health with any valid key',
        { method: 'OPTIONS', path: '/health', headers: bearer(capture) },
      ],
      ['POST /health with any valid key', { method: 'POST', path: '/health', headers: bearer(query) }],
    ];
    for (const [what, ask] of asks) {
      const { server, node } = await both(pair, ask);
      expect(server, what).toEqual(node);
      expect([200, 204, 404, 405], what).toContain(server.status);
    }
    const post: Ask = {
      method: 'POST',
      path: '/capture',
      headers: { 'content-type': 'application/ld+json', ...bearer(capture) },
      body: CAPTURE_BODY,
    };
    const captured = await both(pair, post);
    expect(captured.server.status).toBe(202);
    expect(captured.node.status).toBe(202);
    const state = await askServer(pair.server.port, { path: STATE, headers: bearer(query) });
    expect(state.status).toBe(200);
  });
});

describe('failed authentications per client address', () => {
  it('answers 429 with Retry-After after AUTH_FAILURE_LIMIT failures, and a key verified before still passes', async () => {
    const pair = await keyedPair('sha256', 3);
    const { query } = pair.keys;
    const sequence: Ask[] = [
      { path: STATE, headers: bearer(query) },
      { path: STATE, headers: bearer(unknownSelector(query)) },
      { path: STATE, headers: bearer('et_short') },
      { path: STATE, headers: { authorization: 'Basic x' } },
      { path: STATE, headers: bearer(wrongSecret(query)) },
      { path: STATE, headers: bearer(pair.keys.capture) },
      // Missing credentials are not a failed authentication: the 401 is answered, not the 429.
      { path: STATE },
      { path: STATE, headers: bearer(query) },
    ];
    const statuses: number[][] = [];
    for (const ask of sequence) {
      const { server, node } = await both(pair, ask);
      statuses.push([server.status, node.status]);
      if (server.status === 429) {
        // The wait counts down from the window's start: equal unless a second boundary passed.
        const seconds = Number(server.headers['retry-after']);
        expect(seconds).toBeGreaterThanOrEqual(1);
        expect(seconds).toBeLessThanOrEqual(60);
        expect(Math.abs(seconds - Number(node.headers['retry-after']))).toBeLessThanOrEqual(1);
        const same = (answer: Answer) => ({
          ...answer,
          headers: { ...answer.headers, 'retry-after': 'n' },
          body: answer.body.replace(/in \d+ s/, 'in n s'),
        });
        expect(same(server)).toEqual(same(node));
        expect(server.body).toContain(`try again in ${seconds} s`);
      } else {
        expect(server).toEqual(node);
      }
    }
    expect(statuses).toEqual([
      [404, 404],
      [401, 401],
      [401, 401],
      [401, 401],
      [429, 429],
      [429, 429],
      [401, 401],
      [404, 404],
    ]);
  });
});

describe('requests the sidecar answers', () => {
  it('forwards GET /events with a valid key, and a bearer token that is not an API key even on a native route', async () => {
    const keys = await writeKeyFile('sha256');
    cleanups.push(keys.remove);
    const data = tempDataDir('edgetrace-access-sidecar-');
    cleanups.push(data.remove);
    const sidecarPort = await freePort();
    await group.start({
      dataDir: data.dir,
      env: { PORT: String(sidecarPort), API_KEYS_FILE: keys.file },
    });
    const server = await WasmEdgeServer.start({
      runtime: wasmedge,
      module,
      sidecarPort,
      runtimeFlags: ['--dir', `${keys.dir}:${keys.dir}`, '--env', `API_KEYS_FILE=${keys.file}`],
    });
    // The query document's creationDate is the time it was written: never the same ms twice.
    const undated = (answer: Answer) => ({
      ...answer,
      body: answer.body.replace(/"creationDate":"[^"]*"/g, '"creationDate":"…"'),
    });
    const direct = async (ask: Ask) => undated(await askServer(sidecarPort, ask));
    const events: Ask = { path: '/events', headers: bearer(keys.query) };
    const through = undated(await askServer(server.port, events));
    expect(through.status).toBe(200);
    expect(through).toEqual(await direct(events));
    expect(await askServer(server.port, { path: '/events' })).toEqual(await direct({ path: '/events' }));
    // A JWT-shaped token: the server does not verify JWTs, so the sidecar answers (it has no JWKS).
    const jwt: Ask = { path: STATE, headers: bearer('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln') };
    const forwarded = await askServer(server.port, jwt);
    expect(forwarded.status).toBe(401);
    expect(forwarded.body).toContain('JWTs are not accepted by this service');
    expect(forwarded).toEqual(await direct(jwt));
  });
});

describe('where the server listens', () => {
  it('binds 0.0.0.0 with an API key file and 127.0.0.1 without one', async () => {
    const keys = await writeKeyFile('sha256');
    cleanups.push(keys.remove);
    const keyed = await WasmEdgeServer.start({
      runtime: wasmedge,
      module,
      runtimeFlags: ['--dir', `${keys.dir}:${keys.dir}`, '--env', `API_KEYS_FILE=${keys.file}`],
    });
    expect(boundAddress(keyed.port)).toBe('0.0.0.0');
    const open = await WasmEdgeServer.start({ runtime: wasmedge, module });
    expect(boundAddress(open.port)).toBe('127.0.0.1');
  });

  it('ignores a non-loopback HOST without keys, with the Node service warning', async () => {
    const data = tempDir('edgetrace-access-open-');
    cleanups.push(data.remove);
    const port = await freePort();
    const server = await startRaw(wasmedge, [
      '--dir',
      `${data.dir}:${data.dir}`,
      '--env',
      'HOST=0.0.0.0',
      module,
      '--port',
      String(port),
      '--data-dir',
      data.dir,
    ]);
    cleanups.push(() => server.kill());
    expect(server.stderr()).toBe('');
    expect(boundAddress(port)).toBe('127.0.0.1');
    const expected = listenAddressFor('0.0.0.0', null).warning ?? '';
    expect(server.stdout()).toContain(JSON.stringify({ msg: expected }));
  });

  it('refuses requests addressed to another host name in open mode, as the Node service does', async () => {
    const node = await buildServiceApp();
    cleanups.push(() => node.close());
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
    for (const host of ['evil.example', 'localhost.evil.example:80', '127.0.0.1.nip.io']) {
      for (const path of ['/health', STATE]) {
        const ask: Ask = { path, headers: { host } };
        const answer = await askServer(server.port, ask);
        expect(answer.status, `${host} ${path}`).toBe(403);
        expect(answer, `${host} ${path}`).toEqual(await askNode(node.app, ask));
      }
    }
    for (const host of ['localhost:8080', '127.0.0.2', '[::1]:80', 'LOCALHOST']) {
      const answer = await askServer(server.port, { path: '/health', headers: { host } });
      expect(answer.status, host).toBe(200);
    }
  });
});

describe('a key file the Node service refuses', () => {
  const entry = {
    id: 'dock',
    selector: 'AAAAAAAAAAA',
    hash: `sha256$${'a'.repeat(64)}`,
    scopes: ['capture'],
  };
  const documents: [string, string][] = [
    ['not JSON', '{"keys": ['],
    ['JSON after a byte order mark', `\ufeff${JSON.stringify({ keys: [entry] })}`],
    ['not an object', '[]'],
    ['an unknown top-level field', JSON.stringify({ keys: [entry], extra: 1, more: 2 })],
    ['no keys', JSON.stringify({ keys: [] })],
    ['an entry that is not an object', JSON.stringify({ keys: [1] })],
    ['an unknown entry field', JSON.stringify({ keys: [{ ...entry, scope: 'x' }] })],
    ['a bad id', JSON.stringify({ keys: [{ ...entry, id: '-dock' }] })],
    ['a repeated id', JSON.stringify({ keys: [entry, { ...entry, selector: 'BBBBBBBBBBB' }] })],
    ['a short selector', JSON.stringify({ keys: [{ ...entry, selector: 'AAAA' }] })],
    ['a repeated selector', JSON.stringify({ keys: [entry, { ...entry, id: 'other' }] })],
    ['a hash that is not a string', JSON.stringify({ keys: [{ ...entry, hash: 7 }] })],
    [
      'an upper-case sha256 digest',
      JSON.stringify({ keys: [{ ...entry, hash: `sha256$${'A'.repeat(64)}` }] }),
    ],
    [
      'scrypt parameters out of range',
      JSON.stringify({
        keys: [{ ...entry, hash: `scrypt$ln=40,r=8,p=1$${'A'.repeat(22)}$${'A'.repeat(43)}` }],
      }),
    ],
    [
      'a short scrypt salt',
      JSON.stringify({ keys: [{ ...entry, hash: `scrypt$ln=14,r=8,p=1$AAAA$${'A'.repeat(43)}` }] }),
    ],
    [
      'a long scrypt hash',
      JSON.stringify({
        keys: [{ ...entry, hash: `scrypt$ln=14,r=8,p=1$${'A'.repeat(22)}$${'A'.repeat(90)}` }],
      }),
    ],
    ['no scopes', JSON.stringify({ keys: [{ ...entry, scopes: [] }] })],
    ['an unknown scope', JSON.stringify({ keys: [{ ...entry, scopes: ['capture', 'write'] }] })],
    ['a scope that is not a string', JSON.stringify({ keys: [{ ...entry, scopes: [null] }] })],
  ];

  function startWith(dir: string, file: string) {
    const result = spawnSync(
      wasmedge,
      ['--dir', `${dir}:${dir}`, module, '--data-dir', dir, '--port', '1', '--api-keys-file', file],
      { encoding: 'utf8', timeout: 30_000 },
    );
    return { status: result.status, stderr: result.stderr };
  }

  it('stops the start with exit 2 and the Node service message', async () => {
    const scratch = tempDir('edgetrace-access-bad-keys-');
    cleanups.push(scratch.remove);
    for (const [what, text] of documents) {
      const file = join(scratch.dir, 'api-keys.json');
      writeFileSync(file, text);
      const nodeMessage = await readApiKeyFile(file).then(
        () => 'accepted',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      expect(nodeMessage, what).toMatch(/^access control: /);
      const started = startWith(scratch.dir, file);
      expect(started.status, what).toBe(2);
      expect(started.stderr, what).toBe(`tracker-server.wasm: ${nodeMessage}\n`);
    }
  });

  it('stops the start with exit 2 when the file is missing or outside the mapped directories', async () => {
    const scratch = tempDir('edgetrace-access-missing-');
    cleanups.push(scratch.remove);
    const missing = join(scratch.dir, 'absent.json');
    const nodeMessage = await readApiKeyFile(missing).then(
      () => 'accepted',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const started = startWith(scratch.dir, missing);
    expect(started.status).toBe(2);
    expect(started.stderr).toBe(`tracker-server.wasm: ${nodeMessage}\n`);
    const outside = startWith(scratch.dir, '/etc/edgetrace/api-keys.json');
    expect(outside.status).toBe(2);
    expect(outside.stderr).toBe(
      'tracker-server.wasm: access control: /etc/edgetrace/api-keys.json: the API key file is not in a ' +
        'directory mapped into the sandbox (wasmedge --dir /etc/edgetrace:<host path>)\n',
    );
  });
});

afterAll(async () => {
  await group.killAll();
});
