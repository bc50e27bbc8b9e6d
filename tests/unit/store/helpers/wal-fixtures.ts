// For the WAL checkpointer tests: the checkpointer as the service runs it (compiled, so that its
// worker thread finds checkpoint-worker.js next to it: a worker thread runs JavaScript only), and
// what can be seen of a WAL database from outside: which rows its main file holds without the WAL.
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { WalCheckpointer } from '../../../../host/store/wal-checkpointer.js';
import { REPO_ROOT } from '../../../helpers/service-process.js';

const SOURCES = ['host/store/wal-checkpointer.ts', 'host/store/checkpoint-worker.ts'];
const BUILT = join(REPO_ROOT, 'dist/host/store/wal-checkpointer.js');

/** The compiled WalCheckpointer class; fails (does not skip) when dist/ is missing or older than its sources. */
export async function builtWalCheckpointer(): Promise<typeof WalCheckpointer> {
  for (const source of SOURCES) {
    const built = join(REPO_ROOT, 'dist', source.replace(/\.ts$/, '.js'));
    if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(REPO_ROOT, source)).mtimeMs) {
      throw new Error(`${built} is missing or older than ${source}: run npm run build:host`);
    }
  }
  const module = (await import(pathToFileURL(BUILT).href)) as { WalCheckpointer: typeof WalCheckpointer };
  return module.WalCheckpointer;
}

const PAGE_BYTES = 4096;
/** A row of this size fills about one 4 KiB page, so each row adds about one page to the WAL. */
const ROW_BYTES = 4000;

export function createBallast(db: Database.Database): void {
  db.exec('CREATE TABLE ballast (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
}

/** Writes `rows` rows of about a page each, `perCommit` per transaction. */
export function writeBallast(db: Database.Database, rows: number, perCommit: number): void {
  const insert = db.prepare('INSERT INTO ballast (data) VALUES (randomblob(?))');
  const commit = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(ROW_BYTES);
  });
  for (let done = 0; done < rows; done += perCommit) commit(Math.min(perCommit, rows - done));
}

/** Frames in the WAL file (each a page and its 24-byte header, after a 32-byte file header). */
export function walFrames(databaseFile: string): number {
  const wal = `${databaseFile}-wal`;
  return existsSync(wal) ? Math.floor((statSync(wal).size - 32) / (PAGE_BYTES + 24)) : 0;
}

/**
 * Ballast rows the main database file holds by itself: what the checkpoints have copied out of the
 * WAL so far. Read from a copy of the file alone, which SQLite opens with an empty WAL of its own.
 */
export function rowsInFileAlone(databaseFile: string, scratch: string): number {
  copyFileSync(databaseFile, scratch);
  const db = new Database(scratch);
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ballast'").get();
    return table === undefined
      ? 0
      : (db.prepare('SELECT count(*) AS n FROM ballast').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
