// GET /metrics/server: this server's own metrics (metrics/metrics-page.ts). /metrics stays the
// sidecar's (forwarded): in the pod the sidecar's port is loopback-only, so its metrics are
// scraped through :8080 like everything else, and the two registries live in two processes.
import { Utf8Writer } from '../../json/utf8-writer';
import { HttpRequest } from '../http-request';
import { writeServerMetrics } from '../metrics/metrics-page';
import { PROMETHEUS_TYPE } from '../metrics/prometheus-text';
import { Reply } from '../response-writer';

export const SERVER_METRICS_PATH = '/metrics/server';

export function answerServerMetrics(_req: HttpRequest, reply: Reply, body: Utf8Writer): void {
  reply.status = 200;
  reply.contentType = PROMETHEUS_TYPE;
  body.reset();
  writeServerMetrics(body);
}
