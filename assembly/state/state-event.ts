// The index's input: one validated, normalised event, filled by the capture/replay pipeline.
// One instance is reused for every event (`reset` between events), so applying an event
// allocates nothing beyond what the caller puts in the arrays.

export enum StateEventType {
  Object = 0,
  Aggregation = 1,
  Transaction = 2,
  Transformation = 3,
  Association = 4,
  Other = 5,
}

export enum StateAction {
  None = 0,
  Add = 1,
  Observe = 2,
  Delete = 3,
}

export class StateEvent {
  type: StateEventType = StateEventType.Other;
  action: StateAction = StateAction.None;
  /** eventTime, UTC milliseconds. */
  timeMs: i64 = 0;
  /** unmanaged! Address of the event's 32-byte SHA-256 digest; copied, the caller may reuse it. */
  hash: usize = 0;
  /** The event's ID as stored: the client eventID, else the `ni:///sha-256;...` hash ID. */
  eventId: string = '';
  bizStep: string | null = null;
  disposition: string | null = null;
  readPoint: string | null = null;
  bizLocation: string | null = null;
  /** epcList (ObjectEvent, TransactionEvent). */
  epcs: Array<string> = [];
  /** parentID (AggregationEvent, TransactionEvent, AssociationEvent). */
  parent: string | null = null;
  /** childEPCs (AggregationEvent, AssociationEvent). */
  children: Array<string> = [];
  inputs: Array<string> = [];
  outputs: Array<string> = [];
  /** Events declaring an earlier event erroneous repeat it and change no state. */
  isErrorDeclaration: bool = false;

  /** Clears every field for the next event, keeping the arrays' storage. */
  reset(): void {
    this.type = StateEventType.Other;
    this.action = StateAction.None;
    this.timeMs = 0;
    this.hash = 0;
    this.eventId = '';
    this.bizStep = null;
    this.disposition = null;
    this.readPoint = null;
    this.bizLocation = null;
    this.epcs.length = 0;
    this.parent = null;
    this.children.length = 0;
    this.inputs.length = 0;
    this.outputs.length = 0;
    this.isErrorDeclaration = false;
  }
}
