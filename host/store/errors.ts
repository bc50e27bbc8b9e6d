// Typed errors of the store, each with a stable code so the HTTP layer can translate them to
// problem+json without matching on messages.

/**
 * An 'all-or-nothing' write request held events already stored (or repeated within the request);
 * none of it was written.
 */
export class DuplicateEventError extends Error {
  readonly code = 'STORE_DUPLICATE_EVENT';
  constructor(readonly eventIds: readonly string[]) {
    super(`duplicate event(s): ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventError';
  }
}

/**
 * SQLite could not complete a write for a reason that is not the request's fault (disk full, I/O
 * error, lock timeout, transaction lost). The whole group it belonged to was rolled back.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(
    readonly sqliteCode: string | null,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A write was submitted after the group committer was closed. */
export class StoreClosedError extends Error {
  readonly code = 'STORE_CLOSED';
  constructor() {
    super('the store is closed');
    this.name = 'StoreClosedError';
  }
}

/** The database was written by newer code; opening it with this code could corrupt it. */
export class SchemaTooNewError extends Error {
  readonly code = 'STORE_SCHEMA_TOO_NEW';
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `database schema version ${databaseVersion} is newer than this code knows (up to version ${codeVersion}); ` +
        'upgrade edgetrace or open a different database',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** schema_migrations records a migration this code does not have under that version. */
export class SchemaMismatchError extends Error {
  readonly code = 'STORE_SCHEMA_MISMATCH';
  constructor(
    readonly version: number,
    readonly databaseName: string,
    readonly codeName: string | null,
  ) {
    super(
      `database schema version ${version} was applied as '${databaseName}' but this code ` +
        (codeName === null ? 'has no migration with that version' : `names it '${codeName}'`),
    );
    this.name = 'SchemaMismatchError';
  }
}
