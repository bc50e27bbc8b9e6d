// Reads the API key file through the sandbox: WasmEdge gives the server only the directories
// mapped with `--dir`, so the file must lie in one of them. Read failures are named with node's
// error codes, as host/auth/read-json-file.ts reports them ("cannot read the API key file (ENOENT)").
import { readSome } from '../../platform/wasi';
import {
  ERRNO_SUCCESS,
  FILE_RIGHTS,
  WHENCE_END,
  WHENCE_SET,
  fd_close,
  fd_seek,
  path_open,
  preopenedDirectories,
} from '../../platform/wasi-sockets';

// Kubernetes mounts a Secret's files as symlinks into a `..data` directory beside them.
const LOOKUP_SYMLINK_FOLLOW: u32 = 1;
const CELL = memory.data(8);

export class KeyFileText {
  bytes: StaticArray<u8> = new StaticArray<u8>(0);
  /** Set when the file is outside the mapped directories or unreadable; the start-up message. */
  problem: string | null = null;
}

/** A path as WasmEdge lists preopens: without leading `/` or `./`, without trailing `/`. */
export function sandboxPath(path: string): string {
  let p = path;
  while (p.startsWith('/') || p.startsWith('./')) p = p.substring(p.startsWith('/') ? 1 : 2);
  while (p.endsWith('/')) p = p.substring(0, p.length - 1);
  return p;
}

function errnoName(errno: u16): string {
  switch (errno) {
    case 2:
      return 'EACCES';
    case 31:
      return 'EISDIR';
    case 32:
      return 'ELOOP';
    case 44:
      return 'ENOENT';
    case 54:
      return 'ENOTDIR';
    case 63:
      return 'EPERM';
    case 76:
      return 'ENOTCAPABLE';
  }
  return 'WASI errno ' + errno.toString();
}

function failed(result: KeyFileText, problem: string): KeyFileText {
  result.problem = problem;
  return result;
}

/** The file's bytes, from the most specific mapped directory that holds `path`. */
export function readKeyFile(path: string): KeyFileText {
  const result = new KeyFileText();
  const wanted = sandboxPath(path);
  const mapped = preopenedDirectories();
  let dirFd = -1;
  let bestLength = -1;
  let relative = '';
  for (let i = 0; i < mapped.length; i++) {
    const dir = sandboxPath(unchecked(mapped[i]));
    const whole = dir.length == 0 || (dir == '.' && !path.startsWith('/'));
    const inside = whole || wanted.startsWith(dir + '/');
    if (inside && dir.length > bestLength && wanted.length > dir.length) {
      // Preopens are numbered from fd 3 in the order preopenedDirectories() lists them.
      dirFd = 3 + i;
      bestLength = dir.length;
      relative = whole ? wanted : wanted.substring(dir.length + 1);
    }
  }
  if (dirFd < 0) {
    const slash = path.lastIndexOf('/');
    const dir = slash > 0 ? path.substring(0, slash) : slash == 0 ? '/' : '.';
    return failed(
      result,
      'the API key file is not in a directory mapped into the sandbox (wasmedge --dir ' +
        dir +
        ':<host path>)',
    );
  }
  const name = String.UTF8.encode(relative);
  const errno = path_open(
    <u32>dirFd,
    LOOKUP_SYMLINK_FOLLOW,
    changetype<usize>(name),
    <u32>name.byteLength,
    0,
    FILE_RIGHTS,
    FILE_RIGHTS,
    0,
    CELL,
  );
  if (errno != ERRNO_SUCCESS)
    return failed(result, 'cannot read the API key file (' + errnoName(errno) + ')');
  const fd = load<u32>(CELL);
  const seek = fd_seek(fd, 0, WHENCE_END, CELL);
  const size = seek == ERRNO_SUCCESS ? load<i64>(CELL) : -1;
  if (size < 0 || size > 16 << 20 || fd_seek(fd, 0, WHENCE_SET, CELL) != ERRNO_SUCCESS) {
    fd_close(fd);
    return failed(
      result,
      'cannot read the API key file (' + (seek == ERRNO_SUCCESS ? 'EFBIG' : errnoName(seek)) + ')',
    );
  }
  const bytes = new StaticArray<u8>(<i32>size);
  let got = 0;
  while (got < <i32>size) {
    const n = readSome(fd, changetype<usize>(bytes) + <usize>got, <usize>(<i32>size - got));
    if (n <= 0) break;
    got += <i32>n;
  }
  fd_close(fd);
  if (got != <i32>size) return failed(result, 'cannot read the API key file (EIO)');
  result.bytes = bytes;
  return result;
}
