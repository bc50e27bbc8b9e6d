// The final JSON of GET /epcs/{epc}/state and GET /epcs/{epc}/contents, written by the core so the
// host sends the bytes as they are. Before, the core wrote its own field names, the host parsed
// them, reshaped them (host/tracking/state-view.ts) and fastify serialised the result again: at
// 1M EPCs that round trip took about a third of the service's CPU per state answer (bench:tracking
// profile, issue 12). Key order and number/time forms are the contract's (tracking-schemas.ts):
// byte for byte what the schema serialiser wrote.
import { canonicalIdentifier } from '../identifiers/canonical';
import { Utf8Writer } from '../json/utf8-writer';
import { EpcState } from '../state/epc-state';
import { StateIndex } from '../state/state-index';
import { writeIsoTime } from './iso-time';
import { TreeWriter } from './lookups';
import { Status } from './status';

const state = new EpcState();
const children = new Utf8Writer(4096);

function nullable(w: Utf8Writer, s: string | null): void {
  if (s === null) w.ascii('null');
  else w.jsonString(s);
}

function time(w: Utf8Writer, ms: i64): void {
  w.byte(0x22);
  writeIsoTime(w, ms);
  w.byte(0x22);
}

/**
 * The state answer of `epc` (any spelling the core canonicalises) in `index`: NotFound when the
 * index has never seen it. `asOfMs` is written as `asOf` when `withAsOf`, else `asOf` is null.
 */
export function writeStateAnswer(
  index: StateIndex,
  epc: string,
  withAsOf: bool,
  asOfMs: i64,
  w: Utf8Writer,
): Status {
  const id = canonicalIdentifier(epc).value;
  w.reset();
  if (!index.lookup(id, state)) return Status.NotFound;
  writeStateView(w, id, state, withAsOf, asOfMs);
  return Status.Ok;
}

/** The members of the state answer (host/tracking/state-view.ts StateView), in the schema's order. */
export function writeStateView(w: Utf8Writer, id: string, s: EpcState, withAsOf: bool, asOfMs: i64): void {
  w.ascii('{"epc":');
  w.jsonString(id);
  w.ascii(',"asOf":');
  if (withAsOf) time(w, asOfMs);
  else w.ascii('null');
  w.ascii(',"bizLocation":');
  nullable(w, s.bizLocation);
  w.ascii(',"readPoint":');
  nullable(w, s.readPoint);
  w.ascii(',"disposition":');
  nullable(w, s.disposition);
  w.ascii(',"lastEvent":');
  const lastEventId = s.lastEventId;
  if (lastEventId === null) {
    w.ascii('null');
  } else {
    w.ascii('{"eventID":');
    w.jsonString(lastEventId);
    w.ascii(',"eventTime":');
    time(w, s.lastEventTimeMs);
    w.ascii(',"bizStep":');
    nullable(w, s.lastBizStep);
    w.byte(0x7d);
  }
  w.ascii(',"parent":');
  const parent = s.parent;
  if (parent === null) {
    w.ascii('null');
  } else {
    w.ascii('{"epc":');
    w.jsonString(parent);
    w.ascii(',"since":');
    time(w, s.parentSinceMs);
    w.ascii(',"bizLocation":');
    nullable(w, s.parentBizLocation);
    w.ascii(',"readPoint":');
    nullable(w, s.parentReadPoint);
    w.byte(0x7d);
  }
  w.ascii(',"location":{"bizLocation":');
  nullable(w, s.locationBizLocation);
  w.ascii(',"readPoint":');
  nullable(w, s.locationReadPoint);
  w.ascii(s.locationVia === null ? ',"source":"self","via":' : ',"source":"container","via":');
  nullable(w, s.locationVia);
  w.ascii('},"inTransit":');
  if (!s.inTransit) {
    w.ascii('null');
  } else {
    w.ascii('{"since":');
    time(w, s.transitSinceMs);
    w.ascii(',"from":{"bizLocation":');
    nullable(w, s.transitFromBizLocation);
    w.ascii(',"readPoint":');
    nullable(w, s.transitFromReadPoint);
    w.ascii('},"via":');
    nullable(w, s.transitVia);
    w.byte(0x7d);
  }
  w.ascii(',"associatedWith":');
  nullable(w, s.associatedWith);
  w.ascii(',"childCount":');
  w.int(s.childCount);
  w.ascii(s.decommissioned ? ',"decommissioned":true' : ',"decommissioned":false');
  w.ascii(',"commissionedBy":');
  nullable(w, s.commissionedByEventId);
  w.ascii(',"decommissionedBy":');
  nullable(w, s.decommissionedByEventId);
  w.ascii(',"transformed":{"consumedBy":');
  nullable(w, s.consumedByEventId);
  w.ascii(',"producedBy":');
  nullable(w, s.producedByEventId);
  w.ascii('}}');
}

/**
 * The contents answer: {"container","depth","total","truncated","children":[{"epc","childCount",
 * "children"}…]}, `depth` levels below the container, at most `limit` nodes. NotFound when the index
 * has never seen the container.
 */
export function writeContentsAnswer(
  index: StateIndex,
  container: string,
  depth: i32,
  limit: i32,
  w: Utf8Writer,
): Status {
  if (depth < 1 || limit < 0) return Status.BadArgument;
  const id = canonicalIdentifier(container).value;
  w.reset();
  if (!index.knows(id)) return Status.NotFound;
  // The counts come first in the answer but are known only after the walk: children go to their
  // own buffer and are copied behind them.
  children.reset();
  const tree = new TreeWriter(index, children, id, limit);
  tree.children(id, depth);
  w.ascii('{"container":');
  w.jsonString(id);
  w.ascii(',"depth":');
  w.int(depth);
  w.ascii(',"total":');
  w.int(tree.total);
  w.ascii(tree.truncated ? ',"truncated":true,"children":' : ',"truncated":false,"children":');
  w.raw(children.ptr, children.length);
  w.byte(0x7d);
  return Status.Ok;
}
