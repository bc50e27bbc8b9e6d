import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaMismatchError, SchemaTooNewError } from '../../../host/store/errors.js';
import { migrate } from '../../../host/store/migrate.js';
import { migrations } from '../../../host/store/migrations/index.js';
import { openDatabase } from '../../../host/store/open-database.js';
import { tempDir } from './helpers/store-fixtures.js';

const latest = migrations.at(-1)!.version;

describe('migrate', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('applies every migration once, in order, and records each', () => {
    db = new Database(':memory:');
    const first = migrate(db, migrations, 42);
    expect(first).toEqual({ fromVersion: 0, toVersion: latest, applied: migrations.map((m) => m.version) });
    expect(
      db.prepare('SELECT version, name, applied_ms FROM schema_migrations ORDER BY version').all(),
    ).toEqual(migrations.map((m) => ({ version: m.version, name: m.name, applied_ms: 42 })));
  });

  it('is idempotent: a second run applies nothing and changes nothing', () => {
    db = new Database(':memory:');
    migrate(db);
    const schema = db.prepare('SELECT sql FROM sqlite_schema ORDER BY name').pluck().all();
    expect(migrate(db)).toEqual({ fromVersion: latest, toVersion: latest, applied: [] });
    expect(db.prepare('SELECT sql FROM sqlite_schema ORDER BY name').pluck().all()).toEqual(schema);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
  });

  it('brings an older database up to date, applying only the missing migrations', () => {
    db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    expect(migrate(db).applied).toEqual(migrations.slice(1).map((m) => m.version));
  });

  it('adds the location-and-time index to a database written before it, over the events it holds', () => {
    db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version < 8),
    );
    db.prepare(
      `INSERT INTO events (event_id, hash_id, event_type, event_time_ms, event_time_offset, record_time_ms,
         biz_location, origin_site, body) VALUES ('e1', 'h1', 'ObjectEvent', 1000, '+00:00', 2000, 'loc', 'site', '{}')`,
    ).run();
    expect(migrate(db).applied).toEqual([8]);
    const where = "biz_location = 'loc' AND event_time_ms >= 0 AND event_time_ms < 5000";
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT seq FROM events WHERE ${where}`).all() as {
      detail: string;
    }[];
    expect(plan.map((r) => r.detail).join('\n')).toContain('events_by_biz_location_time');
    expect(db.prepare(`SELECT event_id FROM events WHERE ${where}`).pluck().all()).toEqual(['e1']);
  });

  it('refuses a database whose schema is newer than the code, naming both versions', () => {
    db = new Database(':memory:');
    migrate(db);
    db.prepare('INSERT INTO schema_migrations VALUES (99, ?, 0)').run('from-the-future');
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
    expect(() => migrate(db)).toThrow(
      `database schema version 99 is newer than this code knows (up to version ${latest})`,
    );
  });

  it('refuses a database whose recorded migration has another name than the code', () => {
    db = new Database(':memory:');
    migrate(db, [{ version: 1, name: 'something-else', sql: 'CREATE TABLE x (a)' }]);
    expect(() => migrate(db)).toThrow(SchemaMismatchError);
  });

  it('leaves the database at the previous version when a migration fails', () => {
    db = new Database(':memory:');
    const broken = [
      ...migrations,
      { version: latest + 1, name: 'broken', sql: 'CREATE TABLE ok (a); CREATE TABLE' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(latest);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'ok'").pluck().get()).toBe(0);
  });

  it('rejects a migration list that is not in increasing version order', () => {
    db = new Database(':memory:');
    expect(() => migrate(db, [...migrations].reverse())).toThrow(/increasing/);
  });
});

describe('openDatabase', () => {
  it('creates the parent directory and opens a migrated WAL database with the chosen settings', () => {
    const tmp = tempDir();
    try {
      const db = openDatabase({ path: join(tmp.dir, 'nested', 'site.db'), synchronous: 'FULL' });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(latest);
      db.close();
    } finally {
      tmp.remove();
    }
  });

  it('opens an in-memory database for tests', () => {
    const db = openDatabase({ path: ':memory:', synchronous: 'NORMAL' });
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    db.close();
  });

  it('refuses to open a database written by newer code', () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'site.db');
      const db = openDatabase({ path, synchronous: 'NORMAL' });
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(latest + 1, 'newer');
      db.close();
      expect(() => openDatabase({ path, synchronous: 'NORMAL' })).toThrow(SchemaTooNewError);
    } finally {
      tmp.remove();
    }
  });
});
