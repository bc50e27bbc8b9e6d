// Issue 9 item 8: every failed key check cost a full scrypt (~40 ms, 16 MiB), uncached and
// unlimited: 200 wrong secrets for a known selector took 10 s of CPU. The real built service, with
// one scrypt-hashed key, gets those 200 guesses from one client address (a child process), 20 at
// a time, while GET /health is probed one request at a time. Past AUTH_FAILURE_LIMIT the guesses
// are refused with 429 before any scrypt runs, and another client address still authenticates.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../host/auth/create-api-key.js';
import { underAttack } from '../../helpers/attack-probes.js';
import {
  assertServiceBuilt,
  ServiceGroup,
  tempDataDir,
  type TempDir,
} from '../../helpers/service-process.js';
import { startGuessingProcess, type GuessingProcess } from './support/guesses-from-child.js';
import { send } from './support/http-request.js';

const GUESSES = 200;
const CONCURRENCY = 20;
const FAILURE_LIMIT = 10;
/** A 512 MiB pod. */
const RSS_BOUND_BYTES = 512 * 1024 * 1024;

/** User plus system CPU time the process has used, in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The five slowest probe latencies, in ms, for the log line. */
function slowest(latenciesMs: readonly number[]): string {
  return [...latenciesMs]
    .sort((a, b) => b - a)
    .slice(0, 5)
    .map((ms) => ms.toFixed(0))
    .join(', ');
}

describe('wrong API key secrets from one client address', () => {
  const group = new ServiceGroup();
  let data: TempDir | null = null;
  let attacker: GuessingProcess | null = null;
  afterEach(async () => {
    attacker?.kill();
    await group.killAll();
    data?.remove();
  });

  it('are refused with 429 before their scrypt runs, while /health stays fast and other addresses get in', async () => {
    assertServiceBuilt();
    data = tempDataDir('edgetrace-auth-rate-limit-');
    const made = await createApiKey({ id: 'dock-scanner', scopes: ['capture', 'query'] });
    const keyFile = join(data.dir, 'api-keys.json');
    writeFileSync(keyFile, JSON.stringify({ keys: [made.entry] }));
    const service = await group.start({
      dataDir: data.dir,
      env: { API_KEYS_FILE: keyFile, AUTH_FAILURE_LIMIT: String(FAILURE_LIMIT), AUTH_FAILURE_WINDOW: '1m' },
    });
    const events = service.url('/events');
    // The known selector with a made-up secret: only a scrypt of the key file's hash can refuse it.
    const bearerPrefix = made.key.slice(0, -43);
    expect((await fetch(service.url('/health'))).status).toBe(200);
    const cpuBefore = cpuSeconds(service.pid);

    // The guesses come from a child process, started before probing: sending them from this one
    // held its event loop up to 42 ms per wave, and the probe timed here counted that as the
    // service's latency.
    attacker = await startGuessingProcess({
      url: events,
      bearerPrefix,
      guesses: GUESSES,
      concurrency: CONCURRENCY,
    });
    const guessing = attacker;
    const { result, health, peakRssBytes } = await underAttack(
      { baseUrl: service.baseUrl, pid: service.pid },
      () => guessing.send(),
    );
    const cpu = cpuSeconds(service.pid) - cpuBefore;
    const refused = result.filter((answer) => answer.status === 429);
    const verified = result.filter((answer) => answer.status === 401);
    console.log(
      `${GUESSES} wrong secrets: ${verified.length} verified (401), ${refused.length} refused (429), ` +
        `service CPU ${cpu.toFixed(2)} s, health max ${health.maxLatencyMs.toFixed(1)} ms over ` +
        `${health.answered} probes (slowest ${slowest(health.latenciesMs)}), ` +
        `peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    );

    expect(verified.length).toBeLessThanOrEqual(FAILURE_LIMIT);
    expect(refused.length + verified.length).toBe(GUESSES);
    for (const answer of refused) {
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(answer.body)).toMatchObject({
        type: 'epcisException:SecurityException',
        status: 429,
      });
    }
    // One warning for the throttled address, not a log line of its own for each refusal.
    const logged = (msg: string) => service.logLines().filter((line) => line.msg === msg).length;
    expect(logged('client refused after too many failed authentications')).toBe(1);
    expect(logged('request not authenticated')).toBe(verified.length);
    expect(health.failed).toBe(0);
    expect(health.maxLatencyMs).toBeLessThan(100);
    expect(peakRssBytes).toBeLessThan(RSS_BOUND_BYTES);
    const otherClient = await send({
      url: events,
      headers: { authorization: `Bearer ${made.key}` },
      localAddress: '127.0.0.2',
    });
    expect(otherClient.status, otherClient.body).toBe(200);
  }, 45_000);
});
