// Read-only questions to the state index, answered as compact JSON in the output buffer.
import { canonicalIdentifier } from '../identifiers/canonical';
import { Utf8Writer } from '../json/utf8-writer';
import { EpcState } from '../state/epc-state';
import { StateIndex } from '../state/state-index';
import { Status } from './status';

const stateResult = new EpcState();
const children = new Array<string>();

function nullable(w: Utf8Writer, name: string, s: string | null): void {
  w.ascii(',"');
  w.ascii(name);
  w.ascii('":');
  if (s === null) w.ascii('null');
  else w.jsonString(s);
}

export function writeState(index: StateIndex, epc: string, w: Utf8Writer): Status {
  const id = canonicalIdentifier(epc).value;
  w.reset();
  if (!index.lookup(id, stateResult)) return Status.NotFound;
  const s = stateResult;
  w.ascii('{"epc":');
  w.jsonString(id);
  nullable(w, 'bizLocation', s.bizLocation);
  nullable(w, 'readPoint', s.readPoint);
  nullable(w, 'disposition', s.disposition);
  nullable(w, 'lastEventId', s.lastEventId);
  w.ascii(',"lastEventTimeMs":');
  w.int(s.lastEventTimeMs);
  nullable(w, 'lastBizStep', s.lastBizStep);
  nullable(w, 'parent', s.parent);
  w.ascii(',"parentSinceMs":');
  w.int(s.parentSinceMs);
  nullable(w, 'associatedWith', s.associatedWith);
  w.ascii(',"childCount":');
  w.int(s.childCount);
  w.ascii(',"decommissioned":');
  w.ascii(s.decommissioned ? 'true' : 'false');
  nullable(w, 'decommissionedByEventId', s.decommissionedByEventId);
  nullable(w, 'commissionedByEventId', s.commissionedByEventId);
  nullable(w, 'consumedByEventId', s.consumedByEventId);
  nullable(w, 'producedByEventId', s.producedByEventId);
  nullable(w, 'locationBizLocation', s.locationBizLocation);
  nullable(w, 'locationReadPoint', s.locationReadPoint);
  nullable(w, 'locationVia', s.locationVia);
  w.ascii(',"inTransit":');
  w.ascii(s.inTransit ? 'true' : 'false');
  w.ascii(',"transitSinceMs":');
  w.int(s.transitSinceMs);
  nullable(w, 'transitFromBizLocation', s.transitFromBizLocation);
  nullable(w, 'transitFromReadPoint', s.transitFromReadPoint);
  nullable(w, 'transitVia', s.transitVia);
  nullable(w, 'parentBizLocation', s.parentBizLocation);
  nullable(w, 'parentReadPoint', s.parentReadPoint);
  w.byte(0x7d);
  return Status.Ok;
}

const stateList = new Utf8Writer(1 << 12);
const valueIds = new Map<string, i32>();
const values = new Array<string>();

function valueId(s: string | null): i32 {
  if (s === null) return -1;
  if (valueIds.has(s)) return valueIds.get(s);
  const id = values.length;
  values.push(s);
  valueIds.set(s, id);
  return id;
}

/**
 * Batch lookup for genealogy answers (thousands of EPCs per request, one boundary crossing):
 * `epcs` holds canonical identifiers separated by "\n". Writes
 * {"values":[…],"states":[[bizLocation,readPoint,disposition,decommissioned 0|1] | null, …]}
 * where the first three are indexes into `values` (-1 for null) and the location is the effective
 * one; the strings repeat a lot, so each is written once. An EPC in transit gets four more entries,
 * [… ,transitSinceMs,fromBizLocation,fromReadPoint,via] (the last three indexes into `values`):
 * a recall planner must tell "on its way from X" from "location unknown", and deriving it here
 * costs no per-EPC memory.
 */
export function writeStates(index: StateIndex, epcs: string, w: Utf8Writer): Status {
  w.reset();
  valueIds.clear();
  values.length = 0;
  const ids = epcs.length == 0 ? new Array<string>() : epcs.split('\n');
  const states = stateList;
  states.reset();
  states.byte(0x5b);
  for (let i = 0, n = ids.length; i < n; i++) {
    if (i > 0) states.byte(0x2c);
    if (!index.brief(unchecked(ids[i]), stateResult)) {
      states.ascii('null');
      continue;
    }
    states.byte(0x5b);
    states.int(valueId(stateResult.locationBizLocation));
    states.byte(0x2c);
    states.int(valueId(stateResult.locationReadPoint));
    states.byte(0x2c);
    states.int(valueId(stateResult.disposition));
    states.ascii(stateResult.decommissioned ? ',1' : ',0');
    if (stateResult.inTransit) {
      states.byte(0x2c);
      states.int(stateResult.transitSinceMs);
      states.byte(0x2c);
      states.int(valueId(stateResult.transitFromBizLocation));
      states.byte(0x2c);
      states.int(valueId(stateResult.transitFromReadPoint));
      states.byte(0x2c);
      states.int(valueId(stateResult.transitVia));
    }
    states.byte(0x5d);
  }
  states.byte(0x5d);
  w.ascii('{"values":[');
  for (let i = 0, n = values.length; i < n; i++) {
    if (i > 0) w.byte(0x2c);
    w.jsonString(unchecked(values[i]));
  }
  w.ascii('],"states":');
  w.raw(states.ptr, states.length);
  w.byte(0x7d);
  valueIds.clear();
  values.length = 0;
  return Status.Ok;
}

/** Writes the containment tree below one container for GET /epcs/{epc}/contents (abi/state-answer.ts writeContentsAnswer). */
export class TreeWriter {
  total: i32 = 0;
  truncated: bool = false;

  constructor(
    private index: StateIndex,
    private w: Utf8Writer,
    private root: string,
    private limit: i32,
  ) {}

  /**
   * Writes the children inside `container` (sorted), each with its childCount and, while `levels`
   * allows, its own children, depth first. Each EPC is inside at most one container, so the only
   * cycle a walk down can meet leads back to the root, which is skipped. Stops at `limit` nodes.
   */
  children(container: string, levels: i32): void {
    const w = this.w;
    const kids = new Array<string>();
    const n = this.index.contents(container, kids);
    w.byte(0x5b);
    let written = 0;
    for (let i = 0; i < n; i++) {
      const kid = unchecked(kids[i]);
      if (kid == this.root) continue;
      if (this.total >= this.limit) {
        this.truncated = true;
        break;
      }
      this.total++;
      if (written++ > 0) w.byte(0x2c);
      w.ascii('{"epc":');
      w.jsonString(kid);
      w.ascii(',"childCount":');
      w.int(this.index.childCount(kid));
      w.ascii(',"children":');
      if (levels > 1) this.children(kid, levels - 1);
      else w.ascii('[]');
      w.byte(0x7d);
    }
    w.byte(0x5d);
  }
}

export function writeContents(index: StateIndex, container: string, w: Utf8Writer): Status {
  const id = canonicalIdentifier(container).value;
  w.reset();
  const count = index.contents(id, children);
  w.ascii('{"container":');
  w.jsonString(id);
  w.ascii(',"children":[');
  for (let i = 0; i < count; i++) {
    if (i > 0) w.byte(0x2c);
    w.jsonString(unchecked(children[i]));
  }
  w.ascii(']}');
  return Status.Ok;
}

export function writeCanonical(value: string, w: Utf8Writer): Status {
  const result = canonicalIdentifier(value);
  w.reset();
  w.ascii('{"status":');
  w.int(result.status);
  w.ascii(',"value":');
  w.jsonString(result.value);
  w.ascii(',"reason":');
  w.jsonString(result.reason);
  w.ascii(',"onlyCheckDigit":');
  w.ascii(result.onlyCheckDigit ? 'true' : 'false');
  w.ascii(',"primaryAi":');
  w.jsonString(result.primaryAi);
  w.byte(0x7d);
  return Status.Ok;
}

export function writeStats(index: StateIndex, w: Utf8Writer): Status {
  w.reset();
  w.ascii('{"epcs":');
  w.int(index.epcCount());
  w.ascii(',"events":');
  w.int(index.eventCount());
  w.ascii(',"indexBytes":');
  w.uint(<u64>index.memoryBytes());
  w.ascii(',"memoryBytes":');
  w.uint((<u64>memory.size()) << 16);
  w.byte(0x7d);
  return Status.Ok;
}
