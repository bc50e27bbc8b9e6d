// scrypt (RFC 7914): PBKDF2-HMAC-SHA256 around ROMix, whose 128·r·N bytes of V are what make
// guessing expensive. Used by tracker-server.wasm to verify `scrypt$` API key entries, so it must
// derive exactly what node's crypto.scrypt derives (tests/integration/wasmedge-server/scrypt.test.ts).
// V is allocated for one derivation and freed after it: at ln=14, r=8 that is 16 MiB, which the
// allocator keeps for the next one (Wasm memory never shrinks).

import { HmacSha256 } from './hmac-sha256';
import { pbkdf2Sha256 } from './pbkdf2-sha256';
import { salsa20x8 } from './salsa20-core';

// unmanaged! The running 64-byte block of BlockMix.
const X: usize = memory.data(64, 16);

function xorInto(dst: usize, src: usize, len: usize): void {
  for (let i: usize = 0; i < len; i += 16)
    v128.store(dst + i, v128.xor(v128.load(dst + i), v128.load(src + i)));
}

/** BlockMix_{Salsa20/8, r} (RFC 7914 §4) of the 128·r bytes at `b` into `y` (no overlap). */
function blockMix(b: usize, y: usize, r: i32): void {
  const blocks = <usize>(2 * r);
  memory.copy(X, b + (blocks - 1) * 64, 64);
  for (let i: usize = 0; i < blocks; i++) {
    xorInto(X, b + i * 64, 64);
    salsa20x8(X);
    // Even blocks go to the first half of the output, odd ones to the second.
    memory.copy(y + ((i >> 1) + (i & 1) * <usize>r) * 64, X, 64);
  }
}

/** ROMix (RFC 7914 §5) of the 128·r bytes at `b` in place, with `v` holding 128·r·N bytes and `xy` 256·r. */
function roMix(b: usize, r: i32, n: u32, v: usize, xy: usize): void {
  const size = <usize>(128 * r);
  const x = xy;
  const y = xy + size;
  memory.copy(x, b, size);
  for (let i: u32 = 0; i < n; i += 2) {
    memory.copy(v + <usize>i * size, x, size);
    blockMix(x, y, r);
    memory.copy(v + <usize>(i + 1) * size, y, size);
    blockMix(y, x, r);
  }
  for (let i: u32 = 0; i < n; i += 2) {
    // Integerify: the first word of the last 64-byte block, little-endian; N is a power of two.
    let j = load<u32>(x + size - 64) & (n - 1);
    xorInto(x, v + <usize>j * size, size);
    blockMix(x, y, r);
    j = load<u32>(y + size - 64) & (n - 1);
    xorInto(y, v + <usize>j * size, size);
    blockMix(y, x, r);
  }
  memory.copy(b, x, size);
}

/**
 * Writes `outLen` bytes of scrypt(password, salt, N = 2^logN, r, p) to `out`. The caller bounds the
 * parameters (server/auth/key-hash.ts, as host/auth/api-key-hash.ts: at most 256 MiB for V and
 * logN ≥ 1, so N is even).
 */
export function scrypt(
  password: usize,
  passwordLen: i32,
  salt: usize,
  saltLen: i32,
  logN: i32,
  r: i32,
  p: i32,
  out: usize,
  outLen: i32,
): void {
  const n = (<u32>1) << (<u32>logN);
  const size = 128 * r;
  const hmac = new HmacSha256(password, passwordLen);
  const b = heap.alloc(<usize>(p * size));
  const xy = heap.alloc(<usize>(2 * size));
  const v = heap.alloc(<usize>n * <usize>size);
  pbkdf2Sha256(hmac, salt, saltLen, 1, b, p * size);
  for (let i = 0; i < p; i++) roMix(b + <usize>(i * size), r, n, v, xy);
  pbkdf2Sha256(hmac, b, p * size, 1, out, outLen);
  // The derived blocks are as good as the password to an attacker who reads memory: clear them.
  memory.fill(b, 0, <usize>(p * size));
  heap.free(v);
  heap.free(xy);
  heap.free(b);
}
