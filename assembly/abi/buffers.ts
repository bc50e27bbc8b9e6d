// The two byte buffers the host and the core exchange data through. The host asks for an input
// buffer of a given size, writes UTF-8 into it, calls an entry point, then reads the output buffer.
// Memory may grow during any call, so the host re-reads memory.buffer after each one.
import { Utf8Writer } from '../json/utf8-writer';

let inputPtr: usize = 0; // unmanaged!
let inputCapacity: usize = 0;

export const output = new Utf8Writer(1 << 16);

/**
 * A buffer of at least `len` bytes for the next input, keeping what it already holds (so a reader
 * can grow it while filling it); 0 when `len` is negative.
 */
export function reserveInput(len: i32): usize {
  if (len < 0) return 0;
  const needed = <usize>max(len, 1);
  if (needed > inputCapacity) {
    let capacity = max<usize>(inputCapacity, 4096);
    while (capacity < needed) capacity <<= 1;
    inputPtr = inputPtr == 0 ? heap.alloc(capacity) : heap.realloc(inputPtr, capacity);
    inputCapacity = capacity;
  }
  return inputPtr;
}

export function inputAddress(): usize {
  return inputPtr;
}

/** The input as a string (for short inputs such as an EPC to look up). */
export function inputString(len: i32): string {
  if (len <= 0 || inputPtr == 0 || <usize>len > inputCapacity) return '';
  return String.UTF8.decodeUnsafe(inputPtr, <usize>len);
}
