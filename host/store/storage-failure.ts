// Which SQLite errors are the storage's fault rather than the request's. SQLite may roll back the
// whole transaction on its own after SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY or SQLITE_NOMEM
// (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction"), so
// after one of these no later statement of the group can be trusted to run inside it.
import Database from 'better-sqlite3';

const STORAGE_FAILURE_CODES = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_NOMEM',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_PROTOCOL',
];

/** The SQLite result code (extended codes such as SQLITE_IOERR_WRITE included), or null. */
export function sqliteCode(error: unknown): string | null {
  return error instanceof Database.SqliteError ? error.code : null;
}

export function isStorageFailure(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code === null) return false;
  return STORAGE_FAILURE_CODES.some((base) => code === base || code.startsWith(`${base}_`));
}
