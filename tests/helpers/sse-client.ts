// A small Server-Sent Events reader over node:http for tests: it parses the stream the way
// EventSource does (fields, blank-line dispatch, an id without data only moves lastEventId) and
// keeps everything it saw, so a test can wait for events, pause reading, or drop the connection.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  /** What EventSource would send as Last-Event-ID on reconnection. */
  lastEventId: string | null = null;
  retryMs: number | null = null;
  /** Settles when the server ends the stream or the connection closes. */
  readonly ended: Promise<void>;
  private buffer = '';
  private pending: { id: string | null; event: string; data: string[] } = { id: null, event: '', data: [] };
  private endedNow = false;

  private constructor(
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    private readonly response: IncomingMessage,
    readonly body: Promise<string>,
  ) {
    this.ended = new Promise((resolve) => {
      response.on('end', resolve);
      response.on('close', resolve);
      response.on('error', resolve);
    });
    void this.ended.then(() => (this.endedNow = true));
  }

  /** Connects and resolves once the response headers arrived (the stream's start is fixed by then). */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        response.setEncoding('utf8');
        if (response.statusCode !== 200) {
          let text = '';
          response.on('data', (chunk: string) => (text += chunk));
          const body = new Promise<string>((done) => response.on('end', () => done(text)));
          resolve(new SseClient(response.statusCode ?? 0, response.headers, response, body));
          return;
        }
        const client = new SseClient(200, response.headers, response, Promise.resolve(''));
        response.on('data', (chunk: string) => client.feed(chunk));
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  get hasEnded(): boolean {
    return this.endedNow;
  }

  ids(): number[] {
    return this.events.map((e) => Number(e.id));
  }

  pause(): void {
    this.response.pause();
  }

  resume(): void {
    this.response.resume();
  }

  /** Drops the connection, as a client that goes away does. */
  close(): void {
    this.response.destroy();
  }

  async waitForEvents(count: number, timeoutMs = 20_000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`got ${this.events.length} of ${count} events within ${timeoutMs} ms`);
      }
      if (this.endedNow) throw new Error(`the stream ended after ${this.events.length} of ${count} events`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.events;
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') this.pending.id = value;
    else if (field === 'event') this.pending.event = value;
    else if (field === 'data') this.pending.data.push(value);
    else if (field === 'retry') this.retryMs = Number(value);
  }

  private dispatch(): void {
    const { id, event, data } = this.pending;
    this.pending = { id: null, event: '', data: [] };
    if (id !== null) this.lastEventId = id;
    if (data.length === 0) return;
    this.events.push({ id: id ?? this.lastEventId, event: event || 'message', data: data.join('\n') });
  }
}
