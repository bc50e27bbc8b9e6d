// How the state index starts: from the newest usable snapshot, then the events stored after the
// store seq it covers; from the whole store when no snapshot passes. Every refused snapshot is
// logged and counted. The snapshot is loaded before the service listens (buildService), so no
// capture can be pending in the core when the restore replaces its index; the replay after it
// yields like the full one (rebuild-state.ts).
import type { Logger } from 'pino';
import type { TrackerCore } from '../core/gateway.js';
import type { SnapshotPlace, SnapshotPosition } from '../journal/snapshot-files.js';
import { rebuildState, rebuildStateNow, type RebuildProgress } from '../state/rebuild-state.js';
import type { EventReader } from '../store/event-reader.js';
import type { StartUpReads } from '../store/start-up-reads.js';
import { type RefusalReason, startFromSnapshot } from './snapshot-start.js';

export interface StateStartDeps {
  core: TrackerCore;
  reader: EventReader;
  reads: StartUpReads;
  place: SnapshotPlace;
  /** The Node service's own folder: refused files are deleted (snapshot-start.ts says when not). */
  deleteRefused: boolean;
  logger: Logger;
  onRefused: (reason: RefusalReason) => void;
}

export interface LoadedSnapshot {
  /** What the index holds; null when it starts empty. */
  position: SnapshotPosition | null;
  ms: number;
}

export interface StateStart extends RebuildProgress {
  /** The snapshot the index started from, null for a replay of the whole store. */
  snapshot: SnapshotPosition | null;
  snapshotMs: number;
}

/** Loads the newest usable snapshot into the (empty) index, logging and counting every refusal. */
export function loadSnapshot(deps: StateStartDeps): LoadedSnapshot {
  const { logger } = deps;
  const start = startFromSnapshot(deps.core, deps.reads, deps.place, { deleteRefused: deps.deleteRefused });
  for (const refusal of start.refused) {
    deps.onRefused(refusal.reason);
    logger.warn(
      { file: refusal.name, reason: refusal.reason, detail: refusal.detail, deleted: deps.deleteRefused },
      'state snapshot discarded: the state index starts from an older snapshot or the whole store instead',
    );
  }
  if (start.position !== null) {
    logger.info(
      { file: start.name, ...start.position, ms: Math.round(start.ms) },
      'state index loaded from a snapshot',
    );
  }
  return { position: start.position, ms: start.ms };
}

/** The replay that follows loadSnapshot(): every event stored after what the index holds. */
export async function replayAfter(deps: StateStartDeps, loaded: LoadedSnapshot): Promise<StateStart> {
  const progress = await rebuildState(deps.core, deps.reader, replayOptions(deps, loaded));
  return { ...progress, snapshot: loaded.position, snapshotMs: loaded.ms };
}

/** Both at once, without yielding: for a core instance that replaced a trapped one mid-request. */
export function startStateNow(deps: StateStartDeps): StateStart {
  const started = performance.now();
  const loaded = loadSnapshot(deps);
  const events = rebuildStateNow(deps.core, deps.reader, replayOptions(deps, loaded));
  return {
    events,
    durationMs: performance.now() - started,
    snapshot: loaded.position,
    snapshotMs: loaded.ms,
  };
}

function replayOptions(deps: StateStartDeps, loaded: LoadedSnapshot) {
  return { afterSeq: loaded.position?.storeSeq ?? 0, maxSeq: deps.reads.maxSeq() };
}
