// Reads a record's "state" entry (the abi/apply-events.ts layout, written by
// capture/journal-record.ts and host/journal/inbound-record.ts) straight from its bytes into a
// StateEvent:
//   [type, action, eventTimeMs, hashId, eventId, bizStep, disposition, readPoint, bizLocation,
//    isDeclaration, [[identifier, role], …]]
// Measured (/tmp/replay, 100,000 records, LLVM-free WasmEdge): the core's parser built a value tree
// of about 2 KB per entry that nothing collects before the port opens; it cost 1.0 of the 2.2 s of
// CPU and 218 of the 262 MB of linear memory. Here only the strings the index keeps are allocated.
// Writers emit integers for times; anything else is reported as malformed.
import { actionOf, addEpc, typeOf } from '../../capture/apply-to-state';
import { EPC_ROLE_NAMES } from '../../capture/normalised-event';
import { StateEvent } from '../../state/state-event';
import {
  begin,
  fail,
  failedRead,
  readDigest,
  readInteger,
  readNullableString,
  readString,
  readWhole,
  take,
  takeIf,
  takeWord,
} from './json-byte-cursor';

const DIGEST = memory.data(32);

function readEpcs(event: StateEvent): void {
  take(0x5b);
  if (takeIf(0x5d)) return;
  while (!failedRead()) {
    take(0x5b);
    const id = readString();
    take(0x2c);
    const code = EPC_ROLE_NAMES.indexOf(readString());
    take(0x5d);
    if (code < 0) fail();
    if (failedRead()) return;
    addEpc(event, id, code);
    if (takeIf(0x5d)) return;
    take(0x2c);
  }
}

/** Fills `event` from the state entry of `length` bytes at `ptr`; false when it is malformed. */
export function readStateEntry(ptr: usize, length: i32, event: StateEvent): bool {
  begin(ptr, length);
  event.reset();
  take(0x5b);
  event.type = typeOf(readString());
  take(0x2c);
  event.action = actionOf(readNullableString());
  take(0x2c);
  event.timeMs = readInteger(false);
  take(0x2c);
  readDigest(DIGEST);
  event.hash = DIGEST;
  take(0x2c);
  event.eventId = readString();
  take(0x2c);
  event.bizStep = readNullableString();
  take(0x2c);
  event.disposition = readNullableString();
  take(0x2c);
  event.readPoint = readNullableString();
  take(0x2c);
  event.bizLocation = readNullableString();
  take(0x2c);
  if (takeWord('true')) event.isErrorDeclaration = true;
  else if (!takeWord('false')) fail();
  take(0x2c);
  if (!failedRead()) readEpcs(event);
  take(0x5d);
  return readWhole();
}

/** The value readDeclarationTime found. */
export let declarationTimeMs: i64 = 0;

/**
 * Reads a record's "declarationTimeMs" (`length` bytes at `ptr`): 1 for an integer (in
 * declarationTimeMs), 0 for null (not an error declaration), -1 when it is neither.
 */
export function readDeclarationTime(ptr: usize, length: i32): i32 {
  begin(ptr, length);
  const isNull = takeWord('null');
  declarationTimeMs = isNull ? 0 : readInteger(false);
  if (!readWhole()) return -1;
  return isNull ? 0 : 1;
}
