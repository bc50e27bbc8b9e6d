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

export async function rebuildState(
  core: TrackerCore,
  reader: EventReader,
  chunkSize = 2000,
): Promise<RebuildProgress> {
  const started = performance.now();
  let afterSeq = 0;
  let events = 0;
  for (;;) {
    const chunk = reader.rebuildChunk(afterSeq, chunkSize);
    if (chunk.length === 0) break;
    core.applyStored(chunk);
    afterSeq = chunk[chunk.length - 1]!.seq;
    events += chunk.length;
    await yieldToEventLoop();
  }
  return { events, durationMs: performance.now() - started };
}

/** Rebuilds without yielding: for a core instance that replaced a trapped one mid-request. */
export function rebuildStateNow(core: TrackerCore, reader: EventReader, chunkSize = 2000): number {
  let afterSeq = 0;
  let events = 0;
  for (;;) {
    const chunk = reader.rebuildChunk(afterSeq, chunkSize);
    if (chunk.length === 0) return events;
    core.applyStored(chunk);
    afterSeq = chunk[chunk.length - 1]!.seq;
    events += chunk.length;
  }
}
