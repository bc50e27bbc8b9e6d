// A WASI command around the server's scrypt, for its test against node's crypto.scrypt and for
// timing it under each WasmEdge runtime (tests/integration/wasmedge-server/scrypt.test.ts builds it
// with `asc assembly/server/auth/scrypt-command.ts`). It is not part of tracker-server.wasm.
//   scrypt-command <ln> <r> <p> <length> <salt hex> <password hex> [runs]
// prints {"derived":"<hex>","ms":[<ms of each run>]}, or a message on stderr and exit 2.
import { writeHex } from '../../hash/hex';
import { scrypt } from '../../hash/scrypt';
import { commandArguments, proc_exit, STDERR, STDOUT, writeAll } from '../../platform/wasi';
import { monotonicMs } from '../../platform/wasi-sockets';
import { hexToBytes } from './key-bytes';

function say(fd: u32, text: string): void {
  const bytes = String.UTF8.encode(text + '\n');
  writeAll(fd, changetype<usize>(bytes), <usize>bytes.byteLength);
}

export function _start(): void {
  const args = commandArguments();
  if (args.length < 7) {
    say(STDERR, 'usage: scrypt-command <ln> <r> <p> <length> <salt hex> <password hex> [runs]');
    proc_exit(2);
    return;
  }
  const logN = I32.parseInt(args[1]);
  const r = I32.parseInt(args[2]);
  const p = I32.parseInt(args[3]);
  const length = I32.parseInt(args[4]);
  const salt = hexToBytes(args[5]);
  const password = hexToBytes(args[6]);
  const runs = args.length > 7 ? I32.parseInt(args[7]) : 1;
  if (
    salt === null ||
    password === null ||
    logN < 1 ||
    logN > 24 ||
    r < 1 ||
    p < 1 ||
    length < 1 ||
    runs < 1
  ) {
    say(STDERR, 'scrypt-command: bad arguments');
    proc_exit(2);
    return;
  }
  const out = new StaticArray<u8>(length);
  let times = '';
  for (let i = 0; i < runs; i++) {
    const start = monotonicMs();
    scrypt(
      changetype<usize>(password),
      password.length,
      changetype<usize>(salt),
      salt.length,
      logN,
      r,
      p,
      changetype<usize>(out),
      length,
    );
    times += (i > 0 ? ',' : '') + (monotonicMs() - start).toString();
  }
  const hex = new StaticArray<u8>(length * 2);
  writeHex(changetype<usize>(out), length, changetype<usize>(hex));
  say(
    STDOUT,
    '{"derived":"' +
      String.UTF8.decodeUnsafe(changetype<usize>(hex), <usize>(length * 2)) +
      '","ms":[' +
      times +
      ']}',
  );
}
