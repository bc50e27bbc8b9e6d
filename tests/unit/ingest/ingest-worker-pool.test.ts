// The ingest worker pool behind IngestPipeline's worker port: prepares overlap writes, yet a worker
// holding a prepared batch takes no other document (its write would queue behind that prepare and
// keep the store's turn waiting). The workers here are fakes whose replies the test releases.
import { describe, expect, it } from 'vitest';
import type { WorkerWrite } from '../../../host/ingest/ingest-worker-client.js';
import { IngestWorkerPool, type PooledWorker } from '../../../host/ingest/ingest-worker-pool.js';
import type { PrepareReply, WriteReply } from '../../../host/ingest/worker-protocol.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A worker whose prepares and writes wait until the test answers them. */
class FakeWorker implements PooledWorker {
  readonly prepares: { body: string; reply: Deferred<PrepareReply> }[] = [];
  readonly writes: { handle: number; reply: Deferred<WriteReply> }[] = [];
  readonly released: number[] = [];
  closed = false;

  prepare(body: Uint8Array): Promise<PrepareReply> {
    const reply = deferred<PrepareReply>();
    this.prepares.push({ body: Buffer.from(body).toString(), reply });
    return reply.promise;
  }

  write(handle: number): Promise<WriteReply> {
    const reply = deferred<WriteReply>();
    this.writes.push({ handle, reply });
    return reply.promise;
  }

  release(handle: number): void {
    this.released.push(handle);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Answers the n-th prepare this worker received with its own handle. */
  prepared(n: number, handle: number): void {
    this.prepares[n]!.reply.resolve({ handle, summary: {} as PrepareReply['summary'], prepareSeconds: 0 });
  }

  wrote(n: number): void {
    this.writes[n]!.reply.resolve({ outcomes: [], info: {} as WriteReply['info'], stateSlices: null });
  }

  bodies(): string[] {
    return this.prepares.map((p) => p.body);
  }
}

const doc = (name: string) => Buffer.from(name);
const WRITE: WorkerWrite = {
  stamp: { recordTimeMs: 1, captureId: null, originSite: 'here', enqueueForSync: false },
  mode: 'each',
  job: null,
  withStateEvents: false,
};
/** Lets every settled promise's continuations run (the fakes answer within the same turn). */
const settle = () => new Promise<void>((done) => setImmediate(done));

describe('IngestWorkerPool', () => {
  it('needs at least one worker', () => {
    expect(() => new IngestWorkerPool([])).toThrow(RangeError);
  });

  it('gives a worker holding a prepared, unwritten batch no other document', async () => {
    const w = new FakeWorker();
    const pool = new IngestWorkerPool([w]);
    const a = pool.prepare(doc('a'));
    await settle();
    w.prepared(0, 7);
    const handleA = (await a).handle;
    const b = pool.prepare(doc('b'));
    await settle();
    expect(w.bodies()).toEqual(['a']);

    const written = pool.write(handleA, WRITE);
    await settle();
    expect(w.writes.map((x) => x.handle)).toEqual([7]);
    // Still writing: the batch keeps its worker until the write is done.
    expect(w.bodies()).toEqual(['a']);
    w.wrote(0);
    await written;
    await settle();
    expect(w.bodies()).toEqual(['a', 'b']);
    w.prepared(1, 8);
    await expect(b).resolves.toMatchObject({ summary: {} });
  });

  it('prepares the next document on another worker while one holds a batch', async () => {
    const [w1, w2] = [new FakeWorker(), new FakeWorker()];
    const pool = new IngestWorkerPool([w1, w2]);
    void pool.prepare(doc('a'));
    void pool.prepare(doc('b'));
    void pool.prepare(doc('c'));
    await settle();
    expect([w1.bodies(), w2.bodies()]).toEqual([['a'], ['b']]);
  });

  it('hands a freed worker to the waiting prepares in the order they arrived', async () => {
    const w = new FakeWorker();
    const pool = new IngestWorkerPool([w]);
    const a = pool.prepare(doc('a'));
    const waiting = ['b', 'c', 'd'].map((name) => pool.prepare(doc(name)));
    await settle();
    w.prepared(0, 1);
    pool.release((await a).handle);
    await settle();
    expect(w.bodies()).toEqual(['a', 'b']);
    w.prepared(1, 2);
    pool.release((await waiting[0]!).handle);
    await settle();
    w.prepared(2, 3);
    pool.release((await waiting[1]!).handle);
    await settle();
    expect(w.bodies()).toEqual(['a', 'b', 'c', 'd']);
    expect(w.released).toEqual([1, 2, 3]);
  });

  it('frees the worker when the write fails', async () => {
    const w = new FakeWorker();
    const pool = new IngestWorkerPool([w]);
    const a = pool.prepare(doc('a'));
    await settle();
    w.prepared(0, 1);
    const written = pool.write((await a).handle, WRITE);
    void pool.prepare(doc('b'));
    await settle();
    w.writes[0]!.reply.reject(new Error('disk full'));
    await expect(written).rejects.toThrow('disk full');
    await settle();
    expect(w.bodies()).toEqual(['a', 'b']);
  });

  it('frees the worker when a prepare fails, and passes the error on', async () => {
    const w = new FakeWorker();
    const pool = new IngestWorkerPool([w]);
    const a = pool.prepare(doc('a'));
    const b = pool.prepare(doc('b'));
    await settle();
    w.prepares[0]!.reply.reject(new Error('worker gone'));
    await expect(a).rejects.toThrow('worker gone');
    await settle();
    expect(w.bodies()).toEqual(['a', 'b']);
    w.prepared(1, 1);
    await expect(b).resolves.toMatchObject({ summary: {} });
  });

  it("gives batches handles of its own, so two workers' equal handles do not collide", async () => {
    const [w1, w2] = [new FakeWorker(), new FakeWorker()];
    const pool = new IngestWorkerPool([w1, w2]);
    const a = pool.prepare(doc('a'));
    const b = pool.prepare(doc('b'));
    await settle();
    w1.prepared(0, 1);
    w2.prepared(0, 1);
    const [handleA, handleB] = [(await a).handle, (await b).handle];
    expect(handleA).not.toBe(handleB);

    const written = pool.write(handleB, WRITE);
    await settle();
    expect([w1.writes.length, w2.writes.map((x) => x.handle)]).toEqual([0, [1]]);
    w2.wrote(0);
    await written;
    pool.release(handleA);
    expect([w1.released, w2.released]).toEqual([[1], []]);
  });

  it('refuses to write a batch it does not hold, and forgets a released one', async () => {
    const w = new FakeWorker();
    const pool = new IngestWorkerPool([w]);
    await expect(pool.write(99, WRITE)).rejects.toThrow(/no prepared batch 99/);
    const a = pool.prepare(doc('a'));
    await settle();
    w.prepared(0, 5);
    const { handle } = await a;
    pool.release(handle);
    pool.release(handle);
    expect(w.released).toEqual([5]);
    await expect(pool.write(handle, WRITE)).rejects.toThrow(/no prepared batch/);
  });

  it('closes every worker', async () => {
    const workers = [new FakeWorker(), new FakeWorker(), new FakeWorker()];
    await new IngestWorkerPool(workers).close();
    expect(workers.map((w) => w.closed)).toEqual([true, true, true]);
  });
});
