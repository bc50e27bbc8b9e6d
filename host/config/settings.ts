// Every configuration key the service reads, in one table: its environment variable, its
// command-line flag, its default and what it means. The README's configuration table is generated
// from this list (tests/unit/config/readme-table.test.ts fails when they drift apart).
import {
  type Parsed,
  parseBoolean,
  parseByteSize,
  parseDuration,
  parseInteger,
  parseOneOf,
  parseText,
  parseUrl,
} from './parse-value.js';

export interface Setting {
  /** Property of the raw settings object. */
  name: string;
  /** Environment variable; the deployment's ConfigMap keys keep their lowercase names. */
  env: string;
  flag: string;
  /** Default as written in the README; null when the key is unset by default. */
  defaultText: string | null;
  unit: string;
  description: string;
  parse: (text: string) => Parsed<unknown>;
}

export const SETTINGS: readonly Setting[] = [
  {
    name: 'port',
    env: 'PORT',
    flag: '--port',
    defaultText: '8080',
    unit: 'TCP port',
    description: 'HTTP port of the EPCIS and tracking API.',
    parse: parseInteger(0, 65535),
  },
  {
    name: 'host',
    env: 'HOST',
    flag: '--host',
    defaultText: '0.0.0.0',
    unit: 'address',
    description: 'Listen address. Without API keys or JWKS configured the service listens on 127.0.0.1 only.',
    parse: parseText,
  },
  {
    name: 'dataDir',
    env: 'DATA_DIR',
    flag: '--data-dir',
    defaultText: './data',
    unit: 'path',
    description: 'Folder of the SQLite database (edgetrace.db, WAL mode) and other local state.',
    parse: parseText,
  },
  {
    name: 'sqliteSynchronous',
    env: 'SQLITE_SYNCHRONOUS',
    flag: '--sqlite-synchronous',
    defaultText: 'FULL',
    unit: 'NORMAL or FULL',
    description:
      'SQLite durability: FULL survives power loss; NORMAL survives process crashes and is faster.',
    parse: parseOneOf(['NORMAL', 'FULL'] as const),
  },
  {
    name: 'logLevel',
    env: 'LOG_LEVEL',
    flag: '--log-level',
    defaultText: 'info',
    unit: 'level',
    description: 'pino log level: fatal, error, warn, info, debug or trace.',
    parse: parseOneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  },
  {
    name: 'syncEnabled',
    env: 'sync_enabled',
    flag: '--sync-enabled',
    defaultText: null,
    unit: 'boolean',
    description: 'Publish captured events to RabbitMQ. Defaults to true exactly when AMQP_URL is set.',
    parse: parseBoolean,
  },
  {
    name: 'syncIntervalMs',
    env: 'sync_interval',
    flag: '--sync-interval',
    defaultText: '10s',
    unit: 'duration',
    description: 'Longest delay before an idle outbox is flushed to the broker.',
    parse: parseDuration,
  },
  {
    name: 'amqpUrl',
    env: 'AMQP_URL',
    flag: '--amqp-url',
    defaultText: null,
    unit: 'URL',
    description: 'RabbitMQ broker (amqp:// or amqps://). Unset: sync off, events wait in the outbox.',
    parse: parseUrl(['amqp:', 'amqps:']),
  },
  {
    name: 'siteId',
    env: 'SITE_ID',
    flag: '--site-id',
    defaultText: 'local',
    unit: 'name',
    description: 'Name of this site, recorded as the origin of every event captured here.',
    parse: parseText,
  },
  {
    name: 'cacheEnabled',
    env: 'cache_enabled',
    flag: '--cache-enabled',
    defaultText: 'true',
    unit: 'boolean',
    description: 'Cache query results; a cached answer is only reused while no new event was stored.',
    parse: parseBoolean,
  },
  {
    name: 'cacheTtlMs',
    env: 'cache_ttl',
    flag: '--cache-ttl',
    defaultText: '300s',
    unit: 'duration',
    description: 'Longest time a cached query result is kept.',
    parse: parseDuration,
  },
  {
    name: 'trackingEnabled',
    env: 'TRACKING_ENABLED',
    flag: '--tracking-enabled',
    defaultText: 'true',
    unit: 'boolean',
    description: 'Keep the in-memory state index (rebuilt from SQLite at start) and serve the tracking API.',
    parse: parseBoolean,
  },
  {
    name: 'captureLimitEvents',
    env: 'CAPTURE_LIMIT_EVENTS',
    flag: '--capture-limit-events',
    defaultText: '10000',
    unit: 'events',
    description: 'Most events one POST /capture may carry (GS1-EPCIS-Capture-Limit).',
    parse: parseInteger(1, 1_000_000),
  },
  {
    name: 'captureLimitBytes',
    env: 'CAPTURE_LIMIT_BYTES',
    flag: '--capture-limit-bytes',
    defaultText: '16MiB',
    unit: 'size',
    description: 'Largest request body accepted (GS1-EPCIS-Capture-File-Size-Limit).',
    parse: parseByteSize,
  },
  {
    name: 'maxUrlLength',
    env: 'MAX_URL_LENGTH',
    flag: '--max-url-length',
    defaultText: '8192',
    unit: 'characters',
    description: 'Longer request URLs are refused with 414 URITooLongException.',
    parse: parseInteger(256, 1_000_000),
  },
  {
    name: 'apiKeysFile',
    env: 'API_KEYS_FILE',
    flag: '--api-keys-file',
    defaultText: null,
    unit: 'path',
    description: 'JSON file of hashed API keys with scopes (capture, query, admin).',
    parse: parseText,
  },
  {
    name: 'jwksFile',
    env: 'JWKS_FILE',
    flag: '--jwks-file',
    defaultText: null,
    unit: 'path',
    description: 'JWKS file to verify JWT bearer tokens offline; needs JWT_ISSUER and JWT_AUDIENCE.',
    parse: parseText,
  },
  {
    name: 'jwtIssuer',
    env: 'JWT_ISSUER',
    flag: '--jwt-issuer',
    defaultText: null,
    unit: 'string',
    description: 'Required `iss` of JWTs.',
    parse: parseText,
  },
  {
    name: 'jwtAudience',
    env: 'JWT_AUDIENCE',
    flag: '--jwt-audience',
    defaultText: null,
    unit: 'string',
    description: 'Required `aud` of JWTs.',
    parse: parseText,
  },
  {
    name: 'jwtScopeClaim',
    env: 'JWT_SCOPE_CLAIM',
    flag: '--jwt-scope-claim',
    defaultText: 'scope',
    unit: 'claim name',
    description: 'JWT claim holding the scopes (space-separated string or array).',
    parse: parseText,
  },
  {
    name: 'shutdownTimeoutMs',
    env: 'SHUTDOWN_TIMEOUT',
    flag: '--shutdown-timeout',
    defaultText: '10s',
    unit: 'duration',
    description: 'On SIGTERM: time to finish in-flight requests and commits before closing.',
    parse: parseDuration,
  },
];
