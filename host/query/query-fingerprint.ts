// A digest of everything that decides which rows a query returns and in what order, so a page token
// issued for one query is refused by another. perPage is left out on purpose: changing the page size
// between pages cannot skip or repeat rows under keyset pagination.
import { createHash } from 'node:crypto';
import type { EventQuery } from './event-query.js';

export function queryFingerprint(query: EventQuery): string {
  const canonical = JSON.stringify({
    // Parameter order in the URL does not change the query, so neither may it change the fingerprint.
    filters: query.filters.map((f) => JSON.stringify(f)).sort(),
    order: query.order,
    direction: query.direction,
    eventCountLimit: query.eventCountLimit,
    maxEventCount: query.maxEventCount,
  });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}
