// A wrong configuration stops the start at once, before the service touches its data directory or
// opens a port: exit code 2 and a message on stderr that names the offending key.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertServiceBuilt,
  ServiceGroup,
  type TempDir,
  tempDataDir,
} from '../../helpers/service-process.js';

const FAIL_FAST_MS = 5000;

const CASES: { name: string; env: Record<string, string>; named: RegExp }[] = [
  { name: 'a misspelt key', env: { SYNC_INTERVAL: '5s' }, named: /SYNC_INTERVAL.*sync_interval/ },
  { name: 'a malformed port', env: { PORT: 'abc' }, named: /PORT has the value "abc"/ },
  { name: 'an unknown durability level', env: { SQLITE_SYNCHRONOUS: 'OFF' }, named: /SQLITE_SYNCHRONOUS/ },
];

describe('starting with a wrong configuration', () => {
  let tmp: TempDir;
  const services = new ServiceGroup();

  beforeAll(() => assertServiceBuilt());
  beforeEach(() => {
    tmp = tempDataDir();
  });
  afterEach(async () => {
    await services.killAll();
    tmp.remove();
  });

  for (const { name, env, named } of CASES) {
    it(`exits with code 2 within ${FAIL_FAST_MS / 1000} s and names the key (${name})`, async () => {
      const dataDir = join(tmp.dir, 'data');
      const started = Date.now();
      const service = services.spawn({ dataDir, env });
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        service.exited,
        new Promise<null>((done) => (timer = setTimeout(() => done(null), FAIL_FAST_MS))),
      ]);
      clearTimeout(timer);

      expect(exit, `still running after ${FAIL_FAST_MS} ms\n${service.stdout}`).toEqual({
        code: 2,
        signal: null,
      });
      expect(Date.now() - started).toBeLessThan(FAIL_FAST_MS);
      expect(service.stderr).toMatch(/edgetrace: cannot start:/);
      expect(service.stderr).toMatch(named);
      expect(service.stdout).not.toMatch(/Server listening/);
      expect(existsSync(dataDir), 'the data directory was created').toBe(false);
    });
  }
});
