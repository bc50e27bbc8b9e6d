// Opens the site's SQLite database configured for this service's write pattern, and migrates it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  path: string;
  /** NORMAL: a power loss may lose the last commits but never corrupts (WAL). FULL: fsync per commit. */
  synchronous: 'NORMAL' | 'FULL';
  /**
   * WAL pages after which a commit on this connection checkpoints, inside the commit. Default
   * WAL_AUTOCHECKPOINT_PAGES; set WAL_BACKSTOP_PAGES where a WalCheckpointer does the checkpoints on
   * a thread of its own, so this connection checkpoints only when that one falls behind.
   */
  walAutocheckpointPages?: number;
}

const MEMORY = ':memory:';
// Long enough to ride out another process's checkpoint or a migration; short enough that a stuck
// lock surfaces as StoreUnavailableError instead of a hung request.
const BUSY_TIMEOUT_MS = 5000;
// SQLite's default (1000 pages, ~4 MiB with 4 KiB pages): checkpoints stay short and frequent.
const WAL_AUTOCHECKPOINT_PAGES = 1000;
/**
 * With a WalCheckpointer: 64 MiB of WAL (JOURNAL_SIZE_LIMIT_BYTES; a few of its intervals at the
 * fastest capture rate) before a writer checkpoints by itself, which also bounds the WAL when writes
 * never pause long enough for the checkpointer to catch up with them.
 */
export const WAL_BACKSTOP_PAGES = 16384;
// After a checkpoint the WAL file is truncated back to this size, so one burst does not leave a
// large file on a small edge disk.
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  // The level is spliced into a PRAGMA, which cannot take a bound parameter.
  if (options.synchronous !== 'NORMAL' && options.synchronous !== 'FULL') {
    throw new Error(`synchronous must be NORMAL or FULL, not ${String(options.synchronous)}`);
  }
  const inMemory = options.path === MEMORY;
  if (!inMemory) mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  try {
    const journalMode = db.pragma('journal_mode = WAL', { simple: true });
    // A memory database reports 'memory'; a file that cannot do WAL (some network file systems)
    // would silently keep a rollback journal and lose the durability/concurrency we designed for.
    if (!inMemory && journalMode !== 'wal') {
      throw new Error(`cannot enable WAL on ${options.path} (journal_mode is ${String(journalMode)})`);
    }
    db.pragma(`synchronous = ${options.synchronous}`);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`wal_autocheckpoint = ${checkpointPages(options.walAutocheckpointPages)}`);
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    // The group committer runs each request in a savepoint, whose statement journal otherwise
    // spills to a temp file in /var/tmp on every group commit: measured (bench:service) 5× the
    // write syscalls and ~30% of single-event capture throughput. It holds at most one request's
    // pages at a time.
    db.pragma('temp_store = MEMORY');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

// Spliced into a PRAGMA as well.
function checkpointPages(pages: number | undefined): number {
  if (pages === undefined) return WAL_AUTOCHECKPOINT_PAGES;
  if (!Number.isInteger(pages) || pages < 0)
    throw new RangeError(`walAutocheckpointPages must be a whole number, not ${pages}`);
  return pages;
}
