// tracker-server.wasm: the standalone HTTP/1.1 server under WasmEdge, a second entry built from the
// same core as tracker.wasm (asconfig.json target "server"). `_start` reads its settings, opens the listener
// on 127.0.0.1 (no credentials are configured in this server yet, and the Node service listens
// there too without them), says where it listens on stdout, and runs the event loop.
import { commandArguments, proc_exit, STDERR, STDOUT, writeAll } from './platform/wasi';
import { environmentEntries, preopenedDirectories } from './platform/wasi-sockets';
import { openJournal } from './server/capture/server-store';
import { serve } from './server/event-loop';
import { setSidecarPort } from './server/forward/sidecar-pool';
import { RequestLimits } from './server/request-limits';
import { readServerConfig } from './server/server-config';
import { openListener } from './server/socket-calls';

const LOOPBACK: u32 = 0x7f000001;
const BACKLOG: i32 = 1024;
// A global: the event loop collects garbage, and the minimal runtime does not scan the stack.
const limits = new RequestLimits();

function say(fd: u32, text: string): void {
  const bytes = String.UTF8.encode(text + '\n');
  writeAll(fd, changetype<usize>(bytes), <usize>bytes.byteLength);
}

function stop(text: string, code: u32): void {
  say(STDERR, 'tracker-server.wasm: ' + text);
  proc_exit(code);
}

/** WasmEdge reports a mapped `/data` as `data`: compare paths without leading `/`, `./` or a trailing `/`. */
function sandboxPath(path: string): string {
  let p = path;
  while (p.startsWith('/') || p.startsWith('./')) p = p.substring(p.startsWith('/') ? 1 : 2);
  while (p.endsWith('/')) p = p.substring(0, p.length - 1);
  return p;
}

export function _start(): void {
  const args = commandArguments();
  const config = readServerConfig(args.slice(1), environmentEntries());
  const configError = config.error;
  if (configError !== null) {
    stop(configError, 2);
    return;
  }
  setSidecarPort(config.sidecarPort);
  // Preopens are numbered from fd 3 in the order preopenedDirectories() lists them.
  const mapped = preopenedDirectories().map<string>((p) => sandboxPath(p));
  const dataDirIndex = mapped.indexOf(sandboxPath(config.dataDir));
  if (dataDirIndex < 0) {
    stop(
      'the data directory ' +
        config.dataDir +
        ' is not mapped into the sandbox (wasmedge --dir ' +
        config.dataDir +
        ':<host path>)',
      2,
    );
    return;
  }
  // The journal is replayed before the port opens: nothing is answered from a partial index.
  const replay = openJournal(3 + dataDirIndex);
  if (replay.error.length > 0) {
    stop('the journal in ' + config.dataDir + ': ' + replay.error, 1);
    return;
  }
  const listener = openListener(LOOPBACK, config.port, BACKLOG);
  if (listener.fd < 0) {
    stop(
      'cannot listen on 127.0.0.1:' +
        config.port.toString() +
        ': ' +
        listener.step +
        ' failed with WASI errno ' +
        listener.errno.toString(),
      1,
    );
    return;
  }
  say(
    STDOUT,
    '{"msg":"journal replayed","records":' +
      replay.records.toString() +
      ',"lastSeq":' +
      replay.lastSeq.toString() +
      ',"cutBytes":' +
      replay.cutBytes.toString() +
      '}',
  );
  say(STDOUT, '{"msg":"Server listening at http://127.0.0.1:' + config.port.toString() + '"}');
  stop(serve(listener.fd, limits), 1);
}
