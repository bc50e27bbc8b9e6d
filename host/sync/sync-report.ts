// What GET /health/sync answers. Sync health is reported apart from /ready on purpose: a site
// without its broker keeps capturing and answering queries, so it stays ready; this report says
// how far behind its sync is. Status codes: 200 when sync is off ("disabled"), both links are
// connected ("ok") or the broker holds publishing back with a resource alarm ("blocked"); 503 when
// sync is on and a link is not connected ("offline", or "starting" before the first connection).
import type { Config } from '../config/config.js';
import type { Outbox } from '../store/outbox.js';
import type { LinkState } from './amqp-link.js';

export type SyncStatus = 'disabled' | 'starting' | 'ok' | 'blocked' | 'offline';

export interface LinkReport {
  state: LinkState;
  connectedAtMs: number | null;
  lastError: { message: string; atMs: number } | null;
}

export interface SyncReport {
  status: SyncStatus;
  httpStatus: 200 | 503;
  body: {
    status: SyncStatus;
    enabled: boolean;
    role: Config['role'];
    siteId: string;
    namespace: string;
    /** The queue this instance consumes, or null when sync is off. */
    queue: string | null;
    /** The broker URL with its password hidden. */
    broker: string | null;
    links: Record<
      'publish' | 'consume',
      { state: LinkState; connectedSince: string | null; lastError: { message: string; at: string } | null }
    >;
    outbox: { depth: number; oldestAgeMs: number | null };
    /** Now minus the record time of the newest confirmed event while the outbox is not empty; 0 when it is. */
    lagMs: number;
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function statusOf(enabled: boolean, links: readonly LinkReport[]): SyncStatus {
  if (!enabled) return 'disabled';
  if (links.every((l) => l.state === 'connected')) return 'ok';
  if (links.every((l) => l.state === 'connected' || l.state === 'blocked')) return 'blocked';
  if (links.some((l) => l.state === 'disconnected')) return 'offline';
  return 'starting';
}

export function buildSyncReport(input: {
  config: Readonly<Config>;
  queue: string | null;
  broker: string | null;
  outbox: Outbox;
  links: Record<'publish' | 'consume', LinkReport>;
  newestConfirmedRecordTimeMs: number | null;
}): SyncReport {
  const { config, outbox, links } = input;
  const nowMs = Date.now();
  const depth = outbox.depth();
  const oldest = outbox.oldestUnsentMs();
  const since = input.newestConfirmedRecordTimeMs ?? oldest;
  const status = statusOf(config.syncEnabled, [links.publish, links.consume]);
  const link = (report: LinkReport) => ({
    state: report.state,
    connectedSince: iso(report.connectedAtMs),
    lastError:
      report.lastError === null
        ? null
        : { message: report.lastError.message, at: iso(report.lastError.atMs)! },
  });
  return {
    status,
    httpStatus: status === 'offline' || status === 'starting' ? 503 : 200,
    body: {
      status,
      enabled: config.syncEnabled,
      role: config.role,
      siteId: config.siteId,
      namespace: config.syncNamespace,
      queue: input.queue,
      broker: input.broker,
      links: { publish: link(links.publish), consume: link(links.consume) },
      outbox: { depth, oldestAgeMs: oldest === null ? null : Math.max(0, nowMs - oldest) },
      lagMs: depth === 0 || since === null ? 0 : Math.max(0, nowMs - since),
    },
  };
}
