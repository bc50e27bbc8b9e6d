// How far the sidecar has stored tracker-server.wasm's journal (host/journal/). One row, written in
// the same transaction as the events of the records it covers, so after a crash the tail resumes
// exactly after the last record whose events are durable. `offset_bytes` is where the next record
// starts in journal.log, a hint: the tail checks the seq it finds there and rescans when it differs.
export const version = 5;
export const name = 'journal-position';

export const sql = `
CREATE TABLE journal_position (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  stored_seq   INTEGER NOT NULL,
  offset_bytes INTEGER NOT NULL
);
`;
