// The WAL checkpointer's thread (wal-checkpointer.ts): its own connection to the database file,
// one PASSIVE checkpoint per request. PASSIVE never waits for a lock, so neither the writers nor
// the readers of the other connections wait for it; what it cannot copy yet it copies next time.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointReply, CheckpointerSetup } from './checkpoint-protocol.js';

const setup = workerData as CheckpointerSetup;
const port = parentPort!;
// Not openDatabase(): the request connections have migrated the file, and this connection only
// copies pages. Its synchronous level decides the checkpoint's fsyncs (WAL before, database after).
const db = new Database(setup.databaseFile);
db.pragma(`synchronous = ${setup.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
db.pragma('busy_timeout = 0');

port.on('message', () => {
  let reply: CheckpointReply;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    reply = { ok: true, walPages: row?.log ?? 0, copiedPages: row?.checkpointed ?? 0 };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
