// GET /health: liveness, the body of host/http/routes/operations-routes.ts. Answering at all is the
// signal: the event loop turns, so the server is alive.
import { Utf8Writer } from '../../json/utf8-writer';
import { HttpRequest } from '../http-request';
import { JSON_TYPE, Reply } from '../response-writer';

export const HEALTH_PATH = '/health';

export function answerHealth(_req: HttpRequest, reply: Reply, body: Utf8Writer): void {
  reply.status = 200;
  reply.contentType = JSON_TYPE;
  body.ascii('{"status":"alive"}');
}
