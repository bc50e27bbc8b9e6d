// Applies a prepared batch's accepted events to the state index. The host calls this only after
// the events are durable in SQLite, so the index never holds what the store does not.
import { StateAction, StateEvent, StateEventType } from '../state/state-event';
import { StateIndex } from '../state/state-index';
import { EpcRole, NormalisedEvent } from './normalised-event';
import { PreparedBatch } from './prepare-document';

export function typeOf(type: string): StateEventType {
  if (type == 'ObjectEvent') return StateEventType.Object;
  if (type == 'AggregationEvent') return StateEventType.Aggregation;
  if (type == 'TransactionEvent') return StateEventType.Transaction;
  if (type == 'TransformationEvent') return StateEventType.Transformation;
  if (type == 'AssociationEvent') return StateEventType.Association;
  return StateEventType.Other;
}

export function actionOf(action: string | null): StateAction {
  if (action === null) return StateAction.None;
  if (action == 'ADD') return StateAction.Add;
  if (action == 'OBSERVE') return StateAction.Observe;
  if (action == 'DELETE') return StateAction.Delete;
  return StateAction.None;
}

function fill(target: StateEvent, e: NormalisedEvent, digest: usize): void {
  target.reset();
  target.type = typeOf(e.type);
  target.action = actionOf(e.action);
  target.timeMs = e.eventTimeMs;
  target.hash = digest;
  const eventId = e.eventId;
  target.eventId = eventId !== null ? eventId : e.hashId;
  target.bizStep = e.bizStep;
  target.disposition = e.disposition;
  target.readPoint = e.readPoint;
  target.bizLocation = e.bizLocation;
  target.isErrorDeclaration = e.errorDeclaration !== null;
  const epcs = e.epcs;
  for (let i = 0, n = epcs.length; i < n; i++) {
    const key = unchecked(epcs[i]);
    addEpc(target, key.id, key.role);
  }
}

/** Puts an identifier where the state index expects it for its role; class-level roles are not tracked. */
export function addEpc(target: StateEvent, id: string, role: EpcRole): void {
  switch (role) {
    case EpcRole.EpcList:
      target.epcs.push(id);
      break;
    case EpcRole.ParentId:
      target.parent = id;
      break;
    case EpcRole.ChildEpcs:
      target.children.push(id);
      break;
    case EpcRole.InputEpcList:
      target.inputs.push(id);
      break;
    case EpcRole.OutputEpcList:
      target.outputs.push(id);
      break;
    default:
      break;
  }
}

const scratchEvent = new StateEvent();

export function applyToState(batch: PreparedBatch, index: StateIndex): void {
  const accepted = batch.accepted;
  const digests = batch.digests.ptr;
  for (let i = 0, n = accepted.length; i < n; i++) {
    fill(scratchEvent, unchecked(accepted[i]), digests + <usize>i * 32);
    index.apply(scratchEvent);
  }
}
