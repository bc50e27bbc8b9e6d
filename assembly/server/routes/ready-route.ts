// GET /ready: 200 once the server can answer from its index (readiness/readiness.ts), 503 otherwise, with the
// report as the body, as host/http/routes/operations-routes.ts answers it for the Node service
// (`ready` first, then what it is made of; booleans, then the journal positions).
import { Utf8Writer } from '../../json/utf8-writer';
import { monotonicMs } from '../../platform/wasi-sockets';
import { journal } from '../capture/server-store';
import { HttpRequest } from '../http-request';
import { readiness, journalWritable } from '../readiness/readiness';
import { sidecarReachable } from '../readiness/sidecar-probe';
import { readStoredSeq } from '../readiness/stored-seq';
import { JSON_TYPE, Reply } from '../response-writer';

export const READY_PATH = '/ready';

function flag(body: Utf8Writer, name: string, value: bool): void {
  body.ascii(name);
  body.ascii(value ? 'true' : 'false');
}

export function answerReady(_req: HttpRequest, reply: Reply, body: Utf8Writer): void {
  const indexLoaded = readiness.indexLoaded;
  const writable = journalWritable();
  // A full disk refuses captures (503) but leaves every lookup answerable: the pod stays in the
  // Service, as the Node service stays ready on SQLITE_FULL (readiness/readiness.ts).
  const ready = indexLoaded;
  const storedSeq = readStoredSeq(readiness.dataDirFd);
  reply.status = ready ? 200 : 503;
  reply.contentType = JSON_TYPE;
  body.reset();
  flag(body, '{"ready":', ready);
  flag(body, ',"indexLoaded":', indexLoaded);
  flag(body, ',"journalWritable":', writable);
  flag(body, ',"sidecarReachable":', sidecarReachable(monotonicMs()));
  body.ascii(',"journalLastSeq":');
  body.uint(journal.lastSeq);
  body.ascii(',"storedSeq":');
  if (storedSeq < 0) body.ascii('null');
  else body.int(storedSeq);
  body.byte(0x7d);
}
