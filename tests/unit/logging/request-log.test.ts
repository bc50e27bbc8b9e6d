// The request log: a request's line is worth an info line only when it failed or was slow; every
// other request is logged at debug, and at info level its line is not even built.
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { logRequest, type RequestLogLine, requestLogLevel } from '../../../host/logging/request-log.js';

const SLOW_MS = 500;

function logger(level: 'info' | 'debug') {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  // pino writes to a Writable synchronously; the root is the service logger, the child the request's.
  const root = pino({ base: null, level }, out);
  const log = root.child({ reqId: 'req-1' }) as unknown as FastifyBaseLogger;
  return { root, log, lines };
}

const line = (status: number, ms: number): RequestLogLine => ({
  method: 'GET',
  route: '/epcs/:epc/state',
  url: '/epcs/urn:epc:id:sgtin:0614141.107346.1/state',
  status,
  ms,
});

describe('requestLogLevel', () => {
  it.each([
    [200, 3, 'debug'],
    [304, 3, 'debug'],
    [399, SLOW_MS - 0.01, 'debug'],
    [400, 3, 'info'],
    [404, 3, 'info'],
    [503, 3, 'info'],
    [200, SLOW_MS, 'info'],
    [201, SLOW_MS * 10, 'info'],
  ] as const)('logs status %i after %f ms at %s', (status, ms, level) => {
    expect(requestLogLevel(status, ms, SLOW_MS)).toBe(level);
  });
});

describe('logRequest', () => {
  it('writes a failed request at info, with its line and the request logger’s fields', () => {
    const { root, log, lines } = logger('info');
    logRequest(root, log, () => line(404, 2), { status: 404, ms: 2, slowMs: SLOW_MS });
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, reqId: 'req-1', msg: 'request', ...line(404, 2) }),
    ]);
  });

  it('writes a slow request at info', () => {
    const { root, log, lines } = logger('info');
    logRequest(root, log, () => line(200, SLOW_MS), { status: 200, ms: SLOW_MS, slowMs: SLOW_MS });
    expect(lines).toMatchObject([{ level: 30, status: 200 }]);
  });

  it('neither writes nor builds the line of a quick, successful request at info level', () => {
    const { root, log, lines } = logger('info');
    const build = vi.fn(() => line(200, 2));
    logRequest(root, log, build, { status: 200, ms: 2, slowMs: SLOW_MS });
    expect(build).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes every request at debug level, quick successful ones at debug', () => {
    const { root, log, lines } = logger('debug');
    logRequest(root, log, () => line(200, 2), { status: 200, ms: 2, slowMs: SLOW_MS });
    logRequest(root, log, () => line(500, 2), { status: 500, ms: 2, slowMs: SLOW_MS });
    expect(lines.map((l) => [l.level, l.status])).toEqual([
      [20, 200],
      [30, 500],
    ]);
  });
});
