// Reads the configuration from command-line flags, environment variables and the files of
// SETTINGS_DIR (in that order of precedence), checks every value, applies defaults, and returns a
// frozen Config. Any unknown or malformed key stops the start with a message naming the key.
import { join, resolve } from 'node:path';
import type { Config } from './config.js';
import { readSettingFiles, type SettingFile } from './read-setting-files.js';
import { type Setting, SETTINGS } from './settings.js';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// Environment variables that look like ours but are not known are probably misspelt.
const OUR_PREFIXES = [
  'EDGETRACE_',
  'SYNC_',
  'CACHE_',
  'TRACKING_',
  'TRACE_',
  'CAPTURE_',
  'JWT_',
  'SQLITE_',
  'LIVE_',
  'sync_',
  'cache_',
];

const comparable = (name: string) => name.toLowerCase().replace(/^-+/, '').replace(/[-_]/g, '');

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A hint naming the known key closest to a misspelt one, if any is close. */
function closest(name: string): string {
  const wanted = comparable(name);
  let best: Setting | undefined;
  let bestDistance = 3;
  for (const setting of SETTINGS) {
    const distance = Math.min(
      editDistance(wanted, comparable(setting.env)),
      editDistance(wanted, comparable(setting.flag)),
    );
    if (distance < bestDistance) [best, bestDistance] = [setting, distance];
  }
  return best === undefined ? '' : ` (did you mean ${best.env} / ${best.flag}?)`;
}

function parseSetting(setting: Setting, text: string, source: string): unknown {
  const parsed = setting.parse(text);
  if (!parsed.ok) throw new ConfigError(`${source} has the value "${text}"; expected ${parsed.expected}`);
  return parsed.value;
}

function readFlags(argv: readonly string[]): Map<Setting, string> {
  const values = new Map<Setting, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const setting = SETTINGS.find((s) => s.flag === flag);
    if (setting === undefined) throw new ConfigError(`unknown command-line option ${flag}${closest(flag)}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`command-line option ${flag} needs a value`);
    values.set(setting, value);
  }
  return values;
}

function readEnvironment(env: NodeJS.ProcessEnv): Map<Setting, string> {
  const values = new Map<Setting, string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const setting = SETTINGS.find((s) => s.env === name);
    if (setting !== undefined) values.set(setting, value);
    else if (OUR_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      throw new ConfigError(`unknown configuration key ${name}${closest(name)}`);
    }
  }
  return values;
}

// SETTINGS_DIR: the settings a mounted ConfigMap holds, below flags and environment. Every file must
// be named after a key, as an environment variable must: a misspelt file would otherwise be ignored.
function readSettingsDir(
  fromFlags: Map<Setting, string>,
  fromEnv: Map<Setting, string>,
  cwd: string,
): Map<Setting, { text: string; path: string }> {
  const values = new Map<Setting, { text: string; path: string }>();
  const dirSetting = SETTINGS.find((s) => s.name === 'settingsDir')!;
  const given = fromFlags.get(dirSetting) ?? fromEnv.get(dirSetting);
  if (given === undefined) return values;
  const dir = resolve(cwd, given.trim());
  let files: SettingFile[];
  try {
    files = readSettingFiles(dir);
  } catch (error) {
    throw new ConfigError(`SETTINGS_DIR ${dir} cannot be read: ${(error as Error).message}`);
  }
  for (const { name, text } of files) {
    const setting = SETTINGS.find((s) => s.env === name);
    if (setting === undefined || setting === dirSetting) {
      throw new ConfigError(`unknown setting file ${name} in SETTINGS_DIR ${dir}${closest(name)}`);
    }
    values.set(setting, { text, path: join(dir, name) });
  }
  return values;
}

export function loadConfig(
  env: NodeJS.ProcessEnv,
  argv: readonly string[],
  cwd = process.cwd(),
): Readonly<Config> {
  const fromEnv = readEnvironment(env);
  const fromFlags = readFlags(argv);
  const fromFiles = readSettingsDir(fromFlags, fromEnv, cwd);
  const raw: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const flagValue = fromFlags.get(setting);
    const envValue = fromEnv.get(setting);
    const file = fromFiles.get(setting);
    if (flagValue !== undefined) raw[setting.name] = parseSetting(setting, flagValue, setting.flag);
    else if (envValue !== undefined) raw[setting.name] = parseSetting(setting, envValue, setting.env);
    else if (file !== undefined) raw[setting.name] = parseSetting(setting, file.text, file.path);
    else
      raw[setting.name] =
        setting.defaultText === null
          ? null
          : parseSetting(setting, setting.defaultText, `default of ${setting.env}`);
  }
  return Object.freeze(assemble(raw, cwd));
}

function assemble(raw: Record<string, unknown>, cwd: string): Config {
  const amqpUrl = raw['amqpUrl'] as string | null;
  const amqpUrlFile = raw['amqpUrlFile'] as string | null;
  if (amqpUrl !== null && amqpUrlFile !== null) {
    throw new ConfigError('set either AMQP_URL or AMQP_URL_FILE, not both');
  }
  const brokerConfigured = amqpUrl !== null || amqpUrlFile !== null;
  const syncEnabled = (raw['syncEnabled'] as boolean | null) ?? brokerConfigured;
  if (syncEnabled && !brokerConfigured) {
    throw new ConfigError('sync_enabled is true but AMQP_URL is not set (nor AMQP_URL_FILE)');
  }
  const role = raw['role'] as Config['role'];
  const siteId = (raw['siteId'] as string | null) ?? defaultSiteId(syncEnabled, role);
  const amqpTls = {
    caFile: raw['amqpCaFile'] as string | null,
    certFile: raw['amqpCertFile'] as string | null,
    keyFile: raw['amqpKeyFile'] as string | null,
  };
  if ((amqpTls.certFile === null) !== (amqpTls.keyFile === null)) {
    throw new ConfigError('AMQP_CERT_FILE and AMQP_KEY_FILE go together: set both or neither');
  }
  const jwksFile = raw['jwksFile'] as string | null;
  const issuer = raw['jwtIssuer'] as string | null;
  const audience = raw['jwtAudience'] as string | null;
  if (jwksFile !== null && (issuer === null || audience === null)) {
    throw new ConfigError('JWKS_FILE is set, so JWT_ISSUER and JWT_AUDIENCE must be set too');
  }
  const dataDir = resolve(cwd, raw['dataDir'] as string);
  return {
    port: raw['port'] as number,
    host: raw['host'] as string,
    dataDir,
    databaseFile: join(dataDir, 'edgetrace.db'),
    sqliteSynchronous: raw['sqliteSynchronous'] as Config['sqliteSynchronous'],
    logLevel: raw['logLevel'] as Config['logLevel'],
    logBacklogBytes: raw['logBacklogBytes'] as number,
    logSlowRequestMs: raw['logSlowRequestMs'] as number,
    syncEnabled,
    syncIntervalMs: raw['syncIntervalMs'] as number,
    amqpUrl,
    amqpUrlFile,
    amqpTls,
    role,
    siteId,
    syncNamespace: raw['syncNamespace'] as string,
    siteRoutesFile: raw['siteRoutesFile'] as string | null,
    syncPublishBatch: raw['syncPublishBatch'] as number,
    syncPublishWindow: raw['syncPublishWindow'] as number,
    syncPrefetch: raw['syncPrefetch'] as number,
    syncMaxAttempts: raw['syncMaxAttempts'] as number,
    cacheEnabled: raw['cacheEnabled'] as boolean,
    cacheTtlMs: raw['cacheTtlMs'] as number,
    cacheMaxBytes: raw['cacheMaxBytes'] as number,
    cacheMaxEntryBytes: raw['cacheMaxEntryBytes'] as number,
    queryPageMaxBytes: raw['queryPageMaxBytes'] as number,
    liveMaxStreams: raw['liveMaxStreams'] as number,
    liveBatchBytes: raw['liveBatchBytes'] as number,
    liveStallTimeoutMs: raw['liveStallTimeoutMs'] as number,
    webhookTimeoutMs: raw['webhookTimeoutMs'] as number,
    webhookRetryMaxMs: raw['webhookRetryMaxMs'] as number,
    webhookAllowedDestinations: (raw['webhookAllowedDestinations'] as string[] | null) ?? [],
    trackingEnabled: raw['trackingEnabled'] as boolean,
    traceMaxEdges: raw['traceMaxEdges'] as number,
    traceMaxTimeMs: raw['traceMaxTimeMs'] as number,
    traceMaxConcurrent: raw['traceMaxConcurrent'] as number,
    journalTail: raw['journalTail'] as boolean,
    journalPollIntervalMs: positive(raw, 'journalPollIntervalMs', 'JOURNAL_POLL_INTERVAL'),
    journalSeqWaitMs: raw['journalSeqWaitMs'] as number,
    inboundSegmentBytes: positive(raw, 'inboundSegmentBytes', 'INBOUND_SEGMENT_BYTES'),
    snapshotEveryRecords: raw['snapshotEveryRecords'] as number,
    captureLimitEvents: raw['captureLimitEvents'] as number,
    captureLimitBytes: raw['captureLimitBytes'] as number,
    xmlMaxDepth: raw['xmlMaxDepth'] as number,
    captureWorkerMinBytes: raw['captureWorkerMinBytes'] as number,
    captureWorkers: raw['captureWorkers'] as number,
    maxUrlLength: raw['maxUrlLength'] as number,
    ...httpTimeouts(raw),
    authFailureLimit: raw['authFailureLimit'] as number,
    authFailureWindowMs: positive(raw, 'authFailureWindowMs', 'AUTH_FAILURE_WINDOW'),
    apiKeysFile: raw['apiKeysFile'] as string | null,
    jwt:
      jwksFile === null
        ? null
        : {
            file: jwksFile,
            issuer: issuer!,
            audience: audience!,
            scopeClaim: raw['jwtScopeClaim'] as string,
          },
    shutdownTimeoutMs: raw['shutdownTimeoutMs'] as number,
  };
}

function positive(raw: Record<string, unknown>, name: string, key: string): number {
  const value = raw[name] as number;
  if (value < 1) throw new ConfigError(`${key} must be longer than 0`);
  return value;
}

// node's http server refuses a headers timeout longer than the request timeout, and 0 turns a
// timeout off, which would bring back clients that hold a request open forever.
function httpTimeouts(
  raw: Record<string, unknown>,
): Pick<Config, 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs'> {
  const httpHeadersTimeoutMs = raw['httpHeadersTimeoutMs'] as number;
  const httpRequestTimeoutMs = raw['httpRequestTimeoutMs'] as number;
  if (httpHeadersTimeoutMs < 1 || httpRequestTimeoutMs < 1) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT and HTTP_REQUEST_TIMEOUT must be longer than 0');
  }
  if (httpHeadersTimeoutMs > httpRequestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT must not be longer than HTTP_REQUEST_TIMEOUT');
  }
  return { httpHeadersTimeoutMs, httpRequestTimeoutMs };
}

// Every synced event carries its origin site, so two sites must never share a name: with sync on,
// a site must be named explicitly. The hub is one per fleet, and without sync nothing leaves the site.
function defaultSiteId(syncEnabled: boolean, role: Config['role']): string {
  if (role === 'hub') return 'hub';
  if (syncEnabled) {
    throw new ConfigError(
      'SITE_ID is required when sync is on (ROLE=site): name this site, e.g. SITE_ID=plant-lyon',
    );
  }
  return 'local';
}

/** The README's configuration table, generated from SETTINGS. */
export function configurationTable(): string {
  const rows = SETTINGS.map(
    (s) =>
      `| \`${s.env}\` | \`${s.flag}\` | ${s.defaultText === null ? '(unset)' : `\`${s.defaultText}\``} | ${s.unit} | ${s.description} |`,
  );
  return ['| environment | flag | default | unit | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
