// The first schema. Events are immutable facts: rows are only ever inserted, never updated (an
// error declaration is a new row linked to the original). `seq` is the local arrival order: it
// gives pagination a stable order and the outbox its publishing order.
export const version = 1;
export const name = 'initial';

export const sql = `
CREATE TABLE events (
  seq                 INTEGER PRIMARY KEY,
  event_id            TEXT    NOT NULL,          -- the client's eventID, or the CBV 2.0 hash ID when it sent none
  hash_id             TEXT    NOT NULL,          -- CBV 2.0 hash ID, ni:///sha-256;…?ver=CBV2.0
  event_type          TEXT    NOT NULL,
  action              TEXT,
  event_time_ms       INTEGER NOT NULL,          -- UTC instant
  event_time_offset   TEXT    NOT NULL,          -- eventTimeZoneOffset as captured
  record_time_ms      INTEGER NOT NULL,          -- set by the site that first captured the event
  biz_step            TEXT,                      -- expanded to its full CBV URI
  disposition         TEXT,
  read_point          TEXT,                      -- canonical identifiers (GS1 Digital Link where GS1)
  biz_location        TEXT,
  transformation_id   TEXT,
  is_declaration      INTEGER NOT NULL DEFAULT 0 CHECK (is_declaration IN (0, 1)),
  declaration_time_ms INTEGER,
  error_reason        TEXT,
  has_sensor_data     INTEGER NOT NULL DEFAULT 0 CHECK (has_sensor_data IN (0, 1)),
  capture_id          TEXT,                      -- the capture job that stored it (NULL for synced events)
  origin_site         TEXT    NOT NULL,          -- SITE_ID of the site that captured it
  context_json        TEXT,                      -- the @context it was captured under (for replay and output)
  body                TEXT    NOT NULL           -- the event's JSON text exactly as captured
);
-- An identical re-capture is a duplicate; an error declaration repeats the original eventID, so
-- declarations are unique by (eventID, declarationTime) instead.
CREATE UNIQUE INDEX events_by_event_id ON events (event_id) WHERE is_declaration = 0;
CREATE UNIQUE INDEX declarations_by_event_id ON events (event_id, declaration_time_ms) WHERE is_declaration = 1;
CREATE INDEX events_by_event_time ON events (event_time_ms, seq);
CREATE INDEX events_by_record_time ON events (record_time_ms, seq);
CREATE INDEX events_by_type ON events (event_type, seq);
CREATE INDEX events_by_biz_step ON events (biz_step, seq);
CREATE INDEX events_by_disposition ON events (disposition, seq);
CREATE INDEX events_by_read_point ON events (read_point, seq);
CREATE INDEX events_by_biz_location ON events (biz_location, seq);
CREATE INDEX events_by_transformation_id ON events (transformation_id) WHERE transformation_id IS NOT NULL;
CREATE INDEX events_by_hash_id ON events (hash_id);

-- Every identifier an event names, with its role (epcList, parentID, childEPCs, inputEPCList,
-- outputEPCList, quantityList, childQuantityList, inputQuantityList, outputQuantityList).
CREATE TABLE event_epcs (
  seq      INTEGER NOT NULL REFERENCES events (seq),
  epc      TEXT    NOT NULL,
  role     TEXT    NOT NULL,
  quantity REAL,
  uom      TEXT
);
CREATE INDEX event_epcs_by_epc ON event_epcs (epc, seq);
CREATE INDEX event_epcs_by_seq ON event_epcs (seq);

-- Typed values an event carries: kind is 'bizTransaction', 'source', 'destination',
-- 'persistentDispositionSet', 'persistentDispositionUnset' or 'correctiveEventID'.
CREATE TABLE event_links (
  seq   INTEGER NOT NULL REFERENCES events (seq),
  kind  TEXT    NOT NULL,
  type  TEXT,
  value TEXT    NOT NULL
);
CREATE INDEX event_links_by_value ON event_links (kind, value, seq);
CREATE INDEX event_links_by_seq ON event_links (seq);

-- Events captured here that the sync relay must publish, in seq order. A row is marked sent only
-- after the broker confirmed it.
CREATE TABLE outbox (
  seq         INTEGER PRIMARY KEY REFERENCES events (seq),
  enqueued_ms INTEGER NOT NULL,
  sent_ms     INTEGER
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_ms IS NULL;

CREATE TABLE capture_jobs (
  capture_id      TEXT    PRIMARY KEY,
  created_ms      INTEGER NOT NULL,
  finished_ms     INTEGER,
  running         INTEGER NOT NULL CHECK (running IN (0, 1)),
  success         INTEGER NOT NULL CHECK (success IN (0, 1)),
  error_behaviour TEXT    NOT NULL CHECK (error_behaviour IN ('rollback', 'proceed')),
  event_count     INTEGER NOT NULL,
  stored_count    INTEGER NOT NULL DEFAULT 0,
  errors_json     TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX capture_jobs_by_created ON capture_jobs (created_ms);
`;
