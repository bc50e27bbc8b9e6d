// SHA-256 of many messages in one call, through the same batch hasher the capture path uses. The
// host uses it to check the core's hashing against Node's crypto (bench/core) and in tests.
// Input layout: `count` messages, each a u32 little-endian length followed by its bytes.
// Output: `count` lowercase hex digests of 64 ASCII characters each, back to back.
import { sha256Batch } from '../hash/sha256-batch';
import { writeHex } from '../hash/hex';
import { Utf8Writer } from '../json/utf8-writer';
import { Status } from './status';

export function writeDigests(input: usize, len: i32, count: i32, w: Utf8Writer): Status {
  if (count < 0 || len < 0) return Status.BadArgument;
  const ptrs = new StaticArray<usize>(count);
  const lens = new StaticArray<i32>(count);
  let at: usize = input;
  const end = input + <usize>len;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) return Status.BadArgument;
    const size = load<u32>(at);
    at += 4;
    if (<usize>size > end - at) return Status.BadArgument;
    unchecked((ptrs[i] = at));
    unchecked((lens[i] = <i32>size));
    at += <usize>size;
  }
  const digests = heap.alloc(max<usize>(<usize>count * 32, 1));
  sha256Batch(ptrs, lens, count, digests);
  w.reset();
  const hex = heap.alloc(64);
  for (let i = 0; i < count; i++) {
    writeHex(digests + <usize>i * 32, 32, hex);
    w.raw(hex, 64);
  }
  heap.free(hex);
  heap.free(digests);
  return Status.Ok;
}
