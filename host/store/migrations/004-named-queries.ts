// Named queries (POST /queries) and their webhook subscriptions. A subscription's position is a
// local seq (events.seq, arrival order), never a record time: synced events arrive later carrying
// older record times, and a record-time cursor would skip them. `delivered_seq` only moves in the
// transaction that records a delivery the receiver acknowledged with 2xx, so after a crash or a
// restart delivery resumes exactly where the receiver's last acknowledgement left it.
export const version = 4;
export const name = 'named-queries';

export const sql = `
CREATE TABLE named_queries (
  name       TEXT    PRIMARY KEY,
  query_json TEXT    NOT NULL,        -- the query body as the client sent it; parsed again on use
  created_ms INTEGER NOT NULL
);

CREATE TABLE subscriptions (
  subscription_id        TEXT    PRIMARY KEY,
  query_name             TEXT    NOT NULL REFERENCES named_queries (name) ON DELETE CASCADE,
  dest                   TEXT    NOT NULL,
  signature_token        TEXT,                 -- HMAC key of GS1-Signature; never returned by the API
  schedule_json          TEXT,                 -- NULL: a stream subscription
  report_if_empty        INTEGER NOT NULL CHECK (report_if_empty IN (0, 1)),
  epc_format             TEXT    NOT NULL,
  initial_record_time_ms INTEGER NOT NULL,
  catch_up_seq           INTEGER NOT NULL,     -- head when subscribed: events up to it count only if recorded at/after initialRecordTime
  delivered_seq          INTEGER NOT NULL,     -- every matching event with seq <= this has been acknowledged
  created_ms             INTEGER NOT NULL,
  last_notified_ms       INTEGER,
  failed_attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms        INTEGER,
  last_error             TEXT
);
CREATE INDEX subscriptions_by_query ON subscriptions (query_name, created_ms);
`;
