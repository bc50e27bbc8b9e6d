// The journal became segments (DATA_DIR/journal/<first seq>.log): the stored position names the
// segment its offset is in. 0 is the legacy DATA_DIR/journal.log, which every row written before
// this migration refers to; the sidecar goes on at the same offset once the server has moved that
// file into journal/ (host/journal/journal-segment-cursor.ts).
export const version = 7;
export const name = 'journal-segment';

export const sql = `
ALTER TABLE journal_position ADD COLUMN segment_first_seq INTEGER NOT NULL DEFAULT 0;
`;
