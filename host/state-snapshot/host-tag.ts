// The 64-byte host tag a state snapshot's header carries for the Node host (assembly/state/
// snapshot-format.ts; opaque to the core, covered by the CRC): the store mark, the SHA-256 of the
// store's identity up to the snapshot's store seq (host/store/start-up-reads.ts), then the build ID
// of the tracker.wasm that wrote it (host/core/core-build-id.ts). A snapshot is used only by the
// same build on the same store.
import { createHash } from 'node:crypto';
import type { StoreIdentity } from '../store/start-up-reads.js';

export const HOST_TAG_BYTES = 64;
const MARK_BYTES = 32;

export function storeMark(identity: StoreIdentity): Uint8Array {
  const hash = createHash('sha256').update('edgetrace store mark 1\n');
  for (const row of [identity.first, identity.at]) {
    hash.update(`${row.seq}\n${row.event_id}\n${row.hash_id}\n${row.declaration_time_ms ?? ''}\n`);
  }
  return new Uint8Array(hash.digest());
}

export function hostTag(identity: StoreIdentity, buildId: Uint8Array): Uint8Array {
  const tag = new Uint8Array(HOST_TAG_BYTES);
  tag.set(storeMark(identity), 0);
  tag.set(buildId.subarray(0, HOST_TAG_BYTES - MARK_BYTES), MARK_BYTES);
  return tag;
}

/** Why a tag does not belong to this build and store, or null when it does. */
export function tagMismatch(
  tag: Uint8Array,
  identity: StoreIdentity,
  buildId: Uint8Array,
): 'build' | 'store' | null {
  if (!equalBytes(tag.subarray(MARK_BYTES), buildId.subarray(0, HOST_TAG_BYTES - MARK_BYTES))) return 'build';
  if (!equalBytes(tag.subarray(0, MARK_BYTES), storeMark(identity))) return 'store';
  return null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
