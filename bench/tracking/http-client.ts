// One request over kept-alive node:http connections, timed from the request to the answer's last
// byte: the trace walk (run from the orchestrator, a process of its own, one request at a time),
// sampling answers before a load run, and the seeding documents.
import http from 'node:http';

export interface Answer {
  status: number;
  /** The URL path of the Link header's rel="next", when there is one. */
  next: string | null;
  body: string;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function nextLink(header: string | string[] | undefined): string | null {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec([header ?? []].flat().join(', '));
  if (match === null) return null;
  const url = new URL(match[1]!, 'http://127.0.0.1');
  return url.pathname + url.search;
}

export function get(origin: string, path: string): Promise<Answer> {
  return send(origin, 'GET', path, { accept: 'application/json' });
}

export function post(origin: string, path: string, contentType: string, body: Buffer): Promise<Answer> {
  return send(origin, 'POST', path, { 'content-type': contentType, 'content-length': body.length }, body);
}

function send(
  origin: string,
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders,
  body?: Buffer,
): Promise<Answer> {
  const url = new URL(origin);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, agent, headers, timeout: 60_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            next: nextLink(response.headers.link),
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Stops the kept-alive connection so the orchestrator can exit. */
export function closeConnections(): void {
  agent.destroy();
}
