// The live feed of events stored at this site: GET /events/stream read with fetch() so that it
// carries the Bearer token, resumed after the last seen event (Last-Event-ID) whenever the
// connection drops, newest event on top, a bounded list so a long shift does not grow the page.
import { ApiClient, describeError } from './api-client.js';
import type { EpcisEvent } from './api-types.js';
import { element } from './dom.js';
import { eventIdentifiers, eventLocation, eventTitle } from './event-text.js';
import { idLabel } from './id-label.js';
import { shortId } from './identifiers.js';
import { SseParser } from './sse-parser.js';
import { formatTime } from './time-format.js';

const MAX_ITEMS = 50;
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 15_000];
// The service sends ": ping" every 15 s; silence for longer means a dead connection (a tablet
// roaming between access points often leaves half-open TCP connections behind).
const SILENCE_MS = 40_000;

export type FeedStatus = 'connecting' | 'live' | 'retrying';

const STATUS_TEXT: Record<FeedStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  retrying: 'Reconnecting…',
};

export interface LiveFeedOptions {
  api: ApiClient;
  list: HTMLOListElement;
  status: HTMLElement;
  /** Why the feed is not live, in the service's words. */
  message: HTMLElement;
  onSelect: (epc: string) => void;
}

export class LiveFeed {
  private lastEventId: string | null = null;
  private failures = 0;

  constructor(private readonly options: LiveFeedOptions) {}

  start(): void {
    void this.run();
  }

  private setStatus(status: FeedStatus, detail = ''): void {
    this.options.status.dataset['state'] = status;
    this.options.status.textContent = STATUS_TEXT[status];
    this.options.message.textContent = detail;
  }

  private async run(): Promise<void> {
    for (;;) {
      try {
        await this.readOnce();
        this.setStatus('retrying', 'The service closed the feed.');
      } catch (error) {
        this.setStatus('retrying', describeError(error));
      }
      const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
      this.failures += 1;
      await new Promise((resume) => setTimeout(resume, delay));
    }
  }

  private async readOnce(): Promise<void> {
    this.setStatus('connecting', this.options.message.textContent ?? '');
    const controller = new AbortController();
    const headers: Record<string, string> = { Accept: 'text/event-stream, application/problem+json' };
    if (this.lastEventId !== null) headers['Last-Event-ID'] = this.lastEventId;
    const response = await this.options.api.fetch('/events/stream', {
      headers,
      signal: controller.signal,
      cache: 'no-store',
    });
    if (!response.ok || response.body === null) throw await ApiClient.failure(response);
    this.failures = 0;
    this.setStatus('live');
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const silent = () => controller.abort(new Error(`no data for ${SILENCE_MS / 1000} s`));
    let watchdog = setTimeout(silent, SILENCE_MS);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        clearTimeout(watchdog);
        watchdog = setTimeout(silent, SILENCE_MS);
        for (const message of parser.push(value)) {
          if (message.id !== null) this.lastEventId = message.id;
          if (message.event === 'epcis-event') this.show(message.data);
        }
      }
    } finally {
      clearTimeout(watchdog);
      reader.cancel().catch(() => undefined);
    }
  }

  private show(data: string): void {
    let event: EpcisEvent;
    try {
      event = JSON.parse(data) as EpcisEvent;
    } catch {
      return;
    }
    const ids = eventIdentifiers(event);
    const first = ids[0];
    const item = element(
      'li',
      { class: 'feed-item' },
      element('span', { class: 'feed-time' }, formatTime(event.eventTime)),
      element('span', { class: 'feed-title' }, eventTitle(event)),
      element('span', { class: 'feed-where' }, eventLocation(event)),
      first === undefined
        ? null
        : element(
            'button',
            { type: 'button', class: 'feed-epc', title: `Show ${first}` },
            idLabel(first),
            ids.length > 1 ? ` +${ids.length - 1}` : '',
          ),
    );
    item.title = event.eventID === undefined ? '' : `${eventTitle(event)} — ${shortId(event.eventID)}`;
    item.querySelector('button')?.addEventListener('click', () => {
      if (first !== undefined) this.options.onSelect(first);
    });
    const list = this.options.list;
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastElementChild?.remove();
  }
}
