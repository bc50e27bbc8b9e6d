// The service's configuration: parsed and checked once at start by loadConfig(), then frozen.
export interface JwtSettings {
  file: string;
  issuer: string;
  audience: string;
  scopeClaim: string;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  syncEnabled: boolean;
  syncIntervalMs: number;
  amqpUrl: string | null;
  siteId: string;
  cacheEnabled: boolean;
  cacheTtlMs: number;
  trackingEnabled: boolean;
  captureLimitEvents: number;
  captureLimitBytes: number;
  maxUrlLength: number;
  apiKeysFile: string | null;
  jwt: JwtSettings | null;
  shutdownTimeoutMs: number;
}
