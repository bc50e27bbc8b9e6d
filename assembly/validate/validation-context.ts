// Where the validator is in the document and where its findings go. The position is a stack of
// member names and array indexes; the JSON pointer string is built only when an issue is reported,
// so valid input costs a few stores per nested level and no allocation.
import { DOCUMENT_LEVEL, IssueList, pointerToken } from '../diagnostics/issue';

// Deeper than any path the validator walks (root → … → sensorReport/i/member is about 9).
const MAX_DEPTH = 32;

export class ValidationContext {
  eventIndex: i32 = DOCUMENT_LEVEL;
  private base: string = '';
  private keys: StaticArray<string | null> = new StaticArray<string | null>(MAX_DEPTH);
  private indexes: StaticArray<i32> = new StaticArray<i32>(MAX_DEPTH);
  private depth: i32 = 0;

  constructor(public issues: IssueList) {}

  /** Starts a new position: `base` is a ready-made pointer prefix ("" for the document root). */
  begin(eventIndex: i32, base: string): void {
    this.eventIndex = eventIndex;
    this.base = base;
    this.depth = 0;
  }

  @inline push(key: string): void {
    const d = this.depth;
    if (<u32>d < <u32>MAX_DEPTH) unchecked((this.keys[d] = key));
    this.depth = d + 1;
  }

  @inline pushIndex(index: i32): void {
    const d = this.depth;
    if (<u32>d < <u32>MAX_DEPTH) {
      unchecked((this.keys[d] = null));
      unchecked((this.indexes[d] = index));
    }
    this.depth = d + 1;
  }

  @inline pop(): void {
    this.depth--;
  }

  /** The RFC 6901 pointer of the current position, from the document root. */
  pointer(): string {
    let p = this.base;
    const depth = this.depth < MAX_DEPTH ? this.depth : MAX_DEPTH;
    for (let d = 0; d < depth; d++) {
      const key = unchecked(this.keys[d]);
      p += '/' + (key === null ? unchecked(this.indexes[d]).toString() : pointerToken(key));
    }
    return p;
  }

  /**
   * True once the issue list is at its cap. Loops over arrays and members stop then, so a hostile
   * document with millions of bad values costs neither millions of messages nor the memory for them.
   */
  get full(): bool {
    const issues = this.issues;
    if (issues.items.length < issues.cap) return false;
    issues.truncated = true;
    return true;
  }

  /** Records an issue about the value at the current position. */
  report(message: string): void {
    if (!this.full) this.issues.add(this.eventIndex, this.pointer(), message);
  }

  /** Records an issue about member `key` of the value at the current position (present or not). */
  reportMember(key: string, message: string): void {
    this.push(key);
    this.report(message);
    this.pop();
  }

  /** Records an issue about item `index` of the array at the current position. */
  reportItem(index: i32, message: string): void {
    this.pushIndex(index);
    this.report(message);
    this.pop();
  }
}
