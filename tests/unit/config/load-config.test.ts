import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configurationTable, ConfigError, loadConfig } from '../../../host/config/load-config.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';

const load = (env: Record<string, string> = {}, argv: string[] = []) =>
  loadConfig(env, argv, '/srv/edgetrace');

describe('configuration', () => {
  it('runs with embedded defaults: port 8080, SQLite under ./data, sync off', () => {
    const config = load();
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/srv/edgetrace/data',
      databaseFile: '/srv/edgetrace/data/edgetrace.db',
      syncEnabled: false,
      syncIntervalMs: 10_000,
      cacheEnabled: true,
      cacheTtlMs: 300_000,
      trackingEnabled: true,
      sqliteSynchronous: 'FULL',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the ConfigMap keys of the deployment by their own names', () => {
    const config = load({
      sync_enabled: 'true',
      AMQP_URL: 'amqp://broker:5672',
      SITE_ID: 'plant-lyon',
      sync_interval: '2s',
      cache_enabled: 'false',
      cache_ttl: '1m',
      TRACKING_ENABLED: 'false',
    });
    expect(config).toMatchObject({
      syncEnabled: true,
      syncIntervalMs: 2000,
      cacheEnabled: false,
      cacheTtlMs: 60_000,
      trackingEnabled: false,
    });
  });

  it('turns sync on when a broker URL is configured, unless told otherwise', () => {
    expect(load({ AMQP_URL: 'amqp://127.0.0.1', SITE_ID: 'a' }).syncEnabled).toBe(true);
    expect(load({ AMQP_URL_FILE: '/run/secrets/amqp-url', SITE_ID: 'a' }).syncEnabled).toBe(true);
    expect(load({ AMQP_URL: 'amqp://127.0.0.1', sync_enabled: 'false' }).syncEnabled).toBe(false);
  });

  it('names the site: required when sync is on, hub for the hub, local without sync', () => {
    expect(load().siteId).toBe('local');
    expect(load({ AMQP_URL: 'amqp://127.0.0.1', ROLE: 'hub' })).toMatchObject({ role: 'hub', siteId: 'hub' });
    expect(load({ AMQP_URL: 'amqp://127.0.0.1', SITE_ID: 'dc-7' })).toMatchObject({
      role: 'site',
      siteId: 'dc-7',
    });
  });

  it('lets command-line flags override environment variables', () => {
    expect(load({ PORT: '9000' }, ['--port', '9100']).port).toBe(9100);
    expect(load({}, ['--data-dir=/var/lib/et']).dataDir).toBe('/var/lib/et');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT has the value "eighty"; expected a whole number/],
    [{ sync_interval: '10' }, /sync_interval .*expected a duration with a unit/],
    [{ cache_enabled: 'maybe' }, /cache_enabled .*expected true or false/],
    [{ AMQP_URL: 'http://broker' }, /AMQP_URL .*amqp:\/\//],
    [{ SYNC_INTERVAL: '5s' }, /unknown configuration key SYNC_INTERVAL \(did you mean sync_interval/],
    [{ sync_enable: 'true' }, /unknown configuration key sync_enable/],
    [{ sync_enabled: 'true' }, /sync_enabled is true but AMQP_URL is not set/],
    [{ AMQP_URL: 'amqp://127.0.0.1' }, /SITE_ID is required when sync is on/],
    [{ SITE_ID: 'plant.lyon' }, /SITE_ID .*letters, digits, - or _/],
    [{ ROLE: 'spoke' }, /ROLE .*one of site, hub/],
    [{ AMQP_URL: 'amqp://h', AMQP_URL_FILE: '/s', SITE_ID: 'a' }, /either AMQP_URL or AMQP_URL_FILE/],
    [{ AMQP_CERT_FILE: '/c.pem' }, /AMQP_CERT_FILE and AMQP_KEY_FILE go together/],
    [{ JWKS_FILE: '/etc/jwks.json' }, /JWT_ISSUER and JWT_AUDIENCE/],
  ])('refuses to start on %o with a message naming the key', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it('refuses unknown command-line options', () => {
    expect(() => load({}, ['--prot', '80'])).toThrow(
      /unknown command-line option --prot \(did you mean PORT/,
    );
    expect(() => load({}, ['--port'])).toThrow(/needs a value/);
  });

  it('is documented in the README by a table generated from the same definitions', () => {
    // Compare cell by cell, so the formatter may align the README's columns.
    const cells = (text: string) =>
      text
        .split('\n')
        .filter((line) => /^\| `[A-Za-z_]+` +\| `--/.test(line))
        .map((line) => line.split('|').map((cell) => cell.trim()));
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(cells(readme)).toEqual(cells(configurationTable()));
  });
});
