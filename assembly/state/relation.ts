import { EpcTable } from './epc-table';
import { EventTable } from './event-table';
import {
  CHILD_EVENT,
  CHILD_NEXT,
  CHILD_PREV,
  CONTAINER_CLEARED,
  CONTAINER_FIRST,
  CONTAINER_COUNT,
} from './epc-layout';

// A containment relation (aggregation, or association) as order-independent registers:
// - the child's parent register is the newest ADD/DELETE event listing it (value: the event's
//   parent for an ADD, none for a DELETE);
// - the container's `cleared` register is the newest DELETE without children naming it;
// - a child is inside P when its register assigns it to P and is newer than P's `cleared`.
// The children inside each container form an intrusive doubly-linked list kept equal to that
// definition on every change, so listing contents is O(children) and no scan ever happens.

export class Relation {
  constructor(
    private epcs: EpcTable,
    private events: EventTable,
    /** Whether the child block lives in the extension record (else in the core record). */
    private childInExt: bool,
    private childOffset: usize,
    /** Offset of the container block in the extension record. */
    private containerOffset: usize,
  ) {}

  /** Event `e` lists `child`: an ADD into `parent`, or a DELETE (`parent` 0). */
  assign(child: u32, e: u32, parent: u32): void {
    const block = this.childBlock(child, true);
    if (block == 0) return;
    const current = load<u32>(block, CHILD_EVENT);
    if (!this.events.newer(e, current)) return;
    if (this.isInside(current)) this.unlink(child, block, this.events.assignedParent(current));
    store<u32>(block, e, CHILD_EVENT);
    if (parent != 0 && this.events.newer(e, this.cleared(parent))) this.link(child, block, parent);
  }

  /** Event `e` removes all children of `container`: those put in before `e` leave. */
  clear(container: u32, e: u32): void {
    const block = this.containerBlock(container, true);
    if (block == 0 || !this.events.newer(e, load<u32>(block, CONTAINER_CLEARED))) return;
    store<u32>(block, e, CONTAINER_CLEARED);
    let child = load<u32>(block, CONTAINER_FIRST);
    while (child != 0) {
      const childBlock = this.childBlock(child, false);
      if (childBlock == 0) return;
      const next = load<u32>(childBlock, CHILD_NEXT);
      if (this.events.newer(e, load<u32>(childBlock, CHILD_EVENT))) this.unlink(child, childBlock, container);
      child = next;
    }
  }

  /** The event that put `child` into its current container, or 0 when it is in none. */
  insideBy(child: u32): u32 {
    const block = this.childBlock(child, false);
    if (block == 0) return 0;
    const current = load<u32>(block, CHILD_EVENT);
    return this.isInside(current) ? current : 0;
  }

  childCount(container: u32): i32 {
    const block = this.containerBlock(container, false);
    return block == 0 ? 0 : <i32>load<u32>(block, CONTAINER_COUNT);
  }

  /** Appends the keys of the children inside `container` to `out`; returns how many. */
  collect(container: u32, out: Array<string>): i32 {
    const block = this.containerBlock(container, false);
    if (block == 0) return 0;
    let n = 0;
    let child = load<u32>(block, CONTAINER_FIRST);
    while (child != 0) {
      const key = this.epcs.key(child);
      const childBlock = this.childBlock(child, false);
      if (key === null || childBlock == 0) break;
      out.push(key);
      n++;
      child = load<u32>(childBlock, CHILD_NEXT);
    }
    return n;
  }

  /** Whether the parent register value `e` currently places its child inside its parent. */
  private isInside(e: u32): bool {
    const parent = this.events.assignedParent(e);
    return parent != 0 && this.events.newer(e, this.cleared(parent));
  }

  private cleared(container: u32): u32 {
    const block = this.containerBlock(container, false);
    return block == 0 ? 0 : load<u32>(block, CONTAINER_CLEARED);
  }

  private link(child: u32, block: usize, container: u32): void {
    const list = this.containerBlock(container, true);
    if (list == 0) return;
    const head = load<u32>(list, CONTAINER_FIRST);
    store<u32>(block, head, CHILD_NEXT);
    store<u32>(block, 0, CHILD_PREV);
    if (head != 0) {
      const headBlock = this.childBlock(head, false);
      if (headBlock != 0) store<u32>(headBlock, child, CHILD_PREV);
    }
    store<u32>(list, child, CONTAINER_FIRST);
    store<u32>(list, load<u32>(list, CONTAINER_COUNT) + 1, CONTAINER_COUNT);
  }

  private unlink(child: u32, block: usize, container: u32): void {
    const list = this.containerBlock(container, false);
    if (list == 0) return;
    const next = load<u32>(block, CHILD_NEXT);
    const prev = load<u32>(block, CHILD_PREV);
    const prevBlock: usize = prev == 0 ? 0 : this.childBlock(prev, false);
    if (prevBlock != 0) store<u32>(prevBlock, next, CHILD_NEXT);
    else store<u32>(list, next, CONTAINER_FIRST);
    const nextBlock: usize = next == 0 ? 0 : this.childBlock(next, false);
    if (nextBlock != 0) store<u32>(nextBlock, prev, CHILD_PREV);
    store<u32>(block, 0, CHILD_NEXT);
    store<u32>(block, 0, CHILD_PREV);
    store<u32>(list, load<u32>(list, CONTAINER_COUNT) - 1, CONTAINER_COUNT);
  }

  private childBlock(rec: u32, create: bool): usize {
    if (!this.childInExt) return this.epcs.ptr(rec) + this.childOffset;
    const ext = this.epcs.ext(rec, create);
    return ext == 0 ? 0 : ext + this.childOffset;
  }

  private containerBlock(rec: u32, create: bool): usize {
    const ext = this.epcs.ext(rec, create);
    return ext == 0 ? 0 : ext + this.containerOffset;
  }
}
