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
  w.byte(0x7d);
  return Status.Ok;
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
