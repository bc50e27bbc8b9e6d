// Finds the data directory in the sandbox. WasmEdge gives the module only the directories mapped
// with `--dir guest:host`, and K3s's runtimes (runwasi's containerd-shim-wasmedge, crun's wasmedge
// handler) map just `/`, the pod's volumes mounted below it. So the data directory is either a
// preopen itself or lies below one: then it is opened once, here, and that fd is the one every
// journal, inbound, snapshot, stored-seq and probe file is opened under.
import {
  ERRNO_SUCCESS,
  OFLAGS_DIRECTORY,
  path_open,
  preopenedDirectories,
} from '../../platform/wasi-sockets';

// Every right a directory fd can pass on or use, except the four that make WasmEdge 0.14.1 open the
// node O_WRONLY (FD_DATASYNC, FD_WRITE, FD_ALLOCATE, FD_FILESTAT_SET_SIZE: lib/host/wasi/vinode.cpp
// pathOpen), which Linux refuses for a directory. The preopen's own base rights are this set's
// PATH_* and FD_READDIR part; FD_SYNC is harmless (not a write right there) and lets '.' be synced.
const WRITE_RIGHTS: u64 = (1 << 0) | (1 << 6) | (1 << 8) | (1 << 22);
const DATA_DIRECTORY_BASE_RIGHTS: u64 = 0x1fffffff & ~WRITE_RIGHTS;
// Files under it are opened with every file right (FILE_RIGHTS), and WasmEdge checks a child's
// rights against its parent's inheriting rights: a preopen's are exactly 0x1fffffff.
const DATA_DIRECTORY_INHERITING_RIGHTS: u64 = 0x1fffffff;
// A volume may be mounted through a symlink; WasmEdge resolves it inside the sandbox.
const LOOKUP_SYMLINK_FOLLOW: u32 = 1;
const ERRNO_NOENT: i32 = 44;
const ERRNO_NOTDIR: i32 = 54;
const CELL = memory.data(8);

export class DataDirectory {
  /** The fd the data directory's files are opened under; -1 when `problem` is set. */
  fd: i32 = -1;
  /** Why the server cannot use the directory: the start-up message (exit 2). */
  problem: string | null = null;
}

function refused(problem: string): DataDirectory {
  const result = new DataDirectory();
  result.problem = problem;
  return result;
}

/**
 * The path's components without empty and '.' ones: WasmEdge lists a mapped `/data` as `data`, and
 * the server has always taken `./data` and `/data` alike.
 */
function components(path: string): Array<string> {
  const parts = path.split('/');
  const result = new Array<string>();
  for (let i = 0; i < parts.length; i++) {
    const part = unchecked(parts[i]);
    if (part.length > 0 && part != '.') result.push(part);
  }
  return result;
}

/** How many leading components of `dir` `mapped` covers, or -1 when it is not `dir` or an ancestor. */
function coverage(mapped: Array<string>, dir: Array<string>): i32 {
  if (mapped.length > dir.length) return -1;
  for (let i = 0; i < mapped.length; i++) {
    if (unchecked(mapped[i]) != unchecked(dir[i])) return -1;
  }
  return mapped.length;
}

/** Opens the directory `relative` below `dirFd` for the data directory's uses; -errno on failure. */
function openBelow(dirFd: i32, relative: string): i32 {
  const bytes = String.UTF8.encode(relative);
  const errno = path_open(
    <u32>dirFd,
    LOOKUP_SYMLINK_FOLLOW,
    changetype<usize>(bytes),
    <u32>bytes.byteLength,
    OFLAGS_DIRECTORY,
    DATA_DIRECTORY_BASE_RIGHTS,
    DATA_DIRECTORY_INHERITING_RIGHTS,
    0,
    CELL,
  );
  return errno == ERRNO_SUCCESS ? load<i32>(CELL) : -(<i32>errno);
}

/** Opens `dataDir` through the nearest mapped directory that is it or lies above it. */
export function openDataDirectory(dataDir: string): DataDirectory {
  const wanted = components(dataDir);
  // The sandbox cannot leave a preopen, and `x/../y` would name another directory than it says.
  if (wanted.includes('..')) {
    return refused('the data directory ' + dataDir + " has a '..' component: give its path without one");
  }
  const preopens = preopenedDirectories();
  let best = -1;
  let bestCovered = -1;
  for (let i = 0; i < preopens.length; i++) {
    const name = unchecked(preopens[i]);
    // A guest `.` covers relative paths only, as the API key file's lookup has it.
    if (name == '.' && dataDir.startsWith('/')) continue;
    const covered = coverage(components(name), wanted);
    if (covered > bestCovered) {
      best = i;
      bestCovered = covered;
    }
  }
  if (best < 0) {
    return refused(
      'the data directory ' +
        dataDir +
        ' is not mapped into the sandbox (wasmedge --dir ' +
        dataDir +
        ':<host path>, or map a directory above it)',
    );
  }
  // Preopens are numbered from fd 3 in the order preopenedDirectories() lists them.
  const preopenFd = 3 + best;
  const result = new DataDirectory();
  if (bestCovered == wanted.length) {
    result.fd = preopenFd;
    return result;
  }
  const fd = openBelow(preopenFd, wanted.slice(bestCovered).join('/'));
  const mappedAs = unchecked(preopens[best]);
  if (fd == -ERRNO_NOENT) {
    return refused('the data directory ' + dataDir + ' does not exist in the mapped directory ' + mappedAs);
  }
  if (fd == -ERRNO_NOTDIR) return refused('the data directory ' + dataDir + ' is not a directory');
  if (fd < 0) {
    return refused('cannot open the data directory ' + dataDir + ' (WASI errno ' + (-fd).toString() + ')');
  }
  result.fd = fd;
  return result;
}
