// What one pass over an event's members learned that the cross-member rules need: which members
// are present, which lists are non-empty, and the action. One instance is reused for every event.
import { bit, Field } from './event-fields';

export enum Action {
  Absent = 0,
  /** Present but not one of ADD / OBSERVE / DELETE (already reported). */
  Invalid = 1,
  Add = 2,
  Observe = 3,
  Delete = 4,
}

export const ACTION_NAMES: string[] = ['', '', 'ADD', 'OBSERVE', 'DELETE'];

export class EventFacts {
  present: u32 = 0;
  nonEmpty: u32 = 0;
  /** Members that are present but not even the right JSON type (already reported). */
  malformed: u32 = 0;
  action: Action = Action.Absent;

  reset(): void {
    this.present = 0;
    this.nonEmpty = 0;
    this.malformed = 0;
    this.action = Action.Absent;
  }

  @inline has(f: Field): bool {
    return (this.present & bit(f)) != 0;
  }

  /**
   * True when member `f` is an array with at least one item — or is malformed, so that rules about
   * what an event must list stay quiet about a member whose real problem was already reported.
   */
  @inline hasItems(f: Field): bool {
    return ((this.nonEmpty | this.malformed) & bit(f)) != 0;
  }
}
