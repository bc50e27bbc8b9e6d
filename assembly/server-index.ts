// tracker-server.wasm: the standalone HTTP/1.1 server under WasmEdge, a second entry built from the
// same core as tracker.wasm (asconfig.json target "server"). `_start` reads its settings, opens the listener
// where access control allows (server/auth/listen-address.ts: HOST with an API key file, 127.0.0.1
// without), says where it listens on stdout, and runs the event loop.
import { commandArguments, proc_exit, STDERR, STDOUT, writeAll } from './platform/wasi';
import { environmentEntries, realtimeMs } from './platform/wasi-sockets';
import { openDataDirectory } from './server/files/data-directory';
import { openJournal, snapshotInboundSeq } from './server/capture/server-store';
import { replayInbound } from './server/inbound/inbound-tail';
import { serve } from './server/event-loop';
import { startFromSnapshot } from './server/snapshot/snapshot-load';
import { markServerStart } from './server/metrics/server-metrics';
import { readiness } from './server/readiness/readiness';
import { setSidecarPort } from './server/forward/sidecar-pool';
import { RequestLimits } from './server/request-limits';
import { readServerConfig } from './server/server-config';
import { openListener } from './server/socket-calls';
import { setUpAccessControl } from './server/auth/access-setup';

const BACKLOG: i32 = 1024;
// A global: the event loop collects garbage, and the minimal runtime does not scan the stack.
const limits = new RequestLimits();

function say(fd: u32, text: string): void {
  const bytes = String.UTF8.encode(text + '\n');
  writeAll(fd, changetype<usize>(bytes), <usize>bytes.byteLength);
}

/** A JSON string of ASCII text without quotes or backslashes to escape (the access-control lines). */
function jsonText(text: string): string {
  return '"' + text + '"';
}

function stop(text: string, code: u32): void {
  say(STDERR, 'tracker-server.wasm: ' + text);
  proc_exit(code);
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
  // A mapped directory or one below a mapped directory (K3s's runtimes map only `/`).
  const dataDirectory = openDataDirectory(config.dataDir);
  const dataDirProblem = dataDirectory.problem;
  if (dataDirProblem !== null) {
    stop(dataDirProblem, 2);
    return;
  }
  const dataDirFd = dataDirectory.fd;
  // The key file is checked before anything else is read: a bad one stops the start (exit 2).
  const access = setUpAccessControl(
    config.apiKeysFile,
    config.host,
    config.authFailureLimit,
    config.authFailureWindowMs,
  );
  const accessProblem = access.problem;
  if (accessProblem !== null) {
    stop(accessProblem, 2);
    return;
  }
  const listenHost = access.listen.host;
  // The journal is replayed before the port opens: nothing is answered from a partial index. The
  // newest valid snapshot comes first; the journal then applies only the records after it.
  const snapshotJournalSeq = startFromSnapshot(dataDirFd);
  const replay = openJournal(dataDirFd, config.journalSegmentBytes, snapshotJournalSeq);
  if (replay.error.length > 0) {
    stop('the journal in ' + config.dataDir + ': ' + replay.error, 1);
    return;
  }
  // Then the events the sidecar stored by other paths (sync, its own port) after the snapshot's.
  const inbound = replayInbound(dataDirFd, snapshotInboundSeq);
  readiness.dataDirFd = dataDirFd;
  readiness.indexLoaded = true;
  markServerStart(replay.lastSeq, realtimeMs());
  const listener = openListener(access.listen.address, config.port, BACKLOG);
  if (listener.fd < 0) {
    stop(
      'cannot listen on ' +
        listenHost +
        ':' +
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
    '{"msg":"journal replayed","segments":' +
      replay.segments.toString() +
      ',"records":' +
      replay.records.toString() +
      ',"lastSeq":' +
      replay.lastSeq.toString() +
      ',"cutBytes":' +
      replay.cutBytes.toString() +
      '}',
  );
  say(
    STDOUT,
    '{"msg":"inbound replayed","records":' +
      inbound.records.toString() +
      ',"lastSeq":' +
      inbound.lastSeq.toString() +
      '}',
  );
  const accessLine = access.listen.warning !== null ? access.listen.warning : access.description;
  if (accessLine !== null) say(STDOUT, '{"msg":' + jsonText(accessLine) + '}');
  say(STDOUT, '{"msg":"Server listening at http://' + listenHost + ':' + config.port.toString() + '"}');
  stop(serve(listener.fd, limits), 1);
}
