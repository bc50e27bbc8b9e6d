// How far the sidecar has numbered the events it tells tracker-server.wasm about
// (DATA_DIR/inbound/, host/journal/inbound-writer.ts): every event it stored that did not come from
// the server's journal gets the next inbound seq, in the same transaction as the event itself, and a
// pending row until its record is durable in an inbound segment. After a crash between the commit
// and the append, the rows above the last record on disk are appended again: never lost, never twice.
export const version = 6;
export const name = 'inbound-position';

export const sql = `
CREATE TABLE inbound_position (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  assigned_seq INTEGER NOT NULL
);
CREATE TABLE inbound_pending (
  inbound_seq INTEGER PRIMARY KEY,
  event_seq   INTEGER NOT NULL
);
`;
