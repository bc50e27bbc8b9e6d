// Which build of tracker.wasm this is: the SHA-256 of its bytes. A state snapshot is the index's
// memory as one build laid it out and filled it by its rules, so the Node host trusts a snapshot
// only from the very build that wrote it (host/state-snapshot/host-tag.ts); any other build
// replays the store instead, once, and writes its own.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const ids = new Map<string, Promise<Uint8Array>>();

/** The build ID of the tracker.wasm at `path` (read once per process and path). */
export function coreBuildId(path: string): Promise<Uint8Array> {
  let id = ids.get(path);
  if (id === undefined) {
    id = readFile(path).then((bytes) => new Uint8Array(createHash('sha256').update(bytes).digest()));
    ids.set(path, id);
  }
  return id;
}
