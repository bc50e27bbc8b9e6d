// Where state snapshots live, and their durable write (temp file, fsync, rename, directory fsync)
// that keeps the newest two. Two places, one format (assembly/state/snapshot-format.ts):
// - DATA_DIR/snapshot/<journalSeq 20>-<inboundSeq 20>.snap, written by the sidecar (JOURNAL_TAIL)
//   for tracker-server.wasm (docs/wasmedge-server.md "Snapshot"); its Node host starts from them too;
// - DATA_DIR/state-snapshot/<storeSeq 20>.snap, written and read by the Node service alone.
import { mkdirSync, openSync, fsyncSync, closeSync, readdirSync, rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { SNAPSHOT_CRC_OFFSET, SnapshotChecksum } from '../core/snapshot-checksum.js';

export const SNAPSHOT_DIR = 'snapshot';
export const STORE_SNAPSHOT_DIR = 'state-snapshot';
/** The server falls back to the older one when the newest fails its checks. */
const KEEP = 2;
const NAME = /^(\d{20})-(\d{20})\.snap$/;
const STORE_NAME = /^(\d{20})\.snap$/;
const TEMP_SUFFIX = '.tmp';
/** Bytes per write call: each is one turn of the event loop's file I/O, never one long block. */
const WRITE_BYTES = 4 << 20;

export interface SnapshotSeqs {
  journalSeq: number;
  inboundSeq: number;
}

/** What a snapshot covers: the server's seqs (0 without a sidecar) and the Node store's seq. */
export interface SnapshotPosition extends SnapshotSeqs {
  storeSeq: number;
}

/** A folder of snapshots and how its files are named. */
export interface SnapshotPlace {
  dir: string;
  nameOf(position: SnapshotPosition): string;
  /** The snapshot files' names, newest first. */
  list(): string[];
}

const digits = (n: number) => String(n).padStart(20, '0');

export function snapshotName(seqs: SnapshotSeqs): string {
  return `${digits(seqs.journalSeq)}-${digits(seqs.inboundSeq)}.snap`;
}

/** The sidecar's snapshots, named by the server's seqs (which it picks them by). */
export function sidecarSnapshots(dataDir: string): SnapshotPlace {
  const dir = join(dataDir, SNAPSHOT_DIR);
  return { dir, nameOf: snapshotName, list: () => listSnapshots(dir).map((s) => s.name) };
}

/** The Node service's own snapshots, named by the store seq they cover. */
export function storeSnapshots(dataDir: string): SnapshotPlace {
  const dir = join(dataDir, STORE_SNAPSHOT_DIR);
  return {
    dir,
    nameOf: (position) => `${digits(position.storeSeq)}.snap`,
    list: () => namesIn(dir, STORE_NAME),
  };
}

function namesIn(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => pattern.test(name))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** The snapshots in `dir`, newest (highest seqs) first. */
export function listSnapshots(dir: string): (SnapshotSeqs & { name: string })[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const match = NAME.exec(name);
      return match === null ? [] : [{ name, journalSeq: Number(match[1]), inboundSeq: Number(match[2]) }];
    })
    .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/**
 * Writes `parts` (the core's snapshot, CRC not yet filled) as snapshot `seqs` in `dir`: a temp
 * file written in bounded steps, its CRC computed on the way and written last, fsynced,
 * renamed into place, the directory fsynced (so the name is durable too); then removes all but the
 * newest two snapshots and any temp file a crash left. Returns the file's path and size.
 */
export function writeSnapshotFile(
  dir: string,
  seqs: SnapshotSeqs,
  parts: readonly Uint8Array[],
): Promise<{ path: string; bytes: number }> {
  const place: SnapshotPlace = {
    dir,
    nameOf: snapshotName,
    list: () => listSnapshots(dir).map((s) => s.name),
  };
  return writeSnapshotIn(place, { ...seqs, storeSeq: 0 }, parts);
}

/** writeSnapshotFile for any place: named by `position`, the newest two kept. */
export async function writeSnapshotIn(
  place: SnapshotPlace,
  position: SnapshotPosition,
  parts: readonly Uint8Array[],
): Promise<{ path: string; bytes: number }> {
  const { dir } = place;
  mkdirSync(dir, { recursive: true });
  const target = join(dir, place.nameOf(position));
  const temp = target + TEMP_SUFFIX;
  const handle = await open(temp, 'w');
  let bytes = 0;
  const checksum = new SnapshotChecksum();
  try {
    for (const part of parts) {
      for (let at = 0; at < part.length; at += WRITE_BYTES) {
        const piece = part.subarray(at, Math.min(part.length, at + WRITE_BYTES));
        checksum.update(piece);
        await handle.write(piece);
        bytes += piece.length;
      }
    }
    await handle.write(checksum.bytes(), 0, 4, SNAPSHOT_CRC_OFFSET);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  syncDirectory(dir);
  for (const old of place.list().slice(KEEP)) rmSync(join(dir, old), { force: true });
  // A temp file left by a crash mid-write is never read (the server lists *.snap only).
  for (const name of readdirSync(dir))
    if (name.endsWith(TEMP_SUFFIX)) rmSync(join(dir, name), { force: true });
  return { path: target, bytes };
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
