// WAL checkpoints off the request path: the request connection (opened with WAL_BACKSTOP_PAGES)
// does not checkpoint inside its commits; the WalCheckpointer's thread copies the WAL into the
// database file soon after them, once per interval however many commits it was told of; it reports
// a failed checkpoint and tries again on the next commit; close() lets a running checkpoint finish
// and leaves no thread and no connection behind.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, WAL_BACKSTOP_PAGES } from '../../../host/store/open-database.js';
import type { WalCheckpointer } from '../../../host/store/wal-checkpointer.js';
import { tempDir } from './helpers/store-fixtures.js';
import {
  builtWalCheckpointer,
  createBallast,
  rowsInFileAlone,
  walFrames,
  writeBallast,
} from './helpers/wal-fixtures.js';

// Past SQLite's default wal_autocheckpoint (1000 pages), at about a page per row: ~5 MiB of WAL.
const ROWS = 1200;
const PER_COMMIT = 100;
const INTERVAL_MS = 5;
const UNTIL_COPIED = { timeout: 4000, interval: 10 };

let Checkpointer: typeof WalCheckpointer;
beforeAll(async () => {
  Checkpointer = await builtWalCheckpointer();
});

let tmp: ReturnType<typeof tempDir>;
let databaseFile: string;
let scratch: string;
const open: Database.Database[] = [];
const started: WalCheckpointer[] = [];

beforeEach(() => {
  tmp = tempDir();
  databaseFile = join(tmp.dir, 'site.db');
  scratch = join(tmp.dir, 'copy.db');
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.close()));
  for (const db of open.splice(0)) db.close();
  tmp.remove();
});

function requestConnection(walAutocheckpointPages?: number): Database.Database {
  const db = openDatabase({ path: databaseFile, synchronous: 'NORMAL', walAutocheckpointPages });
  open.push(db);
  createBallast(db);
  return db;
}

function checkpointer(onError: (message: string) => void = () => undefined, intervalMs = INTERVAL_MS) {
  const c = new Checkpointer({ databaseFile, synchronous: 'NORMAL', intervalMs, onError });
  started.push(c);
  return c;
}

describe('a request connection opened with walAutocheckpointPages', () => {
  it('checkpoints inside its commits by default, once the WAL passes 1000 pages', () => {
    const db = requestConnection();
    writeBallast(db, ROWS, PER_COMMIT);
    expect(rowsInFileAlone(databaseFile, scratch)).toBeGreaterThan(ROWS / 2);
  });

  it('leaves the WAL to the checkpointer with WAL_BACKSTOP_PAGES: past 1000 pages, none copied', () => {
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    writeBallast(db, ROWS, PER_COMMIT);
    expect(walFrames(databaseFile)).toBeGreaterThan(1000);
    expect(rowsInFileAlone(databaseFile, scratch)).toBe(0);
  });

  it('refuses a page count that is not a whole number', () => {
    expect(() =>
      openDatabase({ path: databaseFile, synchronous: 'NORMAL', walAutocheckpointPages: -1 }),
    ).toThrow(RangeError);
  });
});

describe('WalCheckpointer', () => {
  it('copies the WAL into the database file soon after a commit, leaving nothing to copy', async () => {
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    const onError = vi.fn();
    const c = checkpointer(onError);
    writeBallast(db, ROWS, PER_COMMIT);
    c.notifyCommitted();
    await vi.waitFor(() => expect(rowsInFileAlone(databaseFile, scratch)).toBe(ROWS), UNTIL_COPIED);
    // Once the checkpoint has finished (close() waits for it), another connection's checkpoint
    // finds every frame of the WAL already in the database file.
    await c.close();
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    expect(result).toMatchObject({ busy: 0, checkpointed: result!.log });
    expect(result!.log).toBeGreaterThan(1000);
    expect(onError).not.toHaveBeenCalled();
  });

  it('copies what later commits wrote on the next commit after that', async () => {
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    const c = checkpointer();
    writeBallast(db, 10, 10);
    c.notifyCommitted();
    await vi.waitFor(() => expect(rowsInFileAlone(databaseFile, scratch)).toBe(10), UNTIL_COPIED);
    writeBallast(db, 20, 10);
    c.notifyCommitted();
    await vi.waitFor(() => expect(rowsInFileAlone(databaseFile, scratch)).toBe(30), UNTIL_COPIED);
  });

  it('lets a running checkpoint finish on close(), then ends its thread and its connection', async () => {
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    const c = checkpointer(undefined, 1);
    writeBallast(db, ROWS, PER_COMMIT);
    c.notifyCommitted();
    // Timers of equal delay fire in the order they were set: when this one fires the checkpoint has
    // been sent to the thread, whose reply cannot have arrived within the same timers phase.
    await new Promise((resolve) => setTimeout(resolve, 1));
    await c.close();
    expect(rowsInFileAlone(databaseFile, scratch)).toBe(ROWS);
    // The last connection to close removes the WAL file: the checkpointer's is closed already.
    db.close();
    open.splice(open.indexOf(db), 1);
    expect(existsSync(`${databaseFile}-wal`)).toBe(false);
  });

  it('does not keep the process alive between checkpoints', async () => {
    const threads = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'MessagePort' || r === 'Worker');
    const before = threads();
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    const c = checkpointer();
    writeBallast(db, 10, 10);
    c.notifyCommitted();
    await vi.waitFor(() => expect(rowsInFileAlone(databaseFile, scratch)).toBe(10), UNTIL_COPIED);
    // Its thread is up and idle: a process that ends without close() is not held open by it. The
    // rows reach the file before the thread's reply reaches this one (the checkpoint is still
    // running until then, and referenced): wait for the reply, never for ever.
    await vi.waitFor(() => expect(threads()).toEqual(before), UNTIL_COPIED);
  });

  it('reports a checkpoint that fails, and tries again on the next commit', async () => {
    // The database's folder does not exist yet: the thread cannot open it.
    databaseFile = join(tmp.dir, 'later', 'site.db');
    const errors: string[] = [];
    const c = checkpointer((message) => errors.push(message));
    c.notifyCommitted();
    await vi.waitFor(() => expect(errors).toHaveLength(1), UNTIL_COPIED);
    expect(errors[0]).toMatch(/directory does not exist/);
    c.notifyCommitted();
    await vi.waitFor(() => expect(errors).toHaveLength(2), UNTIL_COPIED);

    mkdirSync(join(tmp.dir, 'later'));
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    writeBallast(db, 10, 10);
    c.notifyCommitted();
    await vi.waitFor(() => expect(rowsInFileAlone(databaseFile, scratch)).toBe(10), UNTIL_COPIED);
    expect(errors).toHaveLength(2);
  });

  it('reports why it cannot checkpoint a file that is not a database', async () => {
    writeFileSync(databaseFile, 'not a database '.repeat(400));
    const errors: string[] = [];
    const c = checkpointer((message) => errors.push(message));
    c.notifyCommitted();
    await vi.waitFor(() => expect(errors).toHaveLength(1), UNTIL_COPIED);
    expect(errors[0]).toMatch(/SQLITE_NOTADB|not a database/);
  });

  it('reports a checkpoint into a damaged database file, and tries again on the next commit', async () => {
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    const errors: string[] = [];
    const c = checkpointer((message) => errors.push(message));
    writeBallast(db, 10, 10);
    c.notifyCommitted();
    await vi.waitFor(() => expect(rowsInFileAlone(databaseFile, scratch)).toBe(10), UNTIL_COPIED);
    writeFileSync(databaseFile, 'damaged '.repeat(2000));
    writeBallast(db, 10, 10);
    c.notifyCommitted();
    await vi.waitFor(() => expect(errors).toHaveLength(1), UNTIL_COPIED);
    expect(errors[0]).toMatch(/malformed|not a database|SQLITE_/);
    c.notifyCommitted();
    await vi.waitFor(() => expect(errors).toHaveLength(2), UNTIL_COPIED);
  });
});

describe('WalCheckpointer told of a burst of commits', () => {
  const INTERVAL = 50;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Moves the (fake) clock an interval at a time until the thread's answer has arrived. */
  const untilErrors = (errors: string[], n: number) =>
    vi.waitFor(() => {
      vi.advanceTimersByTime(INTERVAL);
      expect(errors).toHaveLength(n);
    }, UNTIL_COPIED);

  /**
   * A checkpointer whose every checkpoint fails and says so once (its thread opened the file, which
   * was damaged afterwards): the errors count the checkpoints. One has failed already, none is due.
   */
  async function countedCheckpoints() {
    const db = requestConnection(WAL_BACKSTOP_PAGES);
    const errors: string[] = [];
    const c = checkpointer((message) => errors.push(message), INTERVAL);
    writeBallast(db, 10, 10);
    c.notifyCommitted();
    await vi.waitFor(() => {
      vi.advanceTimersByTime(INTERVAL);
      expect(rowsInFileAlone(databaseFile, scratch)).toBe(10);
    }, UNTIL_COPIED);
    writeFileSync(databaseFile, 'damaged '.repeat(2000));
    writeBallast(db, 10, 10);
    c.notifyCommitted();
    await untilErrors(errors, 1);
    return { c, errors };
  }

  it('runs one checkpoint for all the commits of one interval', async () => {
    const { c, errors } = await countedCheckpoints();
    for (let turn = 0; turn < 5; turn++) {
      for (let i = 0; i < 10; i++) c.notifyCommitted();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await untilErrors(errors, 2);
    // Nothing was asked for since: a checkpoint due anyway would run now, and close() waits for it.
    vi.advanceTimersByTime(INTERVAL * 10);
    await c.close();
    expect(errors).toHaveLength(2);
  });

  it('runs one more checkpoint for the commits made while one was running', async () => {
    const { c, errors } = await countedCheckpoints();
    c.notifyCommitted();
    vi.advanceTimersByTime(INTERVAL);
    // Running now (its answer cannot arrive before this test awaits): these wait for the next interval.
    for (let i = 0; i < 10; i++) c.notifyCommitted();
    await untilErrors(errors, 2);
    await untilErrors(errors, 3);
    vi.advanceTimersByTime(INTERVAL * 10);
    await c.close();
    expect(errors).toHaveLength(3);
  });
});
