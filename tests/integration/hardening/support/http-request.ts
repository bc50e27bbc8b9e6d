// One HTTP request with what fetch does not let a test choose: the source address of the
// connection (another loopback address stands for another client) and the Host header.
import { request } from 'node:http';

export interface SentRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Source address, e.g. 127.0.0.2: the service then sees another client. */
  localAddress?: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function send(options: SentRequest, timeoutMs = 10_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      options.url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
