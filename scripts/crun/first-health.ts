// Waits for a server's first `200` to GET /health, as a kubelet's startup probe would see it, and
// says how long after `since` it came. A raw socket rather than fetch: refused connections are
// retried every millisecond or two, and fetch's own set-up would add to the figure.
import { connect } from 'node:net';

const RETRY_MS = 2;

function healthOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.on('connect', () =>
      socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    );
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n')) finish(head.startsWith('HTTP/1.1 200 '));
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/**
 * Milliseconds from `since` (process.hrtime.bigint()) to the first 200 on 127.0.0.1:`port`, or null
 * when none came within `timeoutMs` or `gaveUp()` turned true (the process under test exited).
 */
export async function msToFirstHealth(
  port: number,
  since: bigint,
  timeoutMs: number,
  gaveUp: () => boolean = () => false,
): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !gaveUp()) {
    if (await healthOk(port)) return Number(process.hrtime.bigint() - since) / 1e6;
    await new Promise((done) => setTimeout(done, RETRY_MS));
  }
  return null;
}
