// Node's native SHA-256 (crypto.hash, one call per string) over the pre-hash strings in the JSON
// file named by argv[2], in a process of its own so that run.ts can start it with another
// OPENSSL_ia32cap: with the CPU's SHA extensions masked, OpenSSL falls back to its portable code,
// the like-for-like floor for Wasm, which has no SHA instructions. Prints {"mbPerSecond": n}.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { median, timeRuns } from '../lib/stats.js';

const strings = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as string[];
const messages = strings.map((s) => new TextEncoder().encode(s));
const bytes = messages.reduce((sum, m) => sum + m.length, 0);
const ms = median(
  timeRuns(21, 3, () => {
    for (const m of messages) hash('sha256', m);
  }),
);
console.log(JSON.stringify({ mbPerSecond: bytes / 1e6 / (ms / 1000) }));
