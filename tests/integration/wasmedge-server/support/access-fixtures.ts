// What the access-control tests share: API key files written by the Node service's own
// create-api-key, one request asked of tracker-server.wasm (over a real socket, any Host header) and
// of the in-process Node service (app.inject) in the same shape, and a raw server start that keeps
// stdout for the lines the server writes at start.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createApiKey } from '../../../../host/auth/create-api-key.js';
import type { Scope } from '../../../../host/auth/scopes.js';

export type HashKind = 'sha256' | 'scrypt';

export interface KeyFile {
  dir: string;
  file: string;
  /** Keys by the scopes they hold. */
  capture: string;
  query: string;
  remove(): void;
}

/** A key file with a capture-only and a query-only key, hashed as `kind`, in a fresh directory. */
export async function writeKeyFile(kind: HashKind): Promise<KeyFile> {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-access-keys-'));
  const make = (id: string, scopes: Scope[]) => createApiKey({ id, scopes, hash: kind });
  const [capture, query] = await Promise.all([make('dock-door', ['capture']), make('dashboard', ['query'])]);
  const file = join(dir, 'api-keys.json');
  writeFileSync(file, JSON.stringify({ keys: [capture.entry, query.entry] }));
  return {
    dir,
    file,
    capture: capture.key,
    query: query.key,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The same key with another last secret character: a known selector with a wrong secret. */
export function wrongSecret(key: string): string {
  return key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
}

/** The same key with another first selector character: a selector no entry has. */
export function unknownSelector(key: string): string {
  return `et_${key[3] === 'A' ? 'B' : 'A'}${key.slice(4)}`;
}

export interface Answer {
  status: number;
  /** Only the headers access control decides. */
  headers: Record<string, string>;
  body: string;
}

const COMPARED_HEADERS = ['content-type', 'www-authenticate', 'retry-after', 'allow'];

function compared(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of COMPARED_HEADERS) if (headers[name] !== undefined) out[name] = String(headers[name]);
  return out;
}

export interface Ask {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Asks tracker-server.wasm on 127.0.0.1:`port`; headers go out as given (Host included). */
export function askServer(port: number, ask: Ask): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: ask.method ?? 'GET',
        path: ask.path,
        headers: ask.headers ?? {},
        agent: false,
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: compared(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${ask.path}`)));
    req.on('error', reject);
    req.end(ask.body);
  });
}

/** Asks the in-process Node service the same request. */
export async function askNode(app: FastifyInstance, ask: Ask): Promise<Answer> {
  const response = await app.inject({
    method: (ask.method ?? 'GET') as 'GET',
    url: ask.path,
    headers: ask.headers ?? {},
    ...(ask.body === undefined ? {} : { payload: ask.body }),
  });
  return { status: response.statusCode, headers: compared(response.headers), body: response.body };
}

/** The socket address a LISTEN socket on `port` is bound to, from /proc/net/tcp ("0.0.0.0", …). */
export function boundAddress(port: number): string | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (state !== '0A' || local === undefined || !local.endsWith(`:${hexPort}`)) continue;
    // The kernel prints the address as a little-endian 32-bit hex number.
    const hex = local.slice(0, 8);
    return [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');
  }
  return null;
}

export interface RawServer {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

/**
 * Starts `runtime module args…` and resolves once it says where it listens (or exits). The caller
 * kills it (kill() waits for the exit).
 */
export async function startRaw(runtime: string, args: string[], timeoutMs = 20_000): Promise<RawServer> {
  const child = spawn(runtime, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const listening = new Promise<void>((done) =>
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Server listening at')) done();
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((done) => (timer = setTimeout(done, timeoutMs)));
  await Promise.race([listening, exited, timeout]);
  clearTimeout(timer);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
