// The service's configuration: parsed and checked once at start by loadConfig(), then frozen.
export interface JwtSettings {
  file: string;
  issuer: string;
  audience: string;
  scopeClaim: string;
}

export interface AmqpTlsFiles {
  caFile: string | null;
  certFile: string | null;
  keyFile: string | null;
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
  /** A file holding the broker URL (mounted secret); read by host/sync at every connect. */
  amqpUrlFile: string | null;
  amqpTls: AmqpTlsFiles;
  role: 'site' | 'hub';
  siteId: string;
  syncNamespace: string;
  siteRoutesFile: string | null;
  syncPublishBatch: number;
  syncPublishWindow: number;
  syncPrefetch: number;
  syncMaxAttempts: number;
  cacheEnabled: boolean;
  cacheTtlMs: number;
  webhookTimeoutMs: number;
  webhookRetryMaxMs: number;
  trackingEnabled: boolean;
  captureLimitEvents: number;
  captureLimitBytes: number;
  maxUrlLength: number;
  apiKeysFile: string | null;
  jwt: JwtSettings | null;
  shutdownTimeoutMs: number;
}
