// Issue 14: a service run as a child process (supervisors, `npm start | tee`, log shippers, test
// harnesses) must shut down on SIGTERM within SHUTDOWN_TIMEOUT whatever happened to its stdout: the
// reader has gone, the reader never reads (the pipe is full), or there was no stdout to begin with.
// Log lines that cannot be written are dropped and counted; they never block a request or the exit.
// With pino's default destination the first two cases hung forever in sonic-boom's flushSync().
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TrackerCore } from '../../../host/core/gateway.js';
import { assertServiceBuilt, type TempDir, tempDataDir } from '../../helpers/service-process.js';
import { planCapture } from './support/capture-plan.js';
import { type Attempt, getStatus, send } from './support/service-client.js';
import { StdoutService } from './support/stdout-service.js';
import { auditStore } from './support/store-audit.js';

const SHUTDOWN_TIMEOUT_MS = 3000;
// A 512 KiB log backlog (default 4 MiB) keeps the pipe-full case to a few hundred requests.
// LOG_LEVEL debug: every request writes its log line (at info only slow and failed ones do), so the
// requests below meet the closed pipe.
const ENV = { SHUTDOWN_TIMEOUT: `${SHUTDOWN_TIMEOUT_MS}ms`, LOG_BACKLOG_BYTES: '512KiB', LOG_LEVEL: 'debug' };
// The exit may come this much after the timeout (the process's own teardown); a hang never does.
const EXIT_SLACK_MS = 2000;

/** edgetrace_log_lines_dropped_total{reason}; 0 while none was dropped (or the metric is missing). */
async function droppedLines(baseUrl: string, reason: 'backlog' | 'write_error'): Promise<number> {
  const text = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) }).then((r) => r.text());
  const match = new RegExp(`^edgetrace_log_lines_dropped_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(
    text,
  );
  return match === null ? 0 : Number(match[1]);
}

// Every request is logged with its path (not its query string): a 7,000-character path that matches
// no route makes each answer (404) log some 7 KB, so a few hundred of them fill the pipe and the
// service's log backlog.
const LOUD_PATH = `/no-such-route/${'x'.repeat(7000)}`;

/** `count` requests for LOUD_PATH one after another; their statuses. */
async function loudRequests(baseUrl: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await getStatus(baseUrl, LOUD_PATH));
  return statuses;
}

describe('a service whose stdout reader has gone or stopped reading', () => {
  let core: TrackerCore;
  let tmp: TempDir;
  let running: StdoutService[] = [];

  const start = async (stdout: 'pipe' | 'closed') => {
    const service = await StdoutService.start({ dataDir: tmp.dir, stdout, env: ENV });
    running.push(service);
    return service;
  };

  /** Captures two documents and requires both to be acknowledged (202, job finished). */
  const captureSome = async (service: StdoutService, prefix: number): Promise<Attempt[]> => {
    const attempts = [
      await send(service.baseUrl, planCapture(core, 'document-50', prefix, 0)),
      await send(service.baseUrl, planCapture(core, 'document-1', prefix, 1)),
    ];
    for (const attempt of attempts)
      expect(attempt.outcome.kind, JSON.stringify(attempt.outcome)).toBe('acked');
    return attempts;
  };

  /** SIGTERM; the service must exit 0 on its own, within SHUTDOWN_TIMEOUT. */
  const expectCleanShutdown = async (service: StdoutService) => {
    const signalled = Date.now();
    service.signal('SIGTERM');
    const exit = await service.exitWithin(SHUTDOWN_TIMEOUT_MS + EXIT_SLACK_MS);
    expect(exit, `no exit after SIGTERM\n${service.describe()}`).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  };

  const expectStored = (attempts: readonly Attempt[]) => {
    const audit = auditStore(join(tmp.dir, 'edgetrace.db'));
    expect(audit.integrity).toBe('ok');
    const stored = new Set(audit.rows.map((row) => row.event_id));
    const missing = attempts.flatMap((a) => a.capture.eventIds.filter((id) => !stored.has(id)));
    expect(missing, 'acknowledged events not in SQLite').toEqual([]);
  };

  beforeAll(async () => {
    assertServiceBuilt();
    core = await TrackerCore.load();
  });
  beforeEach(() => {
    tmp = tempDataDir('edgetrace-log-reader-');
  });
  afterEach(async () => {
    await Promise.all(running.map((service) => service.kill()));
    running = [];
    tmp.remove();
  });

  it('exits on SIGTERM within SHUTDOWN_TIMEOUT once the process reading its stdout has gone, with every acknowledged event stored', async () => {
    const service = await start('pipe');
    const attempts = await captureSome(service, 1);
    service.closeReader();
    // Straight away, as when a supervisor and its log pipe go down together: the shutdown's own log
    // lines are the first to meet the closed pipe.
    await expectCleanShutdown(service);
    expectStored(attempts);
  });

  it('keeps answering after its stdout reader has gone, and counts the log lines it drops', async () => {
    const service = await start('pipe');
    service.closeReader();
    const attempts = await captureSome(service, 2);
    let dropped = 0;
    for (let round = 0; round < 50 && dropped === 0; round++) {
      expect(await getStatus(service.baseUrl, '/health')).toBe(200);
      dropped = await droppedLines(service.baseUrl, 'write_error');
    }
    expect(dropped, 'edgetrace_log_lines_dropped_total{reason="write_error"}').toBeGreaterThan(0);
    await expectCleanShutdown(service);
    expectStored(attempts);
  });

  it('exits on SIGTERM within SHUTDOWN_TIMEOUT while its stdout reader stays open but never reads (pipe full)', async () => {
    const service = await start('pipe');
    const attempts = await captureSome(service, 3);
    service.stopReading();
    // A bounded number of requests, 4 at a time; every one must still be answered.
    let backlogDrops = 0;
    for (let round = 0; round < 40 && backlogDrops === 0; round++) {
      const statuses = await Promise.all(Array.from({ length: 4 }, () => loudRequests(service.baseUrl, 25)));
      expect(statuses.flat().filter((status) => status !== 404)).toEqual([]);
      backlogDrops = await droppedLines(service.baseUrl, 'backlog');
    }
    await expectCleanShutdown(service);
    expect(backlogDrops, 'edgetrace_log_lines_dropped_total{reason="backlog"}').toBeGreaterThan(0);
    expectStored(attempts);
  });

  it('serves and exits on SIGTERM within SHUTDOWN_TIMEOUT when started with stdout closed', async () => {
    const service = await start('closed');
    const attempts = await captureSome(service, 4);
    await expectCleanShutdown(service);
    expectStored(attempts);
  });
});
