// The disk's floor under a durable commit: appending `bytes` to a file and fdatasync()ing it, as
// SQLite does with the WAL at every commit under synchronous=FULL (and at checkpoints under
// NORMAL). Measured on the folder the databases live in, in the same run as the service.
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from '../lib/stats.js';

export interface DiskSync {
  bytes: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function measureDiskSync(dir: string, samples: number, bytes: number): DiskSync {
  const path = join(dir, 'fsync-probe');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(bytes, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      writeSync(fd, block);
      const started = performance.now();
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return {
    bytes,
    samples,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    maxMs: percentile(times, 100),
  };
}
