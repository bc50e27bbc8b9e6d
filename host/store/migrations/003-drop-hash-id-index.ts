// No query filters events by hash_id (identity is event_id; the hash is returned, never searched),
// yet its index cost a random-key B-tree insert on every captured event: measured by bench:service
// as a large part of the per-event write amplification. Add it back as a partial index if a lookup
// by hash is ever needed.
export const version = 3;
export const name = 'drop-hash-id-index';

export const sql = `
DROP INDEX events_by_hash_id;
`;
