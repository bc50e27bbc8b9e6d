// Wrong API key secrets sent from a separate node process. Measured on the auth rate-limit test:
// building and sending a wave of 20 requests, and taking in their answers, held the test process's
// event loop 12-42 ms at a time, and the GET /health probe timed in that same loop counted it as the
// service's latency. From a child process the attacker's own work no longer delays the probe. The
// child is started, and has booted node (100-200 ms of CPU), before the caller lets it send.
import { spawn } from 'node:child_process';
import type { Answer } from './http-request.js';

export interface GuessWaves {
  url: string;
  /** Every request carries `Authorization: Bearer <prefix><32 random bytes, base64url>`. */
  bearerPrefix: string;
  guesses: number;
  /** Requests in flight at once; the next wave starts when all of a wave are answered. */
  concurrency: number;
  timeoutMs?: number;
}

// Plain CommonJS for `node -e`: the child needs nothing from the project.
const SCRIPT = `
const { request } = require('node:http');
const { randomBytes } = require('node:crypto');
const { url, bearerPrefix, guesses, concurrency, timeoutMs } = JSON.parse(process.argv[1]);
const send = () => new Promise((resolve, reject) => {
  const authorization = 'Bearer ' + bearerPrefix + randomBytes(32).toString('base64url');
  const outgoing = request(url, { headers: { authorization }, agent: false, timeout: timeoutMs }, (response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (body += chunk));
    response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
    response.on('error', reject);
  });
  outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within ' + timeoutMs + ' ms')));
  outgoing.on('error', reject);
  outgoing.end();
});
const run = async () => {
  const answers = [];
  for (let sent = 0; sent < guesses; sent += concurrency) {
    const wave = Math.min(concurrency, guesses - sent);
    answers.push(...(await Promise.all(Array.from({ length: wave }, send))));
  }
  process.stdout.write(JSON.stringify(answers));
};
process.stdin.once('data', () =>
  run().catch((error) => {
    process.stderr.write(String(error));
    process.exit(1);
  }),
);
process.stdout.write('ready\\n');`;

export interface GuessingProcess {
  /** Lets the child send its guesses; resolves with every answer, in order. */
  send(): Promise<Answer[]>;
  kill(): void;
}

/** Starts the attacking process and resolves once it is ready to send. */
export function startGuessingProcess(waves: GuessWaves): Promise<GuessingProcess> {
  const options = { ...waves, timeoutMs: waves.timeoutMs ?? 10_000 };
  const child = spawn(process.execPath, ['-e', SCRIPT, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((settle) => child.on('close', settle));
  const failed = (code: number | null) => new Error(`the attacking process failed (exit ${code}): ${err}`);
  return new Promise((resolve, reject) => {
    const onReady = () => {
      if (!out.startsWith('ready\n')) return;
      child.stdout.off('data', onReady);
      out = '';
      resolve({
        send: async () => {
          child.stdin.end('go\n');
          const code = await exited;
          if (code !== 0) throw failed(code);
          return JSON.parse(out) as Answer[];
        },
        kill: () => child.kill('SIGKILL'),
      });
    };
    child.stdout.on('data', onReady);
    void exited.then((code) => reject(failed(code)));
  });
}
