// SHA-256 of many messages: four at a time in the lanes of compress4, each lane taking the next
// message as soon as its own is done, so messages of different lengths never wait for each other
// (no grouping by length is needed). A lane reads its message in two segments: the whole 64-byte
// blocks in place, then the one or two padded blocks of its tail. Per block, the lanes' block addresses and
// blocks-left counters advance as one vector each; only when a counter reaches zero does a lane
// change segment or take the next message. When fewer than MIN_BUSY_LANES lanes still hold a
// message, those messages are finished with the scalar compressor from their lane's state.

import { IV } from './sha256-constants';
import { compressBlocks } from './sha256-block';
import { compress4 } from './sha256-lanes';
import { padTail } from './sha256-pad';
import { storeDigest, storeLaneDigest } from './sha256-digest';

/** With one busy lane a four-lane round costs about what a scalar round costs (measured). */
const MIN_BUSY_LANES = 2;

// unmanaged! The four-lane intermediate hash, the lanes' padded tails (128 bytes each) and one
// lane's hash gathered for the scalar finish.
const STATE4: usize = memory.data(8 * 16, 16);
const TAILS: usize = memory.data(4 * 128, 16);
const STATE: usize = memory.data(32, 16);
// Per-lane vectors, kept in locals while blocks are compressed and stored here while segments
// change: next block address, bytes to advance per block (0 when idle), blocks left in the segment.
const NEXT: usize = memory.data(16, 16);
const STEP: usize = memory.data(16, 16);
const LEFT: usize = memory.data(16, 16);
// Per-lane records read only when a segment ends: message index (-1 when idle), blocks in the
// padded tail, and whether the lane is already in its tail.
const MESSAGE: usize = memory.data(16, 16);
const TAIL_BLOCKS: usize = memory.data(16, 16);
const IN_TAIL: usize = memory.data(16, 16);

/**
 * Batches of up to this many messages go to the lanes longest first, so the lanes run out of work
 * at about the same time (otherwise the last messages run with lanes idle or in the scalar finish;
 * measured on 5, 10 and 20 messages of 300-1500 bytes: 25%, 10% and 12% faster). In larger batches
 * that tail is a small share, and input order is kept.
 */
const LONGEST_FIRST_MAX = 64;
// Message indices in the order lanes take them, when ordered. unmanaged!
const ORDER: usize = memory.data(LONGEST_FIRST_MAX * 4, 16);

let queued = 0;
let busy = 0;
let ordered = false;

function cell(table: usize, lane: i32): usize {
  return table + ((<usize>lane) << 2);
}

function tailOf(lane: i32): usize {
  return TAILS + ((<usize>lane) << 7);
}

/** Fills ORDER with 0..count-1 sorted by length, longest first (insertion sort: count is small). */
function orderLongestFirst(lens: StaticArray<i32>, count: i32): void {
  for (let i = 0; i < count; i++) {
    const len = unchecked(lens[i]);
    let j = i;
    while (j > 0) {
      const before = load<i32>(ORDER + ((<usize>(j - 1)) << 2));
      if (unchecked(lens[before]) >= len) break;
      store<i32>(ORDER + ((<usize>j) << 2), before);
      j--;
    }
    store<i32>(ORDER + ((<usize>j) << 2), i);
  }
}

/** Gives `lane` the next queued message with its hash reset, or parks it when none is left. */
function fillLane(lane: i32, ptrs: StaticArray<usize>, lens: StaticArray<i32>, count: i32): void {
  if (queued >= count) {
    store<i32>(cell(MESSAGE, lane), -1);
    // An idle lane keeps hashing its stale tail (readable memory) and its counter never reaches 0.
    store<u32>(cell(NEXT, lane), <u32>tailOf(lane));
    store<i32>(cell(STEP, lane), 0);
    store<i32>(cell(LEFT, lane), -1);
    return;
  }
  const index = ordered ? load<i32>(ORDER + ((<usize>queued) << 2)) : queued;
  queued++;
  busy++;
  const data = unchecked(ptrs[index]);
  const len = max(unchecked(lens[index]), 0);
  const whole = len >>> 6;
  const tailBlocks = padTail(data + ((<usize>whole) << 6), len, tailOf(lane));
  store<i32>(cell(MESSAGE, lane), index);
  store<i32>(cell(TAIL_BLOCKS, lane), tailBlocks);
  store<i32>(cell(IN_TAIL, lane), whole == 0);
  store<u32>(cell(NEXT, lane), <u32>(whole > 0 ? data : tailOf(lane)));
  store<i32>(cell(STEP, lane), 64);
  store<i32>(cell(LEFT, lane), whole > 0 ? whole : tailBlocks);
  const at = STATE4 + ((<usize>lane) << 2);
  for (let w: usize = 0; w < 8; w++) {
    store<u32>(at + (w << 4), load<u32>(IV + (w << 2)));
  }
}

/** Moves `lane` from its message into its padded tail, or from its tail to the digest and on. */
function endSegment(
  lane: i32,
  ptrs: StaticArray<usize>,
  lens: StaticArray<i32>,
  count: i32,
  out: usize,
): void {
  // An idle lane's counter only reaches 0 after 2^32 blocks; keep it idle.
  if (load<i32>(cell(MESSAGE, lane)) < 0) {
    store<i32>(cell(LEFT, lane), -1);
    return;
  }
  if (!load<i32>(cell(IN_TAIL, lane))) {
    store<i32>(cell(IN_TAIL, lane), 1);
    store<u32>(cell(NEXT, lane), <u32>tailOf(lane));
    store<i32>(cell(LEFT, lane), load<i32>(cell(TAIL_BLOCKS, lane)));
    return;
  }
  storeLaneDigest(STATE4, lane, out + ((<usize>load<i32>(cell(MESSAGE, lane))) << 5));
  busy--;
  fillLane(lane, ptrs, lens, count);
}

/** Finishes a busy lane's message with the scalar compressor and writes its digest. */
function finishScalar(lane: i32, out: usize): void {
  const at = STATE4 + ((<usize>lane) << 2);
  for (let w: usize = 0; w < 8; w++) {
    store<u32>(STATE + (w << 2), load<u32>(at + (w << 4)));
  }
  compressBlocks(STATE, <usize>load<u32>(cell(NEXT, lane)), load<i32>(cell(LEFT, lane)));
  if (!load<i32>(cell(IN_TAIL, lane))) {
    compressBlocks(STATE, tailOf(lane), load<i32>(cell(TAIL_BLOCKS, lane)));
  }
  storeDigest(STATE, out + ((<usize>load<i32>(cell(MESSAGE, lane))) << 5));
}

/**
 * Writes the SHA-256 digest of message i (`lens[i]` bytes at `ptrs[i]`) to `out + 32 * i` for
 * i < count. `count` is clamped to both arrays' lengths; negative lengths are treated as 0. The
 * digests are written as messages finish, in no fixed order, so `out` must not overlap a message.
 */
export function sha256Batch(ptrs: StaticArray<usize>, lens: StaticArray<i32>, count: i32, out: usize): void {
  count = min(count, min(ptrs.length, lens.length));
  queued = 0;
  busy = 0;
  ordered = count <= LONGEST_FIRST_MAX;
  if (ordered) orderLongestFirst(lens, count);
  for (let lane = 0; lane < 4; lane++) fillLane(lane, ptrs, lens, count);
  let next = v128.load(NEXT);
  let step = v128.load(STEP);
  let left = v128.load(LEFT);
  const one = i32x4.splat(1);
  const zero = i32x4.splat(0);
  while (busy >= MIN_BUSY_LANES) {
    compress4(
      STATE4,
      <usize>i32x4.extract_lane(next, 0),
      <usize>i32x4.extract_lane(next, 1),
      <usize>i32x4.extract_lane(next, 2),
      <usize>i32x4.extract_lane(next, 3),
    );
    next = i32x4.add(next, step);
    left = i32x4.sub(left, one);
    const ended = i32x4.bitmask(i32x4.eq(left, zero));
    if (ended == 0) continue;
    v128.store(NEXT, next);
    v128.store(STEP, step);
    v128.store(LEFT, left);
    for (let lane = 0; lane < 4; lane++) {
      if (ended & (1 << lane)) endSegment(lane, ptrs, lens, count, out);
    }
    next = v128.load(NEXT);
    step = v128.load(STEP);
    left = v128.load(LEFT);
  }
  // NEXT, LEFT and the records are current here: busy only drops inside endSegment.
  for (let lane = 0; lane < 4; lane++) {
    if (load<i32>(cell(MESSAGE, lane)) >= 0) finishScalar(lane, out);
  }
}
