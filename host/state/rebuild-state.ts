// Rebuilds the core's state index from SQLite at start (and after a trap). It replays in chunks and
// yields between them so /health keeps answering; captures may run meanwhile, which is safe because
// the state is a function of the set of events, whatever order they are applied in.
import type { TrackerCore } from '../core/gateway.js';
import type { EventReader } from '../store/event-reader.js';

export interface RebuildProgress {
  events: number;
  durationMs: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where a replay is: the last seq applied and how many events so far. */
interface ReplayCursor {
  afterSeq: number;
  events: number;
}

/** Applies the next chunk of stored events; false once the store has no more. */
function applyNextChunk(
  core: TrackerCore,
  reader: EventReader,
  cursor: ReplayCursor,
  chunkSize: number,
): boolean {
  const chunk = reader.rebuildChunk(cursor.afterSeq, chunkSize);
  if (chunk.length === 0) return false;
  core.applyStored(chunk);
  cursor.afterSeq = chunk[chunk.length - 1]!.seq;
  cursor.events += chunk.length;
  return true;
}

export async function rebuildState(
  core: TrackerCore,
  reader: EventReader,
  chunkSize = 2000,
): Promise<RebuildProgress> {
  const started = performance.now();
  const cursor = { afterSeq: 0, events: 0 };
  while (applyNextChunk(core, reader, cursor, chunkSize)) await yieldToEventLoop();
  return { events: cursor.events, durationMs: performance.now() - started };
}

/** Rebuilds without yielding: for a core instance that replaced a trapped one mid-request. */
export function rebuildStateNow(core: TrackerCore, reader: EventReader, chunkSize = 2000): number {
  const cursor = { afterSeq: 0, events: 0 };
  while (applyNextChunk(core, reader, cursor, chunkSize));
  return cursor.events;
}
