// The messages between WalCheckpointer (the owning thread) and checkpoint-worker.ts (its thread).

export interface CheckpointerSetup {
  databaseFile: string;
  synchronous: 'NORMAL' | 'FULL';
}

/** One PASSIVE checkpoint's result: pages in the WAL and how many of them are now in the database. */
export type CheckpointReply =
  { ok: true; walPages: number; copiedPages: number } | { ok: false; message: string };
