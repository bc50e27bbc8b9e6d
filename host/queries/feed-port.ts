// What subscriptions use of the live event feed (host/live/event-feed.ts, contracts §B): the head of
// the store, and a push of every matching event after a seq, batch by batch, each batch held back
// until the previous one's promise settles. Declared here so this folder depends on the behaviour,
// and tests can drive it with the real EventFeed.
import type { EventQuery, StoredEventRow } from '../query/event-query.js';

export interface FeedSubscriptionHandle {
  close(): void;
}

export interface EventFeedPort {
  headSeq(): number;
  subscribe(
    query: EventQuery,
    afterSeq: number,
    onBatch: (rows: StoredEventRow[], lastSeq: number) => void | Promise<void>,
    options?: {
      batchLimit?: number;
      onEnd?: (reason: 'feed-closed' | 'query-failed' | 'consumer-failed') => void;
    },
  ): FeedSubscriptionHandle;
}
