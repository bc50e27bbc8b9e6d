// What the benchmarks need for the processes they start: a free loopback port for a service, and a
// generator script run in a process of its own that prints its result as the last line of stdout.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nothing listens on at 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs the compiled script at `path` with `input` as its JSON argument; resolves with the JSON of its
 * last stdout line. Killed after `timeoutMs`; a failed exit or a last line that is not JSON rejects.
 */
export function runJsonScript<T>(path: string, name: string, input: object, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [path, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${name} failed (${code ?? signal}): ${stdout.slice(-500)}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${name} printed no result: ${stdout.slice(-500)}`));
      }
    });
  });
}
