// Capture jobs are listed newest first with a (created_ms, capture_id) cursor; an index on exactly
// that pair lets SQLite walk it backwards instead of sorting jobs that share a millisecond.
export const version = 2;
export const name = 'capture-jobs-keyset';

export const sql = `
DROP INDEX capture_jobs_by_created;
CREATE INDEX capture_jobs_by_created ON capture_jobs (created_ms, capture_id);
`;
