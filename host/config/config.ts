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
  /** Unwritten log output held for a slow stdout reader; beyond it lines are dropped (host/logging). */
  logBacklogBytes: number;
  /** Requests this slow get their request log line at info, like failed ones (host/logging/request-log.ts). */
  logSlowRequestMs: number;
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
  cacheMaxBytes: number;
  cacheMaxEntryBytes: number;
  /** One event-query page holds at most this many stored event bytes (at least one event). */
  queryPageMaxBytes: number;
  /** Live streams open at once: GET /events/stream and WebSocket subscriptions together. */
  liveMaxStreams: number;
  liveBatchBytes: number;
  liveStallTimeoutMs: number;
  webhookTimeoutMs: number;
  webhookRetryMaxMs: number;
  /** Host names, addresses and CIDRs webhooks may reach although internal (lowercased; empty: none). */
  webhookAllowedDestinations: readonly string[];
  trackingEnabled: boolean;
  /** GET /trace work budget per walk, and walks at once. */
  traceMaxEdges: number;
  traceMaxTimeMs: number;
  traceMaxConcurrent: number;
  /** Sidecar mode: tail DATA_DIR/journal/ (tracker-server.wasm's journal segments) into SQLite. */
  journalTail: boolean;
  journalPollIntervalMs: number;
  /** Longest wait of a request with Edgetrace-Journal-Seq for the tail to store up to it. */
  journalSeqWaitMs: number;
  /** Sidecar mode: size at which DATA_DIR/inbound/ starts a new segment. */
  inboundSegmentBytes: number;
  /** Sidecar mode: newly stored journal + inbound records between two state snapshots. */
  snapshotEveryRecords: number;
  captureLimitEvents: number;
  captureLimitBytes: number;
  /** Deepest element nesting of an XML capture body (host/xml). */
  xmlMaxDepth: number;
  /** Capture documents at least this large go through the ingest worker thread (file databases only). */
  captureWorkerMinBytes: number;
  /** Ingest worker threads for those documents (IngestWorkerPool): one prepares while another writes. */
  captureWorkers: number;
  maxUrlLength: number;
  /** Request line and headers must arrive within this (node's headersTimeout); then 408. */
  httpHeadersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (node's requestTimeout); then 408. */
  httpRequestTimeoutMs: number;
  /** Failed authentications per client address and window before 429. */
  authFailureLimit: number;
  authFailureWindowMs: number;
  apiKeysFile: string | null;
  jwt: JwtSettings | null;
  shutdownTimeoutMs: number;
}
