// Applies already-stored events to the state index without parsing or hashing them again: the
// host's start-up rebuild reads the normalised columns from SQLite and sends them here in chunks.
// Input: a JSON array of events, each
//   [type, action, eventTimeMs, hashId, eventId, bizStep, disposition, readPoint, bizLocation,
//    isDeclaration, [[identifier, role], …]]
// with the canonical values the capture result reported. A malformed entry is skipped and counted.
import { actionOf, addEpc, typeOf } from '../capture/apply-to-state';
import { EPC_ROLE_NAMES } from '../capture/normalised-event';
import { parseJson, ParseLimits } from '../json/parser';
import { JsonArray, JsonValue } from '../json/value';
import { StateEvent } from '../state/state-event';
import { StateIndex } from '../state/state-index';

const DIGEST = memory.data(32);
const stateEvent = new StateEvent();

function stringOrNull(v: JsonValue | null): string | null {
  return v === null ? null : v.asString();
}

function hexValue(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Reads the 32-byte digest out of `ni:///sha-256;<64 hex>?ver=…` into DIGEST. */
function readDigest(hashId: string): bool {
  const at = hashId.indexOf(';') + 1;
  if (at <= 0 || hashId.length < at + 64) return false;
  for (let i = 0; i < 32; i++) {
    const hi = hexValue(hashId.charCodeAt(at + 2 * i));
    const lo = hexValue(hashId.charCodeAt(at + 2 * i + 1));
    if (hi < 0 || lo < 0) return false;
    store<u8>(DIGEST + <usize>i, <u8>((hi << 4) | lo));
  }
  return true;
}

function fill(entry: JsonArray): bool {
  if (entry.length != 11) return false;
  const items = entry.items;
  const type = unchecked(items[0]).asString();
  const time = unchecked(items[2]).asNumber();
  const hashId = unchecked(items[3]).asString();
  const eventId = unchecked(items[4]).asString();
  const epcs = unchecked(items[10]).asArray();
  if (type === null || time === null || hashId === null || eventId === null || epcs === null) return false;
  if (!readDigest(hashId)) return false;
  stateEvent.reset();
  stateEvent.type = typeOf(type);
  stateEvent.action = actionOf(stringOrNull(unchecked(items[1])));
  stateEvent.timeMs = <i64>time.value;
  stateEvent.hash = DIGEST;
  stateEvent.eventId = eventId;
  stateEvent.bizStep = stringOrNull(unchecked(items[5]));
  stateEvent.disposition = stringOrNull(unchecked(items[6]));
  stateEvent.readPoint = stringOrNull(unchecked(items[7]));
  stateEvent.bizLocation = stringOrNull(unchecked(items[8]));
  stateEvent.isErrorDeclaration = unchecked(items[9]).isBool() && unchecked(items[9]).kind == 2;
  for (let i = 0, n = epcs.length; i < n; i++) {
    const pair = unchecked(epcs.items[i]).asArray();
    if (pair === null || pair.length != 2) return false;
    const id = unchecked(pair.items[0]).asString();
    const role = unchecked(pair.items[1]).asString();
    if (id === null || role === null) return false;
    const code = EPC_ROLE_NAMES.indexOf(role);
    if (code < 0) return false;
    addEpc(stateEvent, id, code);
  }
  return true;
}

/** Applies every well-formed entry; returns how many entries were malformed (-1: not a JSON array). */
export function applyStoredEvents(ptr: usize, len: i32, index: StateIndex): i32 {
  const limits = new ParseLimits();
  const parsed = parseJson(ptr, len, limits);
  const root = parsed.value;
  if (root === null) return -1;
  const list = root.asArray();
  if (list === null) return -1;
  let malformed = 0;
  for (let i = 0, n = list.length; i < n; i++) {
    const entry = unchecked(list.items[i]).asArray();
    if (entry !== null && fill(entry)) index.apply(stateEvent);
    else malformed++;
  }
  return malformed;
}

/** Applies one entry of the layout above (the server's journal replay); false when malformed. */
export function applyStoredEntry(entry: JsonArray, index: StateIndex): bool {
  if (!fill(entry)) return false;
  index.apply(stateEvent);
  return true;
}
