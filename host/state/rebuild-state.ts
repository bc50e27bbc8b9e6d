// Rebuilds the core's state index from SQLite at start (and after a trap), from scratch or after
// the store seq a snapshot covers. It replays in chunks and yields between them so /health keeps
// answering; captures may run meanwhile, which is safe because the state is a function of the set
// of events, whatever order they are applied in.
import type { TrackerCore } from '../core/gateway.js';
import type { EventReader } from '../store/event-reader.js';

export interface RebuildProgress {
  events: number;
  durationMs: number;
}

export interface ReplayOptions {
  /** Replay the events after this seq (0: all of them, into an empty index). */
  afterSeq?: number;
  /** The store's highest seq: with afterSeq 0, the index is sized for this many events. */
  maxSeq?: number;
  chunkSize?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const DEFAULT_CHUNK = 2000;
/**
 * Events replayed before the index is sized: their EPCs per event, times the events to come, is
 * the EPC count StateIndex.reserve() is given. Sizing once keeps Wasm memory close to what the
 * index holds; growing by doublings leaves up to half of it unused, for good (Wasm memory does not
 * shrink).
 */
const SAMPLE_EVENTS = 20_000;
/** Head-room on the extrapolated EPC count: a little unused memory is cheaper than one more doubling. */
const EPC_HEADROOM = 1.05;

/** Where a replay is: the last seq applied and how many events so far. */
class Replay {
  afterSeq: number;
  events = 0;
  private sized: boolean;

  constructor(
    private readonly core: TrackerCore,
    private readonly reader: EventReader,
    private readonly options: ReplayOptions,
  ) {
    this.afterSeq = options.afterSeq ?? 0;
    // Only a replay from scratch knows its size; a snapshot's tail is small next to what it holds.
    this.sized = this.afterSeq !== 0 || (options.maxSeq ?? 0) < SAMPLE_EVENTS * 2;
  }

  /** Applies the next chunk of stored events; false once the store has no more. */
  next(): boolean {
    const chunk = this.reader.rebuildChunk(this.afterSeq, this.options.chunkSize ?? DEFAULT_CHUNK);
    if (chunk.length === 0) return false;
    this.core.applyStored(chunk);
    this.afterSeq = chunk[chunk.length - 1]!.seq;
    this.events += chunk.length;
    if (!this.sized && this.events >= SAMPLE_EVENTS) this.size();
    return true;
  }

  private size(): void {
    this.sized = true;
    const total = this.options.maxSeq ?? 0;
    const { epcs, events } = this.core.stats();
    if (events === 0) return;
    this.core.reserveState(Math.ceil(((epcs * total) / this.events) * EPC_HEADROOM), total);
  }
}

export async function rebuildState(
  core: TrackerCore,
  reader: EventReader,
  options: ReplayOptions = {},
): Promise<RebuildProgress> {
  const started = performance.now();
  const replay = new Replay(core, reader, options);
  while (replay.next()) await yieldToEventLoop();
  return { events: replay.events, durationMs: performance.now() - started };
}

/** Rebuilds without yielding: for a core instance that replaced a trapped one mid-request. */
export function rebuildStateNow(core: TrackerCore, reader: EventReader, options: ReplayOptions = {}): number {
  const replay = new Replay(core, reader, options);
  while (replay.next());
  return replay.events;
}
