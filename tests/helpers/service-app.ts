// The real service, built in-process by the same buildService() host/main.ts uses (SQLite store, tracker.wasm
// core, capture service, metrics, readiness), for HTTP tests that call it with app.inject().
// Every part is real; only the configuration is smaller and the log is silent. Every response
// app.inject() gives is checked against GS1's OpenAPI (openapi-contract.ts): a violation fails the test.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type Logger, pino } from 'pino';
import type { Authenticator } from '../../host/auth/authenticate.js';
import type { Config } from '../../host/config/config.js';
import { loadConfig } from '../../host/config/load-config.js';
import { buildService } from '../../host/app/build-service.js';
import type { Metrics } from '../../host/metrics/metrics.js';
import type { GroupCommitter } from '../../host/store/group-committer.js';
import type { SyncRuntime } from '../../host/sync/sync-runtime.js';
import { openApiContract } from './openapi-contract.js';

export interface ServiceAppOptions {
  /** Overrides of the default configuration (the README defaults). */
  config?: Partial<Config>;
  authenticator?: Authenticator | null;
  /** Keep the database in a temporary file instead of memory. */
  onDisk?: boolean;
  /** The service's logger (silent by default), e.g. to read what sync logs. */
  logger?: Logger;
}

export interface ServiceApp {
  app: FastifyInstance;
  db: Database;
  /** The service's group committer (runExclusive stands in for the ingest worker's write). */
  committer: GroupCommitter;
  config: Readonly<Config>;
  metrics: Metrics;
  /** Sync runtime (relay, consumer, /health/sync); started by the set-up when sync is on. */
  sync: SyncRuntime;
  close(): Promise<void>;
}

export async function buildServiceApp(options: ServiceAppOptions = {}): Promise<ServiceApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'edgetrace-http-'));
  const config: Readonly<Config> = Object.freeze({
    ...loadConfig({}, [], dataDir),
    dataDir,
    databaseFile: options.onDisk === true ? join(dataDir, 'edgetrace.db') : ':memory:',
    sqliteSynchronous: 'NORMAL' as const,
    logLevel: 'silent' as const,
    ...options.config,
  });
  const service = await buildService(config, {
    logger: options.logger ?? pino({ level: 'silent' }),
    authenticator: options.authenticator ?? null,
    pageTokenSecret: randomBytes(32),
  });
  await service.rebuildState();
  checkEveryResponse(service.app);
  return {
    app: service.app,
    db: service.db,
    committer: service.committer,
    config,
    metrics: service.metrics,
    sync: service.sync,
    async close() {
      for (const step of service.closeSteps) await step.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Wraps app.inject so that every response is checked against the OpenAPI contract. Only the promise
 * form (inject(options)) is supported: the chain and callback forms would escape the check.
 */
function checkEveryResponse(app: FastifyInstance): void {
  const contract = openApiContract();
  const inject = app.inject.bind(app);
  const checked = async (options?: InjectOptions | string, ...rest: unknown[]) => {
    if (options === undefined || rest.length > 0) {
      throw new Error(
        'call app.inject(options) and await it, so the response is checked against the OpenAPI',
      );
    }
    const request = typeof options === 'string' ? { method: 'GET', url: options } : options;
    const response = await inject(options);
    const url = request.url ?? request.path ?? '/';
    contract.assert({
      method: (request.method ?? 'GET').toUpperCase(),
      url: typeof url === 'string' ? url : url.pathname,
      statusCode: response.statusCode,
      headers: response.headers,
      body: response.body,
    });
    return response;
  };
  Object.defineProperty(app, 'inject', { value: checked, configurable: true, writable: true });
}

export const JSON_LD = 'application/ld+json';

/** POSTs a JSON value (or raw text) with an EPCIS content type. */
export function post(
  app: FastifyInstance,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': JSON_LD, ...headers },
  } satisfies InjectOptions);
}

export function get(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers });
}

/** The events of an EPCISQueryDocument response body. */
export function eventList(response: LightMyRequestResponse): Record<string, unknown>[] {
  const body = response.json<{
    epcisBody?: { queryResults?: { resultsBody?: { eventList?: Record<string, unknown>[] } } };
  }>();
  const list = body.epcisBody?.queryResults?.resultsBody?.eventList;
  if (!Array.isArray(list)) throw new Error(`not an EPCISQueryDocument: ${response.body.slice(0, 300)}`);
  return list;
}

/** The target of a `Link: <…>; rel="next"` header, or null when there is none. */
export function nextLink(response: LightMyRequestResponse): string | null {
  const header = response.headers['link'];
  if (header === undefined) return null;
  const match = /<([^>]+)>;\s*rel="next"/.exec(String(header));
  return match?.[1] ?? null;
}
