// The log destination behind the service's pino logger: lines that cannot be written are dropped
// and counted, never queued without bound, never thrown, and shutdown's wait for them is bounded.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LogSink } from '../../../host/logging/log-sink.js';

/** A destination whose reader never reads: every write stays queued. */
function stalled(): Writable {
  return new Writable({ write: () => undefined });
}

/** A destination whose reader has gone: every write fails with EPIPE. */
function brokenPipe(): Writable {
  return new Writable({
    write: (_chunk, _encoding, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
  });
}

function collecting(lines: string[]): Writable {
  return new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
}

const ROOMY = { maxBacklogBytes: 1024 * 1024 };
const tick = () => new Promise<void>((done) => setImmediate(done));

describe('LogSink', () => {
  it('passes every line through while the reader keeps up', async () => {
    const lines: string[] = [];
    const logger = pino({ base: null }, new LogSink(collecting(lines), ROOMY));
    logger.info('one');
    logger.info('two');
    await tick();
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['one', 'two']);
  });

  it('drops lines beyond its backlog bound when the reader does not read, and counts them', () => {
    const out = stalled();
    const sink = new LogSink(out, { maxBacklogBytes: 1000 });
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 50; i++) sink.write(line);
    expect(out.writableLength).toBeLessThanOrEqual(1000);
    expect(sink.droppedLines).toEqual({ backlog: 40, write_error: 0 });
  });

  it('drops every line once the reader has gone (EPIPE), without throwing, and counts them', async () => {
    const sink = new LogSink(brokenPipe(), ROOMY);
    sink.write('first\n');
    await tick();
    expect(sink.error?.message).toBe('write EPIPE');
    expect(() => sink.write('second\n')).not.toThrow();
    expect(sink.droppedLines).toEqual({ backlog: 0, write_error: 2 });
  });

  it('reports drops made before and after the metric is attached', () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'dropped_total',
      help: 'test',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    const sink = new LogSink(stalled(), { maxBacklogBytes: 10 });
    sink.write('0123456789\n');
    sink.countDropsIn(counter);
    sink.write('0123456789\n');
    expect(sink.droppedLines.backlog).toBe(2);
    return registry.getSingleMetricAsString('dropped_total').then((text) => {
      expect(text).toContain('dropped_total{reason="backlog"} 2');
    });
  });

  it('stops waiting for a reader that does not read when the drain time is up, leaving the line behind', async () => {
    const out = stalled();
    const sink = new LogSink(out, ROOMY);
    sink.write('queued\n');
    await sink.drain(20);
    expect(out.writableLength).toBe('queued\n'.length);
  });

  it('finishes draining at once when nothing is queued', async () => {
    const sink = new LogSink(collecting([]), ROOMY);
    await expect(
      Promise.race([sink.drain(60_000).then(() => 'drained'), tick().then(() => 'waiting')]),
    ).resolves.toBe('drained');
  });
});
