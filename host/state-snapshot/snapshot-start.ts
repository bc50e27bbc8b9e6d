// The start of the state index from the newest usable snapshot: each candidate, newest first, is
// restored into the core (which checks its layout, sizes and, through the host, its CRC) and then
// checked against this service: written by this very tracker.wasm build, covering a store seq
// this store holds, of this same store. The first that passes is kept; a refused one leaves the
// index empty. Synchronous: it runs before /ready, or inside a trap's recovery.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../core/errors.js';
import type { TrackerCore } from '../core/gateway.js';
import type { SnapshotPlace, SnapshotPosition } from '../journal/snapshot-files.js';
import type { StartUpReads } from '../store/start-up-reads.js';
import { tagMismatch } from './host-tag.js';

/** Why a snapshot was not used (the label of edgetrace_state_snapshots_refused_total). */
export type RefusalReason =
  'unreadable' | 'checksum' | 'version' | 'invalid' | 'build' | 'store' | 'ahead' | 'no-store-seq';

export interface SnapshotRefusal {
  name: string;
  reason: RefusalReason;
  detail: string;
}

export interface SnapshotStart {
  /** What the index holds now; null when no snapshot passed (the index is empty). */
  position: SnapshotPosition | null;
  name: string | null;
  refused: SnapshotRefusal[];
  ms: number;
}

export interface SnapshotStartOptions {
  /**
   * Delete what is refused (the Node service's own folder). Never in the sidecar's folder: the
   * server picks its journal segments to delete by the snapshots present there.
   */
  deleteRefused: boolean;
}

export function startFromSnapshot(
  core: TrackerCore,
  reads: StartUpReads,
  place: SnapshotPlace,
  options: SnapshotStartOptions,
): SnapshotStart {
  const started = performance.now();
  const refused: SnapshotRefusal[] = [];
  for (const name of place.list()) {
    const outcome = tryOne(core, reads, join(place.dir, name));
    if ('position' in outcome)
      return { position: outcome.position, name, refused, ms: performance.now() - started };
    refused.push({ name, ...outcome });
    if (options.deleteRefused) rmSync(join(place.dir, name), { force: true });
  }
  return { position: null, name: null, refused, ms: performance.now() - started };
}

type Outcome = { position: SnapshotPosition } | { reason: RefusalReason; detail: string };

function tryOne(core: TrackerCore, reads: StartUpReads, path: string): Outcome {
  let restored;
  try {
    restored = core.restoreSnapshotFile(path);
  } catch (error) {
    if (!(error instanceof CoreError) && !isFileError(error)) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    return { reason: classify(error, detail), detail };
  }
  const { journalSeq, inboundSeq, storeSeq, hostTag } = restored;
  const refuse = (reason: RefusalReason, detail: string): Outcome => {
    core.resetState();
    core.resetSnapshotKeys();
    return { reason, detail };
  };
  if (storeSeq === 0) return refuse('no-store-seq', 'it covers no store position (written without a store)');
  const maxSeq = reads.maxSeq();
  if (storeSeq > maxSeq)
    return refuse('ahead', `it covers store seq ${storeSeq}, the store ends at seq ${maxSeq}`);
  const identity = reads.identity(storeSeq);
  if (identity === null) return refuse('store', `the store holds no event at seq ${storeSeq}`);
  const mismatch = tagMismatch(hostTag, identity, core.buildId);
  if (mismatch === 'build') return refuse('build', 'it was written by another tracker.wasm build');
  if (mismatch === 'store') return refuse('store', 'it was written from another store (replaced?)');
  return { position: { journalSeq, inboundSeq, storeSeq } };
}

function classify(error: unknown, detail: string): RefusalReason {
  if (!(error instanceof CoreError)) return 'unreadable';
  if (/checksum/.test(detail)) return 'checksum';
  if (/layout version|magic/.test(detail)) return 'version';
  return 'invalid';
}

function isFileError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
