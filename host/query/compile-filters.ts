// One WHERE condition per filter, over `events e` (host/store/migrations/001-initial.ts). Values are
// always bound parameters; the only text spliced in is column names from EventQuery's closed unions.
//
// Selective identifier and link filters are written as `e.seq IN (SELECT seq FROM <index table> …)`
// so SQLite can start from the (epc, seq) / (kind, value, seq) indexes and look events up by rowid;
// the broad quantity test is a correlated EXISTS probed per candidate row instead. With `indexed`
// false a column is written `+e.column`, which keeps the same meaning but stops SQLite from using
// the column's index: that is how access-path.ts steers the planner.
import { compileExtensionFilter, compileSensorFilter } from './compile-json-filters.js';
import type { EpcRole, QueryFilter } from './event-query.js';
import { OPERATOR, placeholders, prefixEnd, type SqlFragment } from './sql-fragment.js';

const QUANTITY_ROLES: EpcRole[] = [
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
];

export function compileFilter(filter: QueryFilter, indexed = true): SqlFragment {
  const col = (column: string): string => `${indexed ? '' : '+'}e.${column}`;
  switch (filter.kind) {
    case 'column-in': {
      if (filter.column === 'event_id') return compileEventId(filter.values, col);
      const test = {
        sql: `${col(filter.column)} IN (${placeholders(filter.values)})`,
        params: [...filter.values],
      };
      return filter.column === 'error_reason' && indexed ? amongDeclarations(test) : test;
    }
    case 'time-range': {
      const bounds: [string, number | undefined][] = [
        [`${col(filter.column)} >= ?`, filter.geMs],
        [`${col(filter.column)} < ?`, filter.ltMs],
      ];
      const given = bounds.filter((b): b is [string, number] => b[1] !== undefined);
      const test = { sql: given.map(([sql]) => sql).join(' AND '), params: given.map(([, ms]) => ms) };
      return filter.column === 'declaration_time_ms' && indexed ? amongDeclarations(test) : test;
    }
    case 'location-within': {
      const column = col(filter.column);
      const ranges = filter.prefixes.map(() => `(${column} >= ? AND ${column} < ?)`);
      return {
        sql: `(${[`${column} IN (${placeholders(filter.values)})`, ...ranges].join(' OR ')})`,
        params: [...filter.values, ...filter.prefixes.flatMap((p) => [p, prefixEnd(p)])],
      };
    }
    case 'identifier':
      return compileIdentifier(filter.roles, filter.values, filter.prefixes);
    case 'quantity': {
      const parts = [
        `q.seq = e.seq`,
        `q.role IN (${placeholders(QUANTITY_ROLES)})`,
        'q.quantity IS NOT NULL',
      ];
      const params: unknown[] = [...QUANTITY_ROLES];
      if (filter.uom !== null) {
        parts.push('q.uom = ?');
        params.push(filter.uom);
      }
      if (filter.equals !== null) {
        parts.push(`q.quantity IN (${placeholders(filter.equals)})`);
        params.push(...filter.equals);
      }
      for (const bound of filter.bounds) {
        parts.push(`q.quantity ${OPERATOR[bound.op]} ?`);
        params.push(bound.value);
      }
      return { sql: `EXISTS (SELECT 1 FROM event_epcs q WHERE ${parts.join(' AND ')})`, params };
    }
    case 'link': {
      const typed = filter.type === null ? '' : ' AND l.type = ?';
      return {
        sql: `e.seq IN (SELECT l.seq FROM event_links l WHERE l.kind = ? AND l.value IN (${placeholders(filter.values)})${typed})`,
        params: [filter.link, ...filter.values, ...(filter.type === null ? [] : [filter.type])],
      };
    }
    case 'flag':
      if (filter.column === 'is_declaration' && indexed) return amongDeclarations({ sql: '1', params: [] });
      return { sql: `${col(filter.column)} = 1`, params: [] };
    case 'extension':
      return compileExtensionFilter(filter);
    case 'sensor':
      return compileSensorFilter(filter.conditions);
  }
}

// Exact identifiers and pattern prefixes are separate index range scans joined by UNION ALL, so each
// one is a SEARCH on event_epcs_by_epc rather than one OR the planner might turn into a scan.
function compileIdentifier(roles: EpcRole[], values: string[], prefixes: string[]): SqlFragment {
  const roleTest = `x.role IN (${placeholders(roles)})`;
  const arms: string[] = [];
  const params: unknown[] = [];
  if (values.length > 0) {
    arms.push(`SELECT x.seq FROM event_epcs x WHERE x.epc IN (${placeholders(values)}) AND ${roleTest}`);
    params.push(...values, ...roles);
  }
  for (const prefix of prefixes) {
    arms.push(`SELECT x.seq FROM event_epcs x WHERE x.epc >= ? AND x.epc < ? AND ${roleTest}`);
    params.push(prefix, prefixEnd(prefix), ...roles);
  }
  return { sql: `e.seq IN (${arms.join(' UNION ALL ')})`, params };
}

// Both eventID indexes are partial (events vs error declarations, which repeat the eventID), and
// SQLite only uses a partial index when the query repeats its WHERE term; one arm per index lets it
// use both instead of scanning every event.
function compileEventId(values: string[], col: (column: string) => string): SqlFragment {
  const list = placeholders(values);
  const [id, declaration] = [col('event_id'), col('is_declaration')];
  return {
    sql: `((${id} IN (${list}) AND ${declaration} = 0) OR (${id} IN (${list}) AND ${declaration} = 1))`,
    params: [...values, ...values],
  };
}

// Error declarations are few, and the partial index declarations_by_event_id holds exactly them (with
// their declaration time): scanning it beats testing every event's is_declaration column.
function amongDeclarations(test: SqlFragment): SqlFragment {
  return {
    sql: `e.seq IN (SELECT e.seq FROM events e WHERE e.is_declaration = 1 AND ${test.sql})`,
    params: test.params,
  };
}
