// The outbox backlog a site holds after an outage: a store of `events` captured events whose outbox
// rows are all unsent, built once without HTTP by the service bench's store builder (the real core
// prepares every event, the service's EventWriter stores it with its outbox row; origin
// "bench-site") and kept in BENCH_SYNC_DIR. Each run works on a fresh copy, since publishing marks
// the rows sent.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { queryStore } from '../service/setup/build-query-store.js';

export const BACKLOG_SITE = 'bench-site';

export interface Backlog {
  /** The pristine store (never opened by a service). */
  sourceDir: string;
  events: number;
  buildSeconds: number | null;
  databaseBytes: number;
}

export async function backlogStore(workDir: string, events: number, fresh: boolean): Promise<Backlog> {
  const store = await queryStore(workDir, events, fresh);
  return {
    sourceDir: store.dataDir,
    events,
    buildSeconds: store.buildSeconds,
    databaseBytes: store.databaseBytes,
  };
}

/** A data dir for one service run holding a copy of the backlog's database. */
export function copyBacklog(backlog: Backlog, runDir: string): string {
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  copyFileSync(join(backlog.sourceDir, 'edgetrace.db'), join(runDir, 'edgetrace.db'));
  return runDir;
}
