// The server's scrypt (assembly/hash/scrypt.ts, for `scrypt$` API key entries) derives exactly what
// node's crypto.scrypt derives: RFC 7914's vectors and edge cases of every layer (HMAC keys over
// one block, PBKDF2 messages at the SHA-256 padding boundaries, odd output lengths, r and p > 1).
// It runs as a tiny WASI command (assembly/server/auth/scrypt-command.ts), AOT-compiled, under
// Debian's WasmEdge and the LLVM-free runtime the server runs on.
import { execFileSync } from 'node:child_process';
import { createHash, scryptSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/shared-data.js';
import { ensureLlvmFreeWasmEdge, ensureWasmEdge } from '../../helpers/wasmedge.js';

const ENTRY = 'assembly/server/auth/scrypt-command.ts';
// Everything the command compiles from: a change in any of them rebuilds it.
const SOURCE_DIRS = ['assembly/hash', 'assembly/server/auth', 'assembly/platform', 'assembly/json'];

let wasmedge: string;
let aot: string;
let genericAot: string;

function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const dir of SOURCE_DIRS) {
    for (const name of readdirSync(join(REPO_ROOT, dir)).sort()) {
      const path = join(REPO_ROOT, dir, name);
      if (statSync(path).isFile()) hash.update(name).update(readFileSync(path));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** Builds the command with the server's compiler options (cached by its sources) and AOT-compiles it. */
function buildCommand(): { wasm: string; aot: string; genericAot: string } {
  const base = join(tmpdir(), `edgetrace-scrypt-command-${sourceDigest()}`);
  const wasm = `${base}.wasm`;
  if (!existsSync(wasm)) {
    execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/assemblyscript/bin/asc.js'),
        ENTRY,
        '-O3',
        '--runtime',
        'minimal',
        '--enable',
        'simd',
        '--use',
        'abort=assembly/platform/wasi/abortWithMessage',
        '--outFile',
        wasm,
      ],
      { cwd: REPO_ROOT, stdio: 'pipe' },
    );
  }
  const compiled = { wasm, aot: `${base}.aot.wasm`, genericAot: `${base}.generic.aot.wasm` };
  if (!existsSync(compiled.aot)) execFileSync(wasmedge, ['compile', wasm, compiled.aot], { stdio: 'pipe' });
  if (!existsSync(compiled.genericAot)) {
    execFileSync(wasmedge, ['compile', '--generic-binary', wasm, compiled.genericAot], { stdio: 'pipe' });
  }
  return compiled;
}

interface Vector {
  password: Buffer;
  salt: Buffer;
  logN: number;
  r: number;
  p: number;
  length: number;
}

function derive(runtime: string, module: string, v: Vector): { derived: string; ms: number[] } {
  const out = execFileSync(
    runtime,
    [
      module,
      String(v.logN),
      String(v.r),
      String(v.p),
      String(v.length),
      v.salt.toString('hex'),
      v.password.toString('hex'),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return JSON.parse(out) as { derived: string; ms: number[] };
}

function expected(v: Vector): string {
  const N = 2 ** v.logN;
  return scryptSync(v.password, v.salt, v.length, {
    N,
    r: v.r,
    p: v.p,
    maxmem: 2 * 128 * v.r * (N + v.p),
  }).toString('hex');
}

const text = (s: string) => Buffer.from(s, 'utf8');
const bytes = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255));

beforeAll(() => {
  wasmedge = ensureWasmEdge();
  ({ aot, genericAot } = buildCommand());
});

describe('scrypt in tracker-server.wasm', () => {
  it('derives the RFC 7914 §12 test vectors', () => {
    const rfc: [Vector, string][] = [
      [
        { password: text(''), salt: text(''), logN: 4, r: 1, p: 1, length: 64 },
        '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906',
      ],
      [
        { password: text('password'), salt: text('NaCl'), logN: 10, r: 8, p: 16, length: 64 },
        'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      ],
      [
        { password: text('pleaseletmein'), salt: text('SodiumChloride'), logN: 14, r: 8, p: 1, length: 64 },
        '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
      ],
    ];
    for (const [vector, digest] of rfc) expect(derive(wasmedge, aot, vector).derived).toBe(digest);
  });

  it('derives what node crypto.scrypt derives at every layer boundary', () => {
    const vectors: Vector[] = [
      // HMAC keys of 64 bytes (one block) and 65 and 200 (hashed first).
      { password: bytes(64, 1), salt: bytes(16, 2), logN: 2, r: 1, p: 1, length: 32 },
      { password: bytes(65, 3), salt: bytes(16, 4), logN: 2, r: 1, p: 1, length: 32 },
      { password: bytes(200, 5), salt: bytes(16, 6), logN: 3, r: 2, p: 1, length: 32 },
      // PBKDF2 messages (salt ‖ INT(i)) of 55, 56, 64 and 128 bytes: one or two padding blocks.
      { password: text('et_key'), salt: bytes(51, 7), logN: 2, r: 1, p: 1, length: 32 },
      { password: text('et_key'), salt: bytes(52, 8), logN: 2, r: 1, p: 1, length: 32 },
      { password: text('et_key'), salt: bytes(60, 9), logN: 2, r: 1, p: 1, length: 32 },
      { password: text('et_key'), salt: bytes(124, 10), logN: 2, r: 1, p: 1, length: 32 },
      // Output lengths that end mid-block, and odd r and p.
      { password: text('x'), salt: bytes(16, 11), logN: 5, r: 3, p: 2, length: 16 },
      { password: text('x'), salt: bytes(16, 12), logN: 1, r: 1, p: 3, length: 33 },
      { password: text('x'), salt: bytes(16, 13), logN: 6, r: 16, p: 1, length: 100 },
    ];
    for (const vector of vectors) {
      expect(derive(wasmedge, aot, vector).derived, JSON.stringify({ ...vector, password: undefined })).toBe(
        expected(vector),
      );
    }
  });

  it('derives an API key entry of the default cost (ln=14, r=8, p=1) under the LLVM-free runtime', () => {
    const runtime = ensureLlvmFreeWasmEdge();
    const vector: Vector = {
      password: text('et_AAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'),
      salt: bytes(16, 14),
      logN: 14,
      r: 8,
      p: 1,
      length: 32,
    };
    const { derived, ms } = derive(runtime, genericAot, vector);
    expect(derived).toBe(expected(vector));
    expect(ms).toHaveLength(1);
  });
});
