// A state snapshot for tracker-server.wasm made without a sidecar: the documents captured into an
// in-process core, their duplicate keys added, the index written to DATA_DIR/snapshot/ exactly as the
// sidecar's writer does (host/journal/snapshot-files.ts). For cold starts "from a snapshot of N
// EPCs" without storing N EPCs in SQLite first.
import { TrackerCore } from '../../host/core/gateway.js';
import { type SnapshotSeqs, writeSnapshotFile } from '../../host/journal/snapshot-files.js';

const KEYS_PER_CALL = 10_000;

export interface StateSnapshotFile {
  path: string;
  bytes: number;
  epcs: number;
  events: number;
  /** The synchronous copy of the index out of the core (the sidecar's one long step). */
  copyMs: number;
  /** Writing the copy to the file, fsync and rename included. */
  writeMs: number;
}

export async function writeStateSnapshot(
  snapshotDir: string,
  documents: Iterable<Uint8Array>,
  seqs: SnapshotSeqs,
): Promise<StateSnapshotFile> {
  const core = await TrackerCore.load();
  core.resetSnapshotKeys();
  let keys: string[] = [];
  for (const document of documents) {
    const result = core.capture(document);
    for (const event of result.events) {
      if (!event.accepted) continue;
      const id = event.eventId ?? event.hashId;
      keys.push(event.errorDeclaration === null ? id : `${id}\n${event.errorDeclaration.declarationTimeMs}`);
    }
    if (keys.length >= KEYS_PER_CALL) {
      core.addSnapshotKeys(keys);
      keys = [];
    }
  }
  core.addSnapshotKeys(keys);
  const { epcs, events } = core.stats();
  const copyStarted = performance.now();
  const parts = core.writeSnapshot(seqs.journalSeq, seqs.inboundSeq);
  const copyMs = performance.now() - copyStarted;
  const writeStarted = performance.now();
  const file = await writeSnapshotFile(snapshotDir, seqs, parts);
  return { ...file, epcs, events, copyMs, writeMs: performance.now() - writeStarted };
}
