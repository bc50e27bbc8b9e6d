// Brings a database's schema up to date. Each migration runs in its own immediate transaction
// together with its schema_migrations row, so a crash or a failing statement leaves the database at
// the previous version, and two processes opening the same file cannot both apply one.
import type { Database } from 'better-sqlite3';
import { SchemaMismatchError, SchemaTooNewError } from './errors.js';
import { type Migration, migrations as knownMigrations } from './migrations/index.js';

export interface MigrationReport {
  fromVersion: number;
  toVersion: number;
  applied: number[];
}

interface AppliedRow {
  version: number;
  name: string;
}

export function migrate(
  db: Database,
  migrations: readonly Migration[] = knownMigrations,
  nowMs: number = Date.now(),
): MigrationReport {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_ms INTEGER NOT NULL
  )`);
  const appliedRows = db.prepare<[], AppliedRow>(
    'SELECT version, name FROM schema_migrations ORDER BY version',
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)');
  const codeVersion = migrations.at(-1)?.version ?? 0;

  const currentVersion = (): number => {
    const rows = appliedRows.all();
    const newest = rows.at(-1)?.version ?? 0;
    if (newest > codeVersion) throw new SchemaTooNewError(newest, codeVersion);
    for (const row of rows) {
      const known = migrations.find((m) => m.version === row.version);
      if (known?.name !== row.name) throw new SchemaMismatchError(row.version, row.name, known?.name ?? null);
    }
    return newest;
  };

  const fromVersion = currentVersion();
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= fromVersion) continue;
    const apply = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated since we looked.
      if (currentVersion() >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, nowMs);
      applied.push(migration.version);
    });
    apply.immediate();
  }
  return { fromVersion, toVersion: Math.max(fromVersion, codeVersion), applied };
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = i === 0 ? 0 : migrations[i - 1]!.version;
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`migration '${m.name}' has version ${m.version}; versions must be increasing integers`);
    }
  });
}
