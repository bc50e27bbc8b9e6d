// The way every write on the main thread's connection reaches SQLite outside the event tables
// (named queries, subscriptions and their positions, failed capture jobs). While the ingest worker
// holds the write lock on its own connection for a large document (seconds), a write made straight
// on this connection would wait for it inside SQLite, freezing the event loop for up to busy_timeout
// (5 s); through the queue it waits as a pending promise instead. GroupCommitter implements it.

export interface WriteQueue {
  /**
   * Runs `statements` (synchronous SQL on the main connection) in the next group commit, in a
   * savepoint of its own: a throw rolls back only its rows and rejects with that error. Resolves with
   * its result once the group is committed, so an answer that says "stored" may follow it.
   */
  write<T>(statements: () => T): Promise<T>;
}
