// The service's log destination: pino hands it finished JSON lines, it passes them to a Writable
// (process.stdout) and never lets a log line block a request or the exit.
//
// Why not pino's own destination (issue 14): pino 9 and 10 both use sonic-boom 4, whose flushSync(),
// run by pino's exit handler, sleeps and retries forever on EPIPE (the reader has gone) and on EAGAIN
// (the reader stopped reading), in the main thread: SIGTERM then never completes and SHUTDOWN_TIMEOUT
// cannot fire. sonic-boom 5 throws on EPIPE, but in sync mode still blocks the thread 100 ms per
// EAGAIN retry. So we write through process.stdout instead: for pipes and sockets it is a libuv
// stream in non-blocking mode (a full pipe queues the line in memory instead of blocking), and we add
// the two things it lacks:
//   - a bound on that queue: a line that would take it past LOG_BACKLOG_BYTES is dropped, so a reader
//     that never reads costs at most that much memory;
//   - an 'error' listener: after EPIPE (or any write error) every further line is dropped, instead
//     of an unhandled 'error' crashing the process.
// There is no synchronous flush at exit; shutdown may wait a bounded time in drain().
// Every dropped line is counted (edgetrace_log_lines_dropped_total once the metrics exist).
import type { Writable } from 'node:stream';
import type { Counter } from 'prom-client';

export type DropReason = 'backlog' | 'write_error';

/**
 * How long shutdown waits for queued lines to reach the reader. A reader that has not taken them
 * within a second is not reading; the rest are left behind rather than holding up the exit.
 */
export const SHUTDOWN_DRAIN_MS = 1000;

const DRAIN_POLL_MS = 10;

export interface LogSinkOptions {
  /**
   * Queued, unwritten bytes above which new lines are dropped (LOG_BACKLOG_BYTES): enough for a
   * reader that is only slow to catch up, little for one that has stopped.
   */
  maxBacklogBytes: number;
}

export class LogSink {
  private readonly maxBacklogBytes: number;
  private failed: Error | null = null;
  private readonly drops: Record<DropReason, number> = { backlog: 0, write_error: 0 };
  private counter: Counter<'reason'> | null = null;

  constructor(
    private readonly out: Writable,
    options: LogSinkOptions,
  ) {
    this.maxBacklogBytes = options.maxBacklogBytes;
    out.on('error', (error: Error) => {
      this.failed ??= error;
    });
  }

  /** pino's DestinationStream: one serialised line, newline included. */
  write(line: string): void {
    if (this.failed !== null || this.out.destroyed || !this.out.writable) this.drop('write_error');
    else if (this.out.writableLength + line.length > this.maxBacklogBytes) this.drop('backlog');
    else this.out.write(line, this.afterWrite);
  }

  /** The first write error, once the destination has failed (EPIPE when the reader has gone). */
  get error(): Error | null {
    return this.failed;
  }

  get droppedLines(): Readonly<Record<DropReason, number>> {
    return this.drops;
  }

  /** Reports drops so far, and every later one, to `counter` (by reason). */
  countDropsIn(counter: Counter<'reason'>): void {
    this.counter = counter;
    for (const reason of Object.keys(this.drops) as DropReason[]) {
      if (this.drops[reason] > 0) counter.inc({ reason }, this.drops[reason]);
    }
  }

  /**
   * Resolves once the queued lines are written, the destination has failed, or `timeoutMs` has
   * passed, whichever comes first; never rejects. What is still queued then is left behind.
   */
  drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((done) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        const settled = this.out.writableLength === 0 || this.failed !== null || this.out.destroyed;
        if (settled || Date.now() >= deadline) {
          clearInterval(timer);
          done();
        }
        return settled;
      };
      if (!check()) timer = setInterval(check, DRAIN_POLL_MS);
    });
  }

  /** pino calls flush() from logger.flush(); same contract as drain(), never an error. */
  flush(callback?: (error?: Error) => void): void {
    void this.drain(SHUTDOWN_DRAIN_MS).then(() => callback?.());
  }

  // A queued line whose write fails (the reader went away meanwhile) is dropped, too.
  private readonly afterWrite = (error?: Error | null): void => {
    if (error === undefined || error === null) return;
    this.failed ??= error;
    this.drop('write_error');
  };

  private drop(reason: DropReason): void {
    this.drops[reason] += 1;
    this.counter?.inc({ reason });
  }
}
