// The service's logger: pino writing to stdout through a LogSink (why: log-sink.ts), with stderr's
// write errors reported instead of crashing the process. stderr carries only what does not go
// through pino (a failed start, Node's own warnings); a reader that has gone must cost those lines,
// not the service.
import type { Writable } from 'node:stream';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { LogSink, type LogSinkOptions } from './log-sink.js';

export interface ServiceLogger {
  logger: Logger;
  sink: LogSink;
}

export function createServiceLogger(options: {
  pino: LoggerOptions;
  stdout: Writable;
  stderr: Writable;
  sink: LogSinkOptions;
}): ServiceLogger {
  const sink = new LogSink(options.stdout, options.sink);
  const logger = pino(options.pino, sink);
  let stderrFailed = false;
  options.stderr.on('error', (error: Error) => {
    if (stderrFailed) return;
    stderrFailed = true;
    logger.warn({ err: error }, 'stderr cannot be written; what goes there is lost');
  });
  return { logger, sink };
}
