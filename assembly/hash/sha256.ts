// One-shot SHA-256 of a single message in linear memory (the scalar path).

import { IV } from './sha256-constants';
import { compressBlocks } from './sha256-block';
import { padTail } from './sha256-pad';
import { storeDigest } from './sha256-digest';

// unmanaged! Intermediate hash and padded tail of the message being hashed.
const STATE: usize = memory.data(32, 16);
const TAIL: usize = memory.data(128, 16);

/**
 * Writes the 32-byte SHA-256 digest of the `len` bytes at `data` to `out`. A negative `len` is
 * treated as 0. `out` may overlap the input: it is written only after the last block is read.
 */
export function sha256(data: usize, len: i32, out: usize): void {
  if (len < 0) len = 0;
  v128.store(STATE, v128.load(IV, 0), 0);
  v128.store(STATE, v128.load(IV, 16), 16);
  const whole = len >>> 6;
  const rest = data + ((<usize>whole) << 6);
  compressBlocks(STATE, data, whole);
  compressBlocks(STATE, TAIL, padTail(rest, len, TAIL));
  storeDigest(STATE, out);
}
