// Checkpoints the WAL on a thread of its own, so that no commit pays for one: the request
// connections are opened with a high wal_autocheckpoint (WAL_BACKSTOP_PAGES) and checkpoint only
// if this falls behind. Commits call notifyCommitted(); at most one PASSIVE checkpoint runs per
// interval, so a burst of small commits costs one checkpoint, and a page written by many of them
// is copied into the database once. Durability does not depend on it: a commit is durable in the
// WAL (per the configured synchronous) before it is acknowledged, checkpointed or not.
import { Worker } from 'node:worker_threads';
import type { CheckpointReply, CheckpointerSetup } from './checkpoint-protocol.js';

export interface WalCheckpointerOptions extends CheckpointerSetup {
  /** Shortest time between two checkpoints. */
  intervalMs: number;
  /** A checkpoint failed (an I/O error); the next commit tries again. */
  onError: (message: string) => void;
}

/**
 * At the fastest capture rate measured (1000-event documents) ~7 KiB of WAL per event, so 100 ms
 * holds a few MiB: well below WAL_BACKSTOP_PAGES, and few enough checkpoints (each syncs the
 * database file) not to compete with the commits' own syncs.
 */
export const WAL_CHECKPOINT_INTERVAL_MS = 100;

// Compiled next to this file (dist/host/store/).
const SCRIPT = new URL('./checkpoint-worker.js', import.meta.url);

export class WalCheckpointer {
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** A commit happened since the running checkpoint started. */
  private dirty = false;
  private closed = false;
  private idle: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: WalCheckpointerOptions) {}

  notifyCommitted(): void {
    if (this.closed) return;
    this.dirty = true;
    if (!this.running) this.schedule();
  }

  /** Waits for a running checkpoint, then ends the thread (the database stays open: its owner closes it). */
  close(): Promise<void> {
    // Every caller gets the same promise: a second close() must not replace the first one's wait.
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await new Promise<void>((resolve) => (this.idle = resolve));
    const worker = this.worker;
    this.worker = null;
    // Referenced until it has ended: an unreferenced thread's terminate() does not keep the event
    // loop alive, and a shutdown whose last socket had closed would exit mid-close (code 13).
    worker?.ref();
    await worker?.terminate();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    // unref(): the last commit of a process that is ending leaves its checkpoint to the next start
    // (or to the connection's close), which is as safe.
    this.timer = setTimeout(() => this.run(), this.options.intervalMs);
    this.timer.unref();
  }

  private run(): void {
    this.timer = null;
    if (this.closed) return;
    this.running = true;
    this.dirty = false;
    const worker = this.started();
    // Referenced while a checkpoint runs: close() awaits it, and an unreferenced thread would let a
    // process whose last handles closed exit in the middle of that wait.
    worker.ref();
    worker.postMessage(null);
  }

  private finished(reply: CheckpointReply | null): void {
    this.running = false;
    this.worker?.unref();
    if (reply !== null && !reply.ok) this.options.onError(reply.message);
    if (this.idle !== null) return this.idle();
    if (this.dirty) this.schedule();
  }

  private started(): Worker {
    if (this.worker !== null) return this.worker;
    const { databaseFile, synchronous } = this.options;
    const setup: CheckpointerSetup = { databaseFile, synchronous };
    const worker = new Worker(SCRIPT, { workerData: setup });
    worker.on('message', (reply: CheckpointReply) => this.finished(reply));
    worker.on('error', (error: unknown) => this.options.onError(threadErrorMessage(error)));
    // A thread that died is started again for the next checkpoint.
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      if (this.running) this.finished(null);
    });
    // After the 'message' listener, not before: adding that listener refs the worker's port again
    // (Node 20), and an idle checkpointer then kept a process that never called close() alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/**
 * What the thread threw, as it arrives here: the structured clone of a SqliteError (a file that is
 * not a database fails the thread's first PRAGMA) is a plain object with its code only, no message;
 * reading error.message reported every such failure as "undefined".
 */
function threadErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}
