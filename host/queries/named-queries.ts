// Named queries and their subscriptions as one service the routes talk to: definitions and
// subscriptions in SQLite, webhook deliveries in the WebhookWorker, open WebSocket streams per query.
// Deleting a query ends everything that hangs off it (EPCIS.md §1.6: "forcibly ends all
// subscriptions"): its rows go in one commit, then its deliveries stop and its sockets close. Every
// write resolves only after its commit, so what a route answers is already durable.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EventQuery, IdentifierCanon } from '../query/event-query.js';
import type { DestinationPolicy } from './destination-policy.js';
import type { EventFeedPort } from './feed-port.js';
import { type NamedQuery, NamedQueryStore } from './named-query-store.js';
import { parseQueryBody, type QueryBodyResult } from './query-body.js';
import { startPosition } from './subscription-reader.js';
import type { SubscriptionRequest } from './subscription-request.js';
import { type Subscription, SubscriptionStore } from './subscription-store.js';
import type { WebhookWorker } from './webhook-worker.js';

/** An open WebSocket stream of a named query, closed when the query is deleted. */
export interface ClosableStream {
  close(code: number, reason: string): void;
}

export interface NamedQueriesDeps {
  db: Database;
  queries: NamedQueryStore;
  subscriptions: SubscriptionStore;
  worker: WebhookWorker;
  feed: EventFeedPort;
  /** definitionCanon(): the identifier rules for stored definitions. */
  canon: IdentifierCanon;
  destinations: DestinationPolicy;
}

export class NamedQueries {
  private readonly streams = new Map<string, Set<ClosableStream>>();

  constructor(private readonly deps: NamedQueriesDeps) {}

  get queries(): NamedQueryStore {
    return this.deps.queries;
  }

  get subscriptions(): SubscriptionStore {
    return this.deps.subscriptions;
  }

  /** Checks and parses a query body with the parser GET /events uses. */
  parseBody(body: unknown): QueryBodyResult {
    return parseQueryBody(body, this.deps.canon);
  }

  /** Parses a stored definition (it parsed when it was created). */
  parse(query: NamedQuery): QueryBodyResult {
    return this.parseBody(JSON.parse(query.queryJson) as unknown);
  }

  /** The parsed EventQuery of a named query, or null when there is none by that name. */
  eventQuery(name: string): { query: EventQuery; definition: NamedQuery } | null {
    const definition = this.deps.queries.get(name);
    if (definition === null) return null;
    const parsed = this.parse(definition);
    return parsed.ok ? { query: parsed.query, definition } : null;
  }

  /** Whether webhook deliveries may go to dest (its address, or what its name resolves to now). */
  allowsDestination(dest: string): Promise<boolean> {
    return this.deps.destinations.allows(dest);
  }

  async delete(name: string): Promise<boolean> {
    if (!(await this.deps.queries.delete(name))) return false;
    const reason = closeReason(`the named query ${name} was deleted`, 'the named query was deleted');
    for (const stream of this.streams.get(name) ?? []) stream.close(1000, reason);
    this.streams.delete(name);
    await this.deps.worker.stopQuery(name);
    return true;
  }

  /**
   * Stores a subscription and starts its deliveries; null when the named query was deleted first.
   * Its start position is read now; events committed while the row waits for its commit lie after
   * that position, so the runner delivers them too.
   */
  async subscribe(
    queryName: string,
    request: SubscriptionRequest,
    epcFormat: string,
    nowMs = Date.now(),
  ): Promise<Subscription | null> {
    const initialRecordTimeMs = request.initialRecordTimeMs ?? nowMs;
    const position = startPosition(this.deps.db, initialRecordTimeMs, this.deps.feed.headSeq());
    const subscription: Subscription = {
      subscriptionId: randomUUID(),
      queryName,
      dest: request.dest,
      signatureToken: request.signatureToken,
      schedule: request.schedule?.schedule ?? null,
      reportIfEmpty: request.reportIfEmpty,
      epcFormat,
      initialRecordTimeMs,
      catchUpSeq: position.catchUpSeq,
      deliveredSeq: position.deliveredSeq,
      createdMs: nowMs,
      lastNotifiedMs: null,
      failedAttempts: 0,
      nextAttemptMs: null,
      lastError: null,
    };
    if (!(await this.deps.subscriptions.create(subscription))) return null;
    this.deps.worker.launch(subscription);
    return subscription;
  }

  async unsubscribe(queryName: string, subscriptionId: string): Promise<boolean> {
    if (!(await this.deps.subscriptions.delete(queryName, subscriptionId))) return false;
    await this.deps.worker.stopSubscription(subscriptionId);
    return true;
  }

  /** Registers an open stream; returns the function that forgets it when it ends. */
  track(queryName: string, stream: ClosableStream): () => void {
    const set = this.streams.get(queryName) ?? new Set<ClosableStream>();
    set.add(stream);
    this.streams.set(queryName, set);
    return () => {
      set.delete(stream);
      if (set.size === 0 && this.streams.get(queryName) === set) this.streams.delete(queryName);
    };
  }
}

// A WebSocket close reason holds at most 123 bytes (RFC 6455 §5.5); long query names do not fit.
function closeReason(full: string, short: string): string {
  return Buffer.byteLength(full) <= 123 ? full : short;
}
