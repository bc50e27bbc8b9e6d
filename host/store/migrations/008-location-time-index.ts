// GET /events for one business location and a time window (EQ_bizLocation + GE/LT_eventTime) had
// only the one-column indexes to start from: at 1,000,000 events a location holds 5,000 events and
// a day 2,740, so the query intersected ~7,700 index entries (after probing both) to return 14,
// ~2.9 ms of SQL per request. Over (biz_location, event_time_ms) it reads the 14 entries it returns
// (host/query/access-path.ts). One more B-tree insert per captured event: bench:service measured
// the capture rate before and after (see the closing note of issue 12).
export const version = 8;
export const name = 'location-time-index';

export const sql = `
CREATE INDEX events_by_biz_location_time ON events (biz_location, event_time_ms);
`;
