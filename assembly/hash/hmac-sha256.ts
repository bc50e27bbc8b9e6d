// HMAC-SHA256 (RFC 2104) on the scalar compression function, for PBKDF2 in scrypt. The key's inner
// and outer states (one compressed block each) are computed once per key: PBKDF2 then pays two
// compressions per MAC for the key pads instead of four.

import { IV } from './sha256-constants';
import { compressBlocks } from './sha256-block';
import { padTail } from './sha256-pad';
import { storeDigest } from './sha256-digest';
import { sha256 } from './sha256';

const BLOCK: i32 = 64;
// unmanaged! The padded key block, the running state, the padded tail and the inner digest.
const PAD: usize = memory.data(64, 16);
const STATE: usize = memory.data(32, 16);
const TAIL: usize = memory.data(128, 16);
const INNER: usize = memory.data(32, 16);

export class HmacSha256 {
  /** Intermediate hashes after the key XOR ipad / opad block (native-endian words). */
  private readonly inner: StaticArray<u8> = new StaticArray<u8>(32);
  private readonly outer: StaticArray<u8> = new StaticArray<u8>(32);

  /** Prepares the MAC for the `len`-byte key at `key` (a key over one block is hashed first). */
  constructor(key: usize, len: i32) {
    memory.fill(PAD, 0, BLOCK);
    if (len > BLOCK) sha256(key, len, PAD);
    else if (len > 0) memory.copy(PAD, key, <usize>len);
    this.keyState(0x36, changetype<usize>(this.inner));
    this.keyState(0x36 ^ 0x5c, changetype<usize>(this.outer));
  }

  /** XORs the pad block with `mask` (cumulative: the second call turns ipad into opad) and compresses it. */
  private keyState(mask: u8, out: usize): void {
    for (let i: usize = 0; i < <usize>BLOCK; i++) store<u8>(PAD + i, load<u8>(PAD + i) ^ mask);
    memory.copy(out, IV, 32);
    compressBlocks(out, PAD, 1);
  }

  /** Writes the 32-byte MAC of the `len` bytes at `data` to `out`, which may overlap the input. */
  mac(data: usize, len: i32, out: usize): void {
    memory.copy(STATE, changetype<usize>(this.inner), 32);
    finish(data, len, INNER);
    memory.copy(STATE, changetype<usize>(this.outer), 32);
    finish(INNER, 32, out);
  }
}

/** Hashes `len` message bytes after the one key block already in STATE and stores the digest. */
function finish(data: usize, len: i32, out: usize): void {
  const whole = len >>> 6;
  compressBlocks(STATE, data, whole);
  // The length in the padding counts the key block too; padTail reads only `len & 63` bytes.
  compressBlocks(STATE, TAIL, padTail(data + ((<usize>whole) << 6), len + BLOCK, TAIL));
  storeDigest(STATE, out);
}
