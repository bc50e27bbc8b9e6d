// A small tmpfs to run a data directory out of space for real (ENOSPC from the kernel, not a mock).
// Mounting needs root (or CAP_SYS_ADMIN); without it the calling test fails with the reason, it does
// not skip.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMMAND_TIMEOUT_MS = 5000;

/** Mounts a tmpfs of `size` (mount's syntax, e.g. '2m') on a new temporary directory and returns it. */
export function mountTmpfs(size: string, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], {
      timeout: COMMAND_TIMEOUT_MS,
      stdio: 'pipe',
    });
  } catch (error) {
    rmdirSync(dir);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`this test mounts a ${size} tmpfs and needs root (or CAP_SYS_ADMIN): ${reason}`);
  }
  return dir;
}

export function unmountTmpfs(dir: string): void {
  try {
    execFileSync('umount', [dir], { timeout: COMMAND_TIMEOUT_MS, stdio: 'pipe' });
  } catch {
    // Still busy (a process that did not die yet): detach it now, the kernel frees it when unused.
    execFileSync('umount', ['-l', dir], { timeout: COMMAND_TIMEOUT_MS, stdio: 'pipe' });
  }
  rmdirSync(dir);
}

/** Writes `path` until the file system refuses (ENOSPC); bounded by the size of the tmpfs. */
export function fillUp(path: string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (const size of [65_536, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x78);
      for (let i = 0; i < 4096; i++) {
        try {
          written += writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
