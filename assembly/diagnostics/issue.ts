// A problem found in a captured document. Issues are values: the core never throws on bad input.

/** Index used for problems that concern the document rather than one event. */
export const DOCUMENT_LEVEL: i32 = -1;

export class Issue {
  constructor(
    /** Position of the event in the document's event list, or DOCUMENT_LEVEL. */
    public eventIndex: i32,
    /** RFC 6901 JSON pointer to the offending member, relative to the document root. */
    public pointer: string,
    /** One sentence a person can act on, e.g. "eventTimeZoneOffset must look like +01:00". */
    public message: string,
  ) {}
}

/** Collects issues up to a cap, so a document with a million bad fields cannot exhaust memory. */
export class IssueList {
  items: Array<Issue> = new Array<Issue>();
  truncated: bool = false;

  constructor(public readonly cap: i32 = 1000) {}

  add(eventIndex: i32, pointer: string, message: string): void {
    if (this.items.length >= this.cap) {
      this.truncated = true;
      return;
    }
    this.items.push(new Issue(eventIndex, pointer, message));
  }

  @inline get length(): i32 {
    return this.items.length;
  }

  /** How many issues concern one event (used to decide per-event acceptance). */
  countFor(eventIndex: i32): i32 {
    let n = 0;
    const items = this.items;
    for (let i = 0, len = items.length; i < len; i++) if (unchecked(items[i]).eventIndex == eventIndex) n++;
    return n;
  }
}

/** Escapes one reference token of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerToken(key: string): string {
  if (key.indexOf('~') < 0 && key.indexOf('/') < 0) return key;
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
