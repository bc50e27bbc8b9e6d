// A writer process killed (SIGKILL) in the middle of group commits: on reopening, every write it
// acknowledged is there, and every stored event is whole (its identifier, link and outbox rows
// committed with it). Runs the compiled store (npm run build:host), as the service does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../host/store/open-database.js';
import { tempDir } from '../../unit/store/helpers/store-fixtures.js';

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));
const COMPILED = fileURLToPath(new URL('../../../dist/host/store/group-committer.js', import.meta.url));

/** Starts the writer, kills it once it has acknowledged `acks` events, returns the acknowledged IDs. */
function writeUntilKilled(path: string, synchronous: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, synchronous], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.split('\n').length > acks + 1) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${err}`));
      resolve(out.split('\n').flatMap((line) => (line.startsWith('ack ') ? [line.slice(4)] : [])));
    });
  });
}

describe('a writer process killed mid-write', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('needs the compiled store (npm run build:host)', () => {
    expect(existsSync(COMPILED), `${COMPILED} is missing; run npm run build:host`).toBe(true);
  });

  for (const synchronous of ['NORMAL', 'FULL']) {
    it(`keeps every acknowledged event and no partial one (synchronous=${synchronous})`, async () => {
      const path = join(tmp.dir, 'site.db');
      const acknowledged: string[] = [];
      for (let round = 0; round < 3; round++)
        acknowledged.push(...(await writeUntilKilled(path, synchronous, 200 + round * 150)));

      const db = openDatabase({ path, synchronous: 'FULL' });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set(db.prepare('SELECT event_id FROM events').pluck().all() as string[]);
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
        const partial = db
          .prepare(
            `SELECT e.event_id FROM events e
             WHERE (SELECT count(*) FROM event_epcs x WHERE x.seq = e.seq) != 4
                OR (SELECT count(*) FROM event_links l WHERE l.seq = e.seq) != 3
                OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = e.seq)`,
          )
          .pluck()
          .all();
        expect(partial).toEqual([]);
        expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(stored.size);
      } finally {
        db.close();
      }
    });
  }
});
