import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseApiKey } from '../../../host/auth/api-key-format.js';
import * as keyHash from '../../../host/auth/api-key-hash.js';
import { loadApiKeys } from '../../../host/auth/api-keys.js';
import { createApiKey, runCreateApiKey } from '../../../host/auth/create-api-key.js';
import { VerificationCache } from '../../../host/auth/verification-cache.js';
import { tempFolder, writeJson, writeKeyFile } from './helpers/auth-fixtures.js';

// Wraps the real hash check so tests can count how often a key is actually hashed.
vi.mock('../../../host/auth/api-key-hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../host/auth/api-key-hash.js')>();
  return { ...real, keyMatchesHash: vi.fn(real.keyMatchesHash) };
});

describe('createApiKey', () => {
  it('makes an et_ key with a selector and a scrypt entry that never contains the key', async () => {
    const { key, entry } = await createApiKey({ id: 'scanner-dock-3', scopes: ['capture'] });
    expect(key).toMatch(/^et_[A-Za-z0-9_-]{11}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key)).toEqual({ selector: entry.selector });
    expect(entry).toEqual({
      id: 'scanner-dock-3',
      selector: entry.selector,
      hash: expect.stringMatching(/^scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/),
      scopes: ['capture'],
    });
    expect(JSON.stringify(entry)).not.toContain(key.slice(15));
  });

  it('makes a sha256 entry on request', async () => {
    const { entry } = await createApiKey({ id: 'k', scopes: ['query', 'admin'], hash: 'sha256' });
    expect(entry.hash).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(entry.scopes).toEqual(['query', 'admin']);
  });

  it('never makes the same key twice', async () => {
    const keys = await Promise.all(
      Array.from({ length: 20 }, () => createApiKey({ id: 'k', scopes: ['query'], hash: 'sha256' })),
    );
    expect(new Set(keys.map((k) => k.key)).size).toBe(20);
  });
});

describe('create-api-key CLI', () => {
  it('prints the key once and the JSON entry for the key file', async () => {
    const { exitCode, output } = await runCreateApiKey(['--id', 'dock-3', '--scopes', 'capture,query']);
    expect(exitCode).toBe(0);
    const [key] = output.match(/^et_\S+$/m) ?? [];
    expect(key).toBeDefined();
    expect(output.split(key as string)).toHaveLength(2);
    const entry = JSON.parse(output.trim().split('\n').at(-1) as string) as { id: string; scopes: string[] };
    expect(entry).toMatchObject({ id: 'dock-3', scopes: ['capture', 'query'] });
  });

  it.each([
    [['--id', 'x'], /usage/],
    [['--id', 'x', '--scopes', 'capture,write'], /unknown scope 'write'/],
    [['--id', 'has space', '--scopes', 'query'], /--id must be/],
    [['--id', 'x', '--scopes', 'query', '--hash', 'md5'], /--hash must be scrypt or sha256/],
    [['--id', 'x', '--scopes', 'query', '--colour'], /Unknown option/],
  ])('refuses %j with a usage message', async (argv, message) => {
    const { exitCode, output } = await runCreateApiKey(argv);
    expect(exitCode).toBe(2);
    expect(output).toMatch(message);
  });
});

describe('API key verification', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  beforeEach(async () => {
    folder = await tempFolder();
    vi.mocked(keyHash.keyMatchesHash).mockClear();
  });
  afterEach(() => folder.cleanup());

  it('accepts each configured key with its own id and scopes, for both hash kinds', async () => {
    const { file, keys } = await writeKeyFile(folder.path('keys.json'), [
      { id: 'dock', scopes: ['capture'] },
      { id: 'dashboard', scopes: ['query'], hash: 'sha256' },
    ]);
    const verifier = await loadApiKeys(file);
    expect(verifier.keyCount).toBe(2);
    const dock = await verifier.verify(keys['dock'] as string);
    const dashboard = await verifier.verify(keys['dashboard'] as string);
    expect(dock).toEqual({
      ok: true,
      principal: { id: 'dock', kind: 'api-key', scopes: new Set(['capture']) },
    });
    expect(dashboard).toEqual({
      ok: true,
      principal: { id: 'dashboard', kind: 'api-key', scopes: new Set(['query']) },
    });
  });

  it('rejects a key whose secret differs from the configured one', async () => {
    const { file, keys } = await writeKeyFile(folder.path('keys.json'), [
      { id: 'dock', scopes: ['capture'] },
    ]);
    const key = keys['dock'] as string;
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const verifier = await loadApiKeys(file);
    expect(await verifier.verify(tampered)).toEqual({ ok: false, detail: 'the API key is not known' });
  });

  it('rejects an unknown selector without hashing anything', async () => {
    const { file } = await writeKeyFile(folder.path('keys.json'), [{ id: 'dock', scopes: ['capture'] }]);
    const verifier = await loadApiKeys(file);
    const stranger = (await createApiKey({ id: 'x', scopes: ['capture'], hash: 'sha256' })).key;
    expect(await verifier.verify(stranger)).toEqual({ ok: false, detail: 'the API key is not known' });
    expect(await verifier.verify('et_short')).toEqual({ ok: false, detail: 'the API key is malformed' });
    expect(keyHash.keyMatchesHash).not.toHaveBeenCalled();
  });

  it('hashes a valid key once and answers repeats from the cache', async () => {
    const { file, keys } = await writeKeyFile(folder.path('keys.json'), [
      { id: 'dock', scopes: ['capture'] },
    ]);
    const verifier = await loadApiKeys(file);
    for (let i = 0; i < 5; i++) expect((await verifier.verify(keys['dock'] as string)).ok).toBe(true);
    expect(keyHash.keyMatchesHash).toHaveBeenCalledTimes(1);
  });

  it('hashes a wrong key once and refuses its repeats without hashing, as a quick verdict', async () => {
    const { file, keys } = await writeKeyFile(folder.path('keys.json'), [
      { id: 'dock', scopes: ['capture'], hash: 'sha256' },
    ]);
    const verifier = await loadApiKeys(file);
    const wrong = (keys['dock'] as string).slice(0, -2) + 'xx';
    expect(verifier.quickVerdict(wrong)).toBeNull();
    for (let i = 0; i < 3; i++) expect((await verifier.verify(wrong)).ok).toBe(false);
    expect(verifier.quickVerdict(wrong)).toEqual({ ok: false, detail: 'the API key is not known' });
    expect(keyHash.keyMatchesHash).toHaveBeenCalledTimes(1);
  });

  it('remembers refused keys apart from valid ones, so a flood of made-up keys never evicts a valid key', async () => {
    const { file, keys } = await writeKeyFile(folder.path('keys.json'), [
      { id: 'dock', scopes: ['capture'], hash: 'sha256' },
    ]);
    const verifier = await loadApiKeys(file);
    const valid = keys['dock'] as string;
    const madeUp = (i: number) => `${valid.slice(0, -43)}${String(i).padStart(43, '0')}`;
    expect((await verifier.verify(valid)).ok).toBe(true);
    for (let i = 0; i < 3000; i++) expect((await verifier.verify(madeUp(i))).ok).toBe(false);

    expect(verifier.quickVerdict(valid)).toMatchObject({ ok: true });
    expect(verifier.quickVerdict(madeUp(2999))).toMatchObject({ ok: false });
  });

  it('fails at load when the file names an unknown scope, without quoting hashes', async () => {
    const { entry } = await createApiKey({ id: 'dock', scopes: ['capture'] });
    const file = await writeJson(folder.path('keys.json'), {
      keys: [{ ...entry, scopes: ['capture', 'delete'] }],
    });
    const failure = loadApiKeys(file);
    await expect(failure).rejects.toThrow(`${file}: keys[0] ("dock"): scopes unknown scope 'delete'`);
    await expect(failure).rejects.not.toThrow(entry.hash.split('$')[3] as string);
  });
});

describe('VerificationCache', () => {
  it('evicts the least recently used entry when full', () => {
    const cache = new VerificationCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });
});
