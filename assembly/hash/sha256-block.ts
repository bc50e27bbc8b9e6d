// The scalar SHA-256 compression function (FIPS 180-4 §6.2.2) over whole 64-byte blocks.
// The eight-round loop body renames the working variables instead of shifting them, so each round
// is two additions into the right variables; the chaining value stays in memory between blocks so
// only the eight working variables compete for registers. In V8 11.3 this measured slightly
// faster than one round per iteration with the schedule folded in (the form sha256-lanes uses).

import { K } from './sha256-constants';

// 64 expanded message words for the block being compressed. unmanaged!
const W: usize = memory.data(64 * 4, 16);

function bigSigma0(x: u32): u32 {
  return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22);
}

function bigSigma1(x: u32): u32 {
  return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25);
}

function smallSigma0(x: u32): u32 {
  return rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
}

function smallSigma1(x: u32): u32 {
  return rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10);
}

function ch(x: u32, y: u32, z: u32): u32 {
  return z ^ (x & (y ^ z));
}

function maj(x: u32, y: u32, z: u32): u32 {
  return (x & y) | (z & (x | y));
}

/** Fills W from one big-endian block and expands it to 64 words. */
function schedule(block: usize): void {
  for (let i: usize = 0; i < 64; i += 16) {
    const x = v128.load(block + i);
    v128.store(W + i, i8x16.shuffle(x, x, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
  }
  for (let i: usize = 64; i < 256; i += 4) {
    const w =
      smallSigma1(load<u32>(W + i - 8)) +
      load<u32>(W + i - 28) +
      smallSigma0(load<u32>(W + i - 60)) +
      load<u32>(W + i - 64);
    store<u32>(W + i, w);
  }
}

/**
 * Runs `blocks` consecutive 64-byte blocks at `data` through the compression function, updating the
 * eight-word intermediate hash at `state` (native-endian u32s).
 */
export function compressBlocks(state: usize, data: usize, blocks: i32): void {
  for (let n = 0; n < blocks; n++) {
    schedule(data + ((<usize>n) << 6));
    let a = load<u32>(state, 0);
    let b = load<u32>(state, 4);
    let c = load<u32>(state, 8);
    let d = load<u32>(state, 12);
    let e = load<u32>(state, 16);
    let f = load<u32>(state, 20);
    let g = load<u32>(state, 24);
    let h = load<u32>(state, 28);
    // k and w advance eight words per pass so every load below uses a constant offset.
    for (let i: usize = 0; i < 256; i += 32) {
      const k = K + i;
      const w = W + i;
      h += bigSigma1(e) + ch(e, f, g) + load<u32>(k, 0) + load<u32>(w, 0);
      d += h;
      h += bigSigma0(a) + maj(a, b, c);
      g += bigSigma1(d) + ch(d, e, f) + load<u32>(k, 4) + load<u32>(w, 4);
      c += g;
      g += bigSigma0(h) + maj(h, a, b);
      f += bigSigma1(c) + ch(c, d, e) + load<u32>(k, 8) + load<u32>(w, 8);
      b += f;
      f += bigSigma0(g) + maj(g, h, a);
      e += bigSigma1(b) + ch(b, c, d) + load<u32>(k, 12) + load<u32>(w, 12);
      a += e;
      e += bigSigma0(f) + maj(f, g, h);
      d += bigSigma1(a) + ch(a, b, c) + load<u32>(k, 16) + load<u32>(w, 16);
      h += d;
      d += bigSigma0(e) + maj(e, f, g);
      c += bigSigma1(h) + ch(h, a, b) + load<u32>(k, 20) + load<u32>(w, 20);
      g += c;
      c += bigSigma0(d) + maj(d, e, f);
      b += bigSigma1(g) + ch(g, h, a) + load<u32>(k, 24) + load<u32>(w, 24);
      f += b;
      b += bigSigma0(c) + maj(c, d, e);
      a += bigSigma1(f) + ch(f, g, h) + load<u32>(k, 28) + load<u32>(w, 28);
      e += a;
      a += bigSigma0(b) + maj(b, c, d);
    }
    store<u32>(state, load<u32>(state, 0) + a, 0);
    store<u32>(state, load<u32>(state, 4) + b, 4);
    store<u32>(state, load<u32>(state, 8) + c, 8);
    store<u32>(state, load<u32>(state, 12) + d, 12);
    store<u32>(state, load<u32>(state, 16) + e, 16);
    store<u32>(state, load<u32>(state, 20) + f, 20);
    store<u32>(state, load<u32>(state, 24) + g, 24);
    store<u32>(state, load<u32>(state, 28) + h, 28);
  }
}
