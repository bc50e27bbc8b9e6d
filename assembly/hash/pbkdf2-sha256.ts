// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), the key stretching scrypt wraps around its memory-hard mix
// (RFC 7914 §6 uses it with one iteration, before and after ROMix).

import { HmacSha256 } from './hmac-sha256';

// unmanaged! U_j and the running XOR T of one output block.
const U: usize = memory.data(32, 16);
const T: usize = memory.data(32, 16);

/**
 * Writes `outLen` bytes of PBKDF2-HMAC-SHA256(password, salt, iterations) to `out`; the password
 * is the key `hmac` was made with.
 */
export function pbkdf2Sha256(
  hmac: HmacSha256,
  salt: usize,
  saltLen: i32,
  iterations: i32,
  out: usize,
  outLen: i32,
): void {
  // salt ‖ INT(i), the message of each block's first MAC.
  const message = heap.alloc(<usize>(saltLen + 4));
  memory.copy(message, salt, <usize>saltLen);
  for (let block: i32 = 1, done: i32 = 0; done < outLen; block++, done += 32) {
    store<u32>(message + <usize>saltLen, bswap<u32>(<u32>block));
    hmac.mac(message, saltLen + 4, U);
    memory.copy(T, U, 32);
    for (let j = 1; j < iterations; j++) {
      hmac.mac(U, 32, U);
      v128.store(T, v128.xor(v128.load(T), v128.load(U)));
      v128.store(T, v128.xor(v128.load(T, 16), v128.load(U, 16)), 16);
    }
    memory.copy(out + <usize>done, T, <usize>min(32, outLen - done));
  }
  heap.free(message);
}
