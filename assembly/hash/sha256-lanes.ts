// The SHA-256 compression function for four independent messages at once, one per 32-bit lane
// of a v128. Wasm SIMD has no lane rotate, so each rotation is two shifts and an or; even so the
// four-lane round does four blocks' work for fewer than twice the instructions of a scalar round.

import { K } from './sha256-constants';

// 64 expanded message words, each a v128 holding that word for lanes 0..3. unmanaged!
const W4: usize = memory.data(64 * 16, 16);

function rotr4(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

function bigSigma0(x: v128): v128 {
  return v128.xor(v128.xor(rotr4(x, 2), rotr4(x, 13)), rotr4(x, 22));
}

function bigSigma1(x: v128): v128 {
  return v128.xor(v128.xor(rotr4(x, 6), rotr4(x, 11)), rotr4(x, 25));
}

function smallSigma0(x: v128): v128 {
  return v128.xor(v128.xor(rotr4(x, 7), rotr4(x, 18)), i32x4.shr_u(x, 3));
}

function smallSigma1(x: v128): v128 {
  return v128.xor(v128.xor(rotr4(x, 17), rotr4(x, 19)), i32x4.shr_u(x, 10));
}

/** Ch(x, y, z): y where x has a 1 bit, else z. */
function ch(x: v128, y: v128, z: v128): v128 {
  return v128.bitselect(y, z, x);
}

/** Maj(x, y, z): x where x and y agree, else z. */
function maj(x: v128, y: v128, z: v128): v128 {
  return v128.bitselect(z, x, v128.xor(x, y));
}

/** K[i] + W[i] for round i, all four lanes. */
function kw(i: i32): v128 {
  return i32x4.add(v128.load32_splat(K + ((<usize>i) << 2)), v128.load(W4 + ((<usize>i) << 4)));
}

/**
 * Four big-endian words. A constant shuffle, not a swizzle: WasmEdge 0.14.1's --generic-binary
 * AOT code crashes (SIGSEGV) when a swizzle runs in a loop, and V8 11.3 was measured no faster
 * with a swizzle here.
 */
function bigEndianWords(p: usize): v128 {
  const x = v128.load(p);
  return i8x16.shuffle(x, x, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

/**
 * Loads words 4g..4g+3 of the four blocks and transposes them so that W4[4g + j] holds word
 * 4g + j of every lane.
 */
function loadWordGroup(p0: usize, p1: usize, p2: usize, p3: usize, g: usize): void {
  const r0 = bigEndianWords(p0 + (g << 4));
  const r1 = bigEndianWords(p1 + (g << 4));
  const r2 = bigEndianWords(p2 + (g << 4));
  const r3 = bigEndianWords(p3 + (g << 4));
  const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  const at = W4 + (g << 6);
  v128.store(at, i64x2.shuffle(lo01, lo23, 0, 2), 0);
  v128.store(at, i64x2.shuffle(lo01, lo23, 1, 3), 16);
  v128.store(at, i64x2.shuffle(hi01, hi23, 0, 2), 32);
  v128.store(at, i64x2.shuffle(hi01, hi23, 1, 3), 48);
}

/** Extends the message schedule by the word at `p` (a v128 slot of W4) from the 16 before it. */
function expandWord(p: usize): void {
  const w = i32x4.add(
    i32x4.add(smallSigma1(v128.load(p - 32)), v128.load(p - 112)),
    i32x4.add(smallSigma0(v128.load(p - 240)), v128.load(p - 256)),
  );
  v128.store(p, w);
}

/**
 * Compresses one 64-byte block per lane into the four-lane state at `state4` (word w of lane l is
 * the u32 at `state4 + 16 * w + 4 * l`); lane l's block starts at `pl`. Every lane must point at 64
 * readable bytes, even one whose result is unused.
 */
export function compress4(state4: usize, p0: usize, p1: usize, p2: usize, p3: usize): void {
  loadWordGroup(p0, p1, p2, p3, 0);
  loadWordGroup(p0, p1, p2, p3, 1);
  loadWordGroup(p0, p1, p2, p3, 2);
  loadWordGroup(p0, p1, p2, p3, 3);
  let a = v128.load(state4, 0);
  let b = v128.load(state4, 16);
  let c = v128.load(state4, 32);
  let d = v128.load(state4, 48);
  let e = v128.load(state4, 64);
  let f = v128.load(state4, 80);
  let g = v128.load(state4, 96);
  let h = v128.load(state4, 112);
  // One round per iteration, variables shifted by assignment; rounds 0..47 also compute schedule
  // word i + 16. Measured in V8 11.3 (Node 20) against an eight-round body with renamed variables,
  // two or four rounds per iteration, a separate expansion loop, and one loop with `if (i < 48)`:
  // these two branch-free loops are 8-15% faster than each, as V8 spills least here.
  let i = 0;
  for (; i < 48; i++) {
    const t1 = i32x4.add(i32x4.add(h, kw(i)), i32x4.add(ch(e, f, g), bigSigma1(e)));
    const t2 = i32x4.add(bigSigma0(a), maj(a, b, c));
    h = g;
    g = f;
    f = e;
    e = i32x4.add(d, t1);
    d = c;
    c = b;
    b = a;
    a = i32x4.add(t1, t2);
    expandWord(W4 + 256 + ((<usize>i) << 4));
  }
  for (; i < 64; i++) {
    const t1 = i32x4.add(i32x4.add(h, kw(i)), i32x4.add(ch(e, f, g), bigSigma1(e)));
    const t2 = i32x4.add(bigSigma0(a), maj(a, b, c));
    h = g;
    g = f;
    f = e;
    e = i32x4.add(d, t1);
    d = c;
    c = b;
    b = a;
    a = i32x4.add(t1, t2);
  }
  v128.store(state4, i32x4.add(v128.load(state4, 0), a), 0);
  v128.store(state4, i32x4.add(v128.load(state4, 16), b), 16);
  v128.store(state4, i32x4.add(v128.load(state4, 32), c), 32);
  v128.store(state4, i32x4.add(v128.load(state4, 48), d), 48);
  v128.store(state4, i32x4.add(v128.load(state4, 64), e), 64);
  v128.store(state4, i32x4.add(v128.load(state4, 80), f), 80);
  v128.store(state4, i32x4.add(v128.load(state4, 96), g), 96);
  v128.store(state4, i32x4.add(v128.load(state4, 112), h), 112);
}
