// Prepared statements reused per connection. Query shapes repeat (the same parameters with other
// values), and preparing costs more than running a selective query; the cache is small and bounded
// because every combination of filters is its own SQL text.
import type { Database, Statement } from 'better-sqlite3';

const CACHE_SIZE = 64;
const caches = new WeakMap<Database, Map<string, Statement>>();

export function prepareCached(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (cache === undefined) caches.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  } else {
    cache.delete(sql);
  }
  // Re-inserting keeps the Map in least-recently-used order.
  cache.set(sql, statement);
  return statement;
}
