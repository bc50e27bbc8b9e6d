import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../host/config/load-config.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder laid out as kubelet mounts a ConfigMap: real files in ..<timestamp>/, keys are symlinks via ..data. */
function mountedConfigMap(data: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-settings-'));
  dirs.push(dir);
  const version = join(dir, '..2026_12_07_04_00_00.123456789');
  mkdirSync(version);
  for (const [key, value] of Object.entries(data)) writeFileSync(join(version, key), value);
  symlinkSync('..2026_12_07_04_00_00.123456789', join(dir, '..data'));
  for (const key of Object.keys(data)) symlinkSync(join('..data', key), join(dir, key));
  return dir;
}

describe('SETTINGS_DIR (settings from a mounted ConfigMap)', () => {
  it('reads the deployment ConfigMap keys from their files', () => {
    const dir = mountedConfigMap({
      sync_enabled: 'true\n',
      sync_interval: '2s\n',
      cache_enabled: 'false',
      cache_ttl: '1m',
      TRACKING_ENABLED: 'false\n',
      SITE_ID: 'plant-lyon\n',
    });
    const config = loadConfig(
      {},
      ['--settings-dir', dir, '--amqp-url-file', '/run/secrets/amqp-url'],
      '/srv',
    );
    expect(config).toMatchObject({
      syncEnabled: true,
      syncIntervalMs: 2000,
      cacheEnabled: false,
      cacheTtlMs: 60_000,
      trackingEnabled: false,
      siteId: 'plant-lyon',
    });
  });

  it('lets environment variables and flags win over the files', () => {
    const dir = mountedConfigMap({ cache_ttl: '1m', sync_interval: '2s' });
    const config = loadConfig({ SETTINGS_DIR: dir, cache_ttl: '5s' }, ['--sync-interval', '3s'], '/srv');
    expect(config).toMatchObject({ cacheTtlMs: 5000, syncIntervalMs: 3000 });
  });

  it('refuses a file named after no setting, suggesting the closest key', () => {
    const dir = mountedConfigMap({ cache_tll: '1m' });
    expect(() => loadConfig({ SETTINGS_DIR: dir }, [], '/srv')).toThrow(
      new ConfigError(
        `unknown setting file cache_tll in SETTINGS_DIR ${dir} (did you mean cache_ttl / --cache-ttl?)`,
      ),
    );
  });

  it('names the file whose value is malformed', () => {
    const dir = mountedConfigMap({ sync_interval: '10' });
    expect(() => loadConfig({ SETTINGS_DIR: dir }, [], '/srv')).toThrow(
      `${join(dir, 'sync_interval')} has the value "10"; expected a duration with a unit`,
    );
  });

  it('stops the start when the folder is missing, rather than running on defaults', () => {
    expect(() => loadConfig({}, ['--settings-dir', 'no-such-folder'], '/srv')).toThrow(
      /^SETTINGS_DIR \/srv\/no-such-folder cannot be read: ENOENT/,
    );
  });

  it('does not let the folder name another settings folder', () => {
    const dir = mountedConfigMap({ SETTINGS_DIR: '/elsewhere' });
    expect(() => loadConfig({ SETTINGS_DIR: dir }, [], '/srv')).toThrow(/unknown setting file SETTINGS_DIR/);
  });
});
