// An estimate of the heap a cached answer holds, for the query cache's byte budget. Answers are
// JSON-like trees (rendered event pages, trace answers), so a walk of their structure is
// enough: strings count their length (the stored JSON is ASCII in practice, which V8 keeps one byte
// a character), objects and arrays a header plus a slot per member. It errs high rather than low
// for small values and is exact enough for large ones, where the event bodies dominate.
const STRING_HEADER_BYTES = 16;
const OBJECT_HEADER_BYTES = 32;
const SLOT_BYTES = 16;
const SCALAR_BYTES = 8;

export function approximateBytes(value: unknown): number {
  let total = 0;
  const pending: unknown[] = [value];
  // Answers may share sub-objects (a trace's states); each is counted once, and cycles end.
  const seen = new Set<object>();
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      total += STRING_HEADER_BYTES + item.length;
    } else if (typeof item === 'object' && item !== null) {
      if (seen.has(item)) continue;
      seen.add(item);
      if (Array.isArray(item)) {
        total += OBJECT_HEADER_BYTES + SLOT_BYTES * item.length;
        for (const member of item as unknown[]) pending.push(member);
      } else {
        const members = Object.values(item);
        total += OBJECT_HEADER_BYTES + SLOT_BYTES * members.length;
        for (const member of members) pending.push(member);
      }
    } else {
      total += SCALAR_BYTES;
    }
  }
  return total;
}
