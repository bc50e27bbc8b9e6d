// Grows the module's heap in one step ahead of a known amount of allocation (an index replay).
// AssemblyScript's TLSF allocator grows memory by max(current size, request): thousands of small
// arena-chunk requests end up doubling memory.buffer, up to twice what is used, while a single
// large request grows it by exactly that much. Allocating one block of the expected size and
// freeing it at once leaves a free block that the arena chunks are then carved from.

/** Largest step taken; beyond it the caller's estimate is ignored rather than risk the trap. */
const MAX_STEP: u64 = 512 << 20;

/** Makes sure about `bytes` more bytes can be allocated without the allocator growing memory. */
export function reserveHeap(bytes: u64): void {
  // danger: the allocator traps when memory cannot grow (the module's maximum); a replay that
  // needs this much would hit the same wall a little later anyway.
  if (bytes == 0 || bytes > MAX_STEP) return;
  heap.free(heap.alloc(<usize>bytes));
}
